"""Column types every table uses: aware UTC timestamps, and text the seller typed, cleaned of
what a database refuses. Kept apart from the tables so that a migration can name them too."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect


def utcnow() -> datetime:
    """The current time in UTC; a function so defaults are evaluated per row, not at import."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always stored and returned as aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def clean_text(value: str) -> str:
    """Typed text as a database keeps it: without NUL (PostgreSQL refuses it) and without lone
    surrogates (neither database can encode them). Everything else stays as typed."""
    return "".join(char for char in value if char != "\x00" and not "\ud800" <= char <= "\udfff")


class TypedText(TypeDecorator[str]):
    """A column of text the seller typed (names, notes, questions), cleaned on the way in."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else clean_text(value)


class TypedLongText(TypedText):
    impl = Text
    cache_ok = True
