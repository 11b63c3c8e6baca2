"""A month as weeks, and the compact month and day codes a calendar's buttons carry.

The date picker draws a month of day buttons and pages between months; the arithmetic and the
reading back of a pressed button's code live here, pure, so they can be tested on their own.
Codes come from callback data, which anyone can forge: reading one never raises, and only a
real date within the years the bot plans for is accepted.
"""

from __future__ import annotations

import calendar
from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2100
MONTH_CODE = "%04d%02d"  # YYYYMM
DAY_CODE = "%04d%02d%02d"  # YYYYMMDD


def month_grid(year: int, month: int) -> list[list[date | None]]:
    """The month's weeks, Monday first, 7 cells each; None outside the month."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    return [[day if day.month == month else None for day in week] for week in weeks]


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """The (year, month) `delta` months away: (2026, 12) + 1 → (2027, 1)."""
    years, index = divmod(year * 12 + month - 1 + delta, 12)
    return years, index + 1


def month_code(year: int, month: int) -> str:
    """ "202612" for December 2026, as `parse_month` reads it back."""
    return MONTH_CODE % (year, month)


def day_code(day: date) -> str:
    """ "20261204" for 4 December 2026, as `parse_day` reads it back."""
    return DAY_CODE % (day.year, day.month, day.day)


def _digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit()


def parse_month(text: str) -> tuple[int, int] | None:
    """ "YYYYMM" → (year, month); None for anything else."""
    if not _digits(text, 6):
        return None
    year, month = int(text[:4]), int(text[4:])
    return (year, month) if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12 else None


def parse_day(text: str) -> date | None:
    """ "YYYYMMDD" → that date; None for anything else, "20270229" included."""
    if not _digits(text, 8) or parse_month(text[:6]) is None:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
