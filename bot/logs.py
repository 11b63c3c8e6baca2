"""Logging that can never print the bot token.

The HTTP client logs request URLs, and Telegram puts the token in every URL, so redaction
happens in the formatter: it covers messages, arguments and tracebacks alike.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

from telegram.error import InvalidToken

REDACTED = "<redacted>"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out every secret it was given."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


class RefusedTokenIsOneLine(logging.Filter):
    """Telegram refusing the token is not a crash to debug: PTB's log of it keeps its one
    line and loses the traceback; `python -m bot` then says what to do and exits."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):
            record.exc_info, record.exc_text = None, None
        return True


def redacting_handler(secrets: Iterable[str], stream: TextIO | None = None) -> logging.Handler:
    """A stream handler (stderr by default) whose every line has the secrets blanked out."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RefusedTokenIsOneLine())
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    return handler


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Root logging to stderr, with the token redacted everywhere."""
    handler = redacting_handler(secrets)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request drowns everything else; keep them for DEBUG only.
    logging.getLogger("httpx").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
