"""One module per feature; `bot.app` registers them in order. They never import each other."""
