"""/help, /cancel, and a friendly pointer for anything no feature understood."""
