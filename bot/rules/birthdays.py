"""Understanding a contact's birthday, and when it next comes round.

The year is optional: sellers often know the day but not the age. A 29 February birthday
is kept on 28 February in years without one. A two-digit year is the latest such year
not in the future ("85" is 1985, "05" is 2005).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from bot.rules.dates import EARLIEST_YEAR, fold, read_date_parts

LEAP_YEAR = 2000  # any leap year: lets "29.02" through when no year is given


@dataclass(frozen=True)
class Birthday:
    """Day and month of birth, and the year if the seller knows it."""

    day: int
    month: int
    year: int | None

    def __post_init__(self) -> None:
        date(LEAP_YEAR if self.year is None else self.year, self.month, self.day)


def parse_birthday(text: str, *, today: date) -> Birthday | None:
    """The birthday in "14.03", "14. mars 1985", "March 14", "1985-03-14"; None if impossible.

    Impossible: no such day (also 29.02 of a non-leap year), born in the future or before 1900.
    """
    parts = read_date_parts(fold(text))
    if parts is None:
        return None
    year = parts.year
    if year is not None and year < 100:
        year = _full_year(year, parts.day, parts.month, today)
    try:
        birthday = Birthday(parts.day, parts.month, year)
    except ValueError:
        return None
    if year is not None and (year < EARLIEST_YEAR or date(year, parts.month, parts.day) > today):
        return None
    return birthday


def next_birthday(birthday: Birthday, *, today: date) -> date:
    """The next birthday on or after `today` (today counts)."""
    this_year = _in_year(birthday, today.year)
    return this_year if this_year >= today else _in_year(birthday, today.year + 1)


def age_on(birthday: Birthday, day: date) -> int | None:
    """The age on `day`: on a birthday, the age just turned. None without a year or before birth."""
    if birthday.year is None:
        return None
    age = day.year - birthday.year - (day < _in_year(birthday, day.year))
    return age if age >= 0 else None


def _in_year(birthday: Birthday, year: int) -> date:
    """The birthday as celebrated in `year`: 29 February falls on the 28th in other years."""
    if (birthday.month, birthday.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


def _full_year(short: int, day: int, month: int, today: date) -> int:
    """The latest year ending in `short` whose (day, month) is not after `today`."""
    year = today.year - today.year % 100 + short
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year
