"""/today: the day's focus list, ranked, with a one-tap action per line."""
