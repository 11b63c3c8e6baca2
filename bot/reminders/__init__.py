"""Reminders: due rows in the database delivered as Telegram messages (`dispatcher`), at
Telegram's pace (`pacing`), watched by a watchdog (`health`)."""
