"""A seller's records: writes with their effects (stage moves, do-not-contact, birthdays) and
reminder planning. No Telegram here: every feature and the dispatcher call it alike."""
