"""Rules with no I/O: they import neither telegram nor sqlalchemy, and take "now" as an argument."""
