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
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.rules.language import NORWEGIAN_CODES
from storage.vocabulary import fold as fold_words

MAX_YEARS_AHEAD = 5
EARLIEST_YEAR = 1900
MAX_TEXT_LENGTH = 80

MONTHS = {
    **dict.fromkeys(("januar", "january", "jan"), 1),
    **dict.fromkeys(("februar", "february", "feb"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}

WEEKDAYS = {
    **dict.fromkeys(("mandag", "man", "monday", "mon"), 0),
    **dict.fromkeys(("tirsdag", "tir", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("onsdag", "ons", "wednesday", "wed"), 2),
    **dict.fromkeys(("torsdag", "tor", "tors", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("fredag", "fre", "friday", "fri"), 4),
    **dict.fromkeys(("lordag", "lor", "saturday", "sat"), 5),
    **dict.fromkeys(("sondag", "son", "sunday", "sun"), 6),
}

# Days relative to today, written as `fold` leaves them ("i går" -> "i gar").
RELATIVE_DAYS = {
    **dict.fromkeys(("i dag", "idag", "today"), 0),
    **dict.fromkeys(("i morgen", "imorgen", "i morra", "imorra", "tomorrow"), 1),
    **dict.fromkeys(("i overmorgen", "overmorgen", "day after tomorrow"), 2),
    **dict.fromkeys(("i gar", "igar", "yesterday"), -1),
    **dict.fromkeys(("i forgars", "iforgars", "day before yesterday"), -2),
}

COUNTS = {
    **dict.fromkeys(("a", "an", "one", "en", "ei", "et", "ett"), 1),
    **dict.fromkeys(("two", "to"), 2),
    **dict.fromkeys(("three", "tre"), 3),
    **dict.fromkeys(("four", "fire"), 4),
    **dict.fromkeys(("five", "fem"), 5),
    **dict.fromkeys(("six", "seks"), 6),
    **dict.fromkeys(("seven", "sju", "syv"), 7),
    **dict.fromkeys(("eight", "atte"), 8),
    **dict.fromkeys(("nine", "ni"), 9),
    **dict.fromkeys(("ten", "ti"), 10),
}

# Units of "om 3 dager" / "in 3 days", as (days, months) per unit.
UNITS = {
    **dict.fromkeys(("dag", "dager", "dogn", "day", "days"), (1, 0)),
    **dict.fromkeys(("uke", "uker", "week", "weeks"), (7, 0)),
    **dict.fromkeys(("maned", "maneder", "mnd", "month", "months"), (0, 1)),
    **dict.fromkeys(("ar", "year", "years"), (0, 12)),
}

_CLOCK = re.compile(
    r"(?:\bkl(?:okka|okken)?\.?|\bat\b|@)\s*(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?"
    r"(?:\s*(?P<ap1>[ap])\.?m\b\.?)?(?![\d:.]?\d)"
    r"|(?<![\d.:])(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?\s*(?P<ap2>[ap])\.?m\b\.?"
    r"|(?<![\d.:])(?P<h3>\d{1,2}):(?P<m3>\d{2})(?![\d:])"
)
_STRAY_CLOCK = re.compile(r"\bkl\b|@")
_FILLERS = re.compile(r"^(?:(?:on|pa|den|the)\s+)+")
_WEEKDAY = re.compile(
    r"^(?:(?P<next>(?:next|neste)(?:\s+(?:week|uke))?)\s+)?(?P<name>[a-z]+)\.?"
    r"(?P<week>\s+(?:next|neste)\s+(?:week|uke))?$"
)
_PERIOD = re.compile(r"^(?:next|neste)\s+(?P<unit>week|uke|month|maned|mnd|year|ar)$")
_OFFSET = re.compile(r"^(?:in|om)\s+(?P<count>\d{1,4}|[a-z]+)\s+(?P<unit>[a-z]+)$")
_NUMERIC = re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})(?:[./](?P<y>\d{4}|\d{2}))?\.?$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<mon>[a-z]+)\.?(?:,?\s+(?P<y>\d{4}))?$"
)
_MONTH_FIRST = re.compile(
    r"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?(?:,?\s+(?P<y>\d{4}))?$"
)


class _RejectedError(ValueError):
    """The text has a shape we know, but its values are impossible ("31.02", "kl 25")."""


