"""Understanding the follow-up date a seller types, in Norwegian Bokmål or English.

Both languages are always understood; `language` only orders the dateparser fallback.
The rules, each pinned by a test:

- Numbers are day first, as in Europe: "05.04" and "5/4" are 5 April, never a clock time.
- A date without a year is its next occurrence, today included ("24.11" said on
  25 November is next year's); a 29 February that neither this nor next year has is no date.
- "fredag", "på fredag", "friday", "on friday": the next Friday strictly after today.
- "neste fredag", "next friday", "fredag neste uke": the Friday of next calendar (ISO)
  week, so said on a Wednesday, "neste tirsdag" is six days out and "neste fredag" nine.
- "neste uke", "next week": Monday of next week. "neste måned", "next month": the 1st of
  next month. "neste år", "next year": 1 January.
- "om en måned", "in a month": the same day next month, or that month's last day.
- A clock time comes only after "kl", "kl.", "klokka", "at" or "@", as "9am"/"3pm", or as
  "HH:MM"; hours are 24-hour unless "am"/"pm" follows ("at 3" is 03:00).
- A clock time with no day is its next occurrence: today unless already past, else tomorrow.
- A bare number ("14") or month ("mai") is too vague to be a date.
- Dates in the past parse, so the bot can say so (`is_past`); over five years ahead is no date.

The public module: import from here. `bot.rules.date_phrases` reads the words (tables,
patterns, the dateparser fallback); `bot.rules.due_times` has `When` and turns it into the
instant to remind at. `parse_when`, here, puts the two together.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.rules.date_phrases import (
    EARLIEST_YEAR,
    MAX_YEARS_AHEAD,
    DateParts,
    RejectedError,
    fold,
    parse_fallback,
    read_date_parts,
    read_day,
    split_clock,
)
from bot.rules.due_times import (
    When,
    add_months,
    due_at,
    in_zone,
    is_past,
    next_workday,
    rolled_over,
)

__all__ = [
    "EARLIEST_YEAR",
    "MAX_TEXT_LENGTH",
    "MAX_YEARS_AHEAD",
    "DateParts",
    "When",
    "due_at",
    "fold",
    "is_past",
    "next_workday",
    "parse_when",
    "read_date_parts",
    "rolled_over",
]

MAX_TEXT_LENGTH = 80


def parse_when(text: str, *, now: datetime, zone: ZoneInfo, language: str) -> When | None:
    """The follow-up day (and maybe time) the seller means, or None if we cannot tell."""
    local_now = in_zone(now, zone)
    folded = fold(text)
    if not folded or len(folded) > MAX_TEXT_LENGTH:
        return None
    try:
        clock, rest = split_clock(folded)
        day = read_day(rest, clock, local_now, zone)
    except RejectedError:
        return None
    if day is not None:
        when: When | None = When(day, clock)
    elif clock is None:
        when = parse_fallback(text.strip(), local_now, language)
    else:  # our clock, a day only dateparser knows ("tonight at 8")
        found = parse_fallback(rest, local_now, language)
        when = None if found is None else When(found.day, clock)
    if when is None or when.day > add_months(local_now.date(), 12 * MAX_YEARS_AHEAD):
        return None
    return when
