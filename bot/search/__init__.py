"""Finding contacts: /find, a bare typed name, and the brief before a meeting."""