@dataclass(frozen=True)
class When:
    """A follow-up as the seller means it: a local day, and a clock time only if one was said."""

    day: date
    time: time | None


@dataclass(frozen=True)
class DateParts:
    """Day, month and year as written; a year below 100 was typed with two digits."""

    day: int
    month: int
    year: int | None


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, no end punctuation: "På Lørdag!" = "pa lordag"."""
    return fold_words(text).strip(" ,.!?")


def read_date_parts(folded: str) -> DateParts | None:
    """The day, month and year of "14.03", "14. mars 2027", "March 14", "2027-03-14".

    Values are not checked here; None means the text is not shaped like a date at all.
    """
    match = _NUMERIC.match(folded) or _ISO.match(folded)
    if match is not None:
        month = int(match["m"])
    else:
        match = _DAY_FIRST.match(folded) or _MONTH_FIRST.match(folded)
        if match is None or match["mon"] not in MONTHS:
            return None
        month = MONTHS[match["mon"]]
    year = int(match["y"]) if match["y"] else None
    return DateParts(int(match["d"]), month, year)


def parse_when(text: str, *, now: datetime, zone: ZoneInfo, language: str) -> When | None:
    """The follow-up day (and maybe time) the seller means, or None if we cannot tell."""
    local_now = _local(now, zone)
    folded = fold(text)
    if not folded or len(folded) > MAX_TEXT_LENGTH:
        return None
    try:
        clock, rest = _split_clock(folded)
        day = _read_day(_FILLERS.sub("", rest), clock, local_now, zone)
    except _RejectedError:
        return None
    if day is not None:
        when: When | None = When(day, clock)
    elif clock is None:
        when = _parse_fallback(text.strip(), local_now, language)
    else:  # our clock, a day only dateparser knows ("tonight at 8")
        found = _parse_fallback(rest, local_now, language)
        when = None if found is None else When(found.day, clock)
    if when is None or when.day > _add_months(local_now.date(), 12 * MAX_YEARS_AHEAD):
        return None
    return when


def due_at(when: When, *, zone: ZoneInfo, default_hour: int) -> datetime:
    """The UTC instant to remind at; with no time given, the seller's `default_hour`."""
    clock = when.time if when.time is not None else time(default_hour)
    return _instant(when.day, clock, zone)


def is_past(when: When, *, now: datetime, zone: ZoneInfo) -> bool:
    """A day before today, or today at a time already gone (the current minute is not gone)."""
    today = _local(now, zone).date()
    if when.day != today or when.time is None:
        return when.day < today
    return _gone(today, when.time, now, zone)


def _local(now: datetime, zone: ZoneInfo) -> datetime:
    """`now` in the seller's zone; a naive `now` is a bug, not a guess to make."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone)


def _instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Wall time to UTC with fold=0 (PEP 495).

    A time skipped by DST takes the offset before the gap, so it lands as much later
    (02:30 on a spring-forward night is 03:30); a repeated time is its first occurrence.
    """
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _gone(day: date, clock: time, now: datetime, zone: ZoneInfo) -> bool:
    """Whether that wall time is before the current minute."""
    return _instant(day, clock, zone) < now.replace(second=0, microsecond=0)


def _split_clock(folded: str) -> tuple[time | None, str]:
    """The clock time in the text, if any, and the text without it."""
    matches = list(_CLOCK.finditer(folded))
    if not matches:
        if _STRAY_CLOCK.search(folded):
            raise _RejectedError(folded)
        return None, folded
    if len(matches) > 1:
        raise _RejectedError(folded)
    match = matches[0]
    rest = (folded[: match.start()] + " " + folded[match.end() :]).strip(" ,")
    return _clock(match), re.sub(r"\s+", " ", rest)


def _clock(match: re.Match[str]) -> time:
    """A 24-hour clock, or 12-hour with am/pm; anything else is impossible."""
    # The three alternatives name their groups h1/m1/ap1, h2/m2/ap2, h3/m3: one set matched.
    found = {name[0]: value for name, value in match.groupdict().items() if value is not None}
    hour, minute, half = int(found["h"]), int(found.get("m", 0)), found.get("a")
    if half is not None:
        if not 1 <= hour <= 12:
            raise _RejectedError(match[0])
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise _RejectedError(match[0])
    return time(hour, minute)


