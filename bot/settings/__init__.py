"""The seller's settings: onboarding (/start, the time zone) and /settings."""
