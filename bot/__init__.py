"""Prospekt: the Telegram side of a seller's pocket CRM."""

import os

# python-telegram-bot 22 warns when `RetryAfter.retry_after` is an int; opt in to timedelta
# so flood-control replies reach the rate limiter as errors, not as deprecation warnings.
os.environ.setdefault("PTB_TIMEDELTA", "1")