def _read_day(rest: str, clock: time | None, local_now: datetime, zone: ZoneInfo) -> date | None:
    """The day the text names once its clock time is cut out.

    None means "not ours" (dateparser may try); `_RejectedError` means "impossible".
    """
    today = local_now.date()
    if not rest:
        if clock is None:
            return None
        return today + timedelta(days=int(_gone(today, clock, local_now, zone)))
    if rest in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[rest])
    for reader in (_weekday, _period, _offset, _calendar_date):
        day = reader(rest, today)
        if day is not None:
            return day
    if rest.isdigit():
        raise _RejectedError(rest)
    return None


def _weekday(rest: str, today: date) -> date | None:
    """ "fredag": next Friday strictly after today.

    "neste fredag", "fredag neste uke", "next week friday": the Friday of next ISO week.
    """
    match = _WEEKDAY.match(rest)
    if match is None or match["name"] not in WEEKDAYS:
        return None
    weekday = WEEKDAYS[match["name"]]
    if match["next"] or match["week"]:
        return today + timedelta(days=7 - today.weekday() + weekday)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _period(rest: str, today: date) -> date | None:
    """The start of next week (Monday), next month (the 1st) or next year (1 January)."""
    match = _PERIOD.match(rest)
    if match is None:
        return None
    unit = match["unit"]
    if unit in {"week", "uke"}:
        return today + timedelta(days=7 - today.weekday())
    if unit in {"year", "ar"}:
        return date(today.year + 1, 1, 1)
    return _add_months(today.replace(day=1), 1)


def _offset(rest: str, today: date) -> date | None:
    """ "om 3 dager", "in a month": months keep the day, or fall back to the month's last day."""
    match = _OFFSET.match(rest)
    if match is None or match["unit"] not in UNITS:
        return None
    count_text = match["count"]
    count = int(count_text) if count_text.isdigit() else COUNTS.get(count_text)
    if count is None:
        return None
    days, months = UNITS[match["unit"]]
    if count * (days + 31 * months) > 366 * (MAX_YEARS_AHEAD + 1):
        raise _RejectedError(rest)
    return _add_months(today, count * months) + timedelta(days=count * days)


def _calendar_date(rest: str, today: date) -> date | None:
    """ "14.03", "14. mars 2027", "March 14": with no year, the next occurrence."""
    parts = read_date_parts(rest)
    if parts is None:
        return None
    if parts.year is None:
        return _next_occurrence(parts.day, parts.month, today)
    year = parts.year + 2000 if parts.year < 100 else parts.year
    if year < EARLIEST_YEAR:
        raise _RejectedError(rest)
    try:
        return date(year, parts.month, parts.day)
    except ValueError as error:
        raise _RejectedError(rest) from error


def _next_occurrence(day: int, month: int, today: date) -> date:
    """This year's date if still ahead (or today), else next year's; no 29 Feb years away."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _RejectedError(f"{day}.{month}")


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


def _parse_fallback(text: str, local_now: datetime, language: str) -> When | None:
    """Last resort for phrasings our tables miss ("in 2 hours", "noon").

    dateparser costs ~0.1-0.3 s to warm up, hence the lazy import. It reads single letters
    and bare numbers as dates, so it only sees text with a real word in it.
    """
    if not re.search(r"[^\W\d_]{3,}", text):
        return None
    from dateparser.date import DateDataParser

    first = "nb" if language.split("-")[0].lower() in NORWEGIAN_CODES else "en"
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "RETURN_TIME_AS_PERIOD": True,
    }
    parser = DateDataParser(languages=[first, "en" if first == "nb" else "nb"], settings=settings)
    return _from_dateparser(parser.get_date_data(text), local_now)


def _from_dateparser(data: Any, local_now: datetime) -> When | None:
    """A When from dateparser's answer; its "time" periods carry a clock, the others do not."""
    found = data.date_obj
    if not isinstance(found, datetime) or found.year < EARLIEST_YEAR:
        return None
    if data.period in {"month", "year"}:  # "mai" alone: dateparser invents the day of month
        return None
    if found.utcoffset() is not None:
        found = found.astimezone(local_now.tzinfo)
    has_clock = data.period in {"time", "part_of_day"}
    return When(found.date(), found.time().replace(second=0, microsecond=0) if has_clock else None)


def next_workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day
