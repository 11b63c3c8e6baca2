"""Dates and times in words, in the seller's language and time zone (Babel)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_percent

# English as written in Europe: "Friday 4 December", 24-hour clock.
LOCALES = {"en": "en_GB", "nb": "nb"}
DAY_PATTERNS = {"en": "EEEE d MMMM y", "nb": "EEEE d. MMMM y"}
SHORT_DAY_PATTERNS = {"en": "d MMMM", "nb": "d. MMMM"}
BRIEF_DAY_PATTERNS = {"en": "d MMM y", "nb": "d. MMM y"}
WEEKDAY_PATTERNS = {"en": "EEEE d MMMM", "nb": "EEEE d. MMMM"}


def _locale(language: str) -> str:
    return LOCALES.get(language, "en_GB")


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
    text = short_day(date(2000, month, day), language)
    return f"{text} {year}" if year else text


def weekday_in_words(day: date, language: str) -> str:
    """ "Friday 4 December" / "fredag 4. desember": a day near enough to need no year."""
    pattern = WEEKDAY_PATTERNS.get(language, WEEKDAY_PATTERNS["en"])
    return format_date(day, pattern, locale=_locale(language))


def percent(share: float, language: str) -> str:
    """ "42%" / "42 %" (Norwegian puts a no-break space before the sign)."""
    return format_percent(share, locale=_locale(language))


def short_day(day: date, language: str) -> str:
    """ "14 March" / "14. mars": a day of the year, without weekday or year."""
    pattern = SHORT_DAY_PATTERNS.get(language, SHORT_DAY_PATTERNS["en"])
    return format_date(day, pattern, locale=_locale(language))


def brief_day(instant: datetime, zone: str, language: str) -> str:
    """The seller's local date, briefly: "14 Mar 2027" / "14. mar. 2027"."""
    local = instant.astimezone(ZoneInfo(zone)).date()
    pattern = BRIEF_DAY_PATTERNS.get(language, BRIEF_DAY_PATTERNS["en"])
    return format_date(local, pattern, locale=_locale(language))


def weekday_clock(instant: datetime, zone: str, language: str) -> str:
    """ "Friday 08:00" / "fredag 08:00": a moment within the last few days."""
    local = instant.astimezone(ZoneInfo(zone))
    return str(
        format_datetime(local, "EEEE HH:mm", tzinfo=ZoneInfo(zone), locale=_locale(language))
    )


def money(amount: Decimal, currency: str, language: str) -> str:
    """ "NOK 12,500.00" / "12 500,00 kr": an amount as the seller's language writes it (a
    currency code is kept apart from the digits, which Babel's English pattern does not do)."""
    written = str(format_currency(amount, currency, locale=_locale(language)))
    return re.sub(r"^([A-Z]{3})(?=\d)", "\\1\u00a0", written)
