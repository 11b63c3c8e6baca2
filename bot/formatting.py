"""Dates and times in words, in the seller's language and time zone (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_percent

# English as written in Europe: "Friday 4 December", 24-hour clock.
BABEL_LOCALES = {"en": "en_GB", "nb": "nb"}
DAY_PATTERNS = {"en": "EEEE d MMMM y", "nb": "EEEE d. MMMM y"}
SHORT_DAY_PATTERNS = {"en": "d MMMM", "nb": "d. MMMM"}
WEEKDAY_PATTERNS = {"en": "EEEE d MMMM", "nb": "EEEE d. MMMM"}


def _locale(language: str) -> str:
    return BABEL_LOCALES.get(language, "en_GB")


def day_in_words(day: date, language: str) -> str:
    """ "Friday 4 December 2026" / "fredag 4. desember 2026"."""
    return format_date(
        day, DAY_PATTERNS.get(language, DAY_PATTERNS["en"]), locale=_locale(language)
    )


def moment_in_words(instant: datetime, zone: str, language: str) -> str:
    """An aware instant as the seller's local day and clock: "Friday 4 December 2026, 08:00"."""
    local = instant.astimezone(ZoneInfo(zone))
    clock = format_time(local.time(), "HH:mm", locale=_locale(language))
    return f"{day_in_words(local.date(), language)}, {clock}"


def birthday_in_words(day: int, month: int, year: int | None, language: str) -> str:
    """ "14 March 1985", or "14 March" when the year is not known (29 Feb allowed)."""
    pattern = SHORT_DAY_PATTERNS.get(language, SHORT_DAY_PATTERNS["en"])
    text = format_date(date(2000, month, day), pattern, locale=_locale(language))
    return f"{text} {year}" if year else text


def weekday_in_words(day: date, language: str) -> str:
    """ "Friday 4 December" / "fredag 4. desember": a day near enough to need no year."""
    pattern = WEEKDAY_PATTERNS.get(language, WEEKDAY_PATTERNS["en"])
    return format_date(day, pattern, locale=_locale(language))


def percent(share: float, language: str) -> str:
    """ "42%" / "42 %" (Norwegian puts a no-break space before the sign)."""
    return format_percent(share, locale=_locale(language))
