"""From the day a seller means to the instant a reminder fires, on the seller's calendar.

`When` is what a typed date amounts to: a local day, and a clock time only if one was said.
The rest is wall-clock arithmetic in the seller's zone (DST included), calendar months and
workdays; nothing here reads text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class When:
    """A follow-up as the seller means it: a local day, and a clock time only if one was said."""

    day: date
    time: time | None


def due_at(when: When, *, zone: ZoneInfo, default_hour: int) -> datetime:
    """The UTC instant to remind at; with no time given, the seller's `default_hour`."""
    clock = when.time if when.time is not None else time(default_hour)
    return instant(when.day, clock, zone)


def is_past(when: When, *, now: datetime, zone: ZoneInfo) -> bool:
    """A day before today, or today at a time already gone (the current minute is not gone)."""
    today = in_zone(now, zone).date()
    if when.day != today or when.time is None:
        return when.day < today
    return is_gone(today, when.time, now, zone)


def next_workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def in_zone(now: datetime, zone: ZoneInfo) -> datetime:
    """`now` in the seller's zone; a naive `now` is a bug, not a guess to make."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone)


def instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Wall time to UTC with fold=0 (PEP 495).

    A time skipped by DST takes the offset before the gap, so it lands as much later
    (02:30 on a spring-forward night is 03:30); a repeated time is its first occurrence.
    """
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def is_gone(day: date, clock: time, now: datetime, zone: ZoneInfo) -> bool:
    """Whether that wall time is before the current minute."""
    return instant(day, clock, zone) < now.replace(second=0, microsecond=0)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


ROLL_OVER_WINDOW = timedelta(days=60)


def rolled_over(day: date, today: date) -> bool:
    """A day-and-month typed just after it passed ("1.12" on 2 December): read as next year,
    though the seller may have meant the day just gone. Worth asking before it is saved."""
    if day.year <= today.year:
        return False
    try:
        this_year = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return False
    return this_year < today and today - this_year <= ROLL_OVER_WINDOW
