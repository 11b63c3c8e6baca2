"""The Norwegian and English phrases a seller types for a date, read in front of dateparser.

Word tables and patterns for what sellers write ("på fredag", "neste uke", "om 3 dager",
"14. mars kl 9", "next friday at 3pm"), read into a clock time and a local day. What the
tables miss goes to dateparser (`parse_fallback`). `bot.rules.dates` puts these together;
the rules they follow are listed there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.rules.date_words import may_be_a_date
from bot.rules.due_times import When, add_months, is_gone
from bot.rules.language import NORWEGIAN_CODES
from storage.vocabulary import fold as fold_words

MAX_YEARS_AHEAD = 5
EARLIEST_YEAR = 1900

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


class RejectedError(ValueError):
    """The text has a shape we know, but its values are impossible ("31.02", "kl 25")."""


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


def split_clock(folded: str) -> tuple[time | None, str]:
    """The clock time in the text, if any, and the text without it."""
    matches = list(_CLOCK.finditer(folded))
    if not matches:
        if _STRAY_CLOCK.search(folded):
            raise RejectedError(folded)
        return None, folded
    if len(matches) > 1:
        raise RejectedError(folded)
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
            raise RejectedError(match[0])
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise RejectedError(match[0])
    return time(hour, minute)


def read_day(rest: str, clock: time | None, local_now: datetime, zone: ZoneInfo) -> date | None:
    """The day the text names once its clock time is cut out (leading "on", "på", "den",
    "the" skipped).

    None means "not ours" (dateparser may try); `RejectedError` means "impossible".
    """
    rest = _FILLERS.sub("", rest)
    today = local_now.date()
    if not rest:
        if clock is None:
            return None
        return today + timedelta(days=int(is_gone(today, clock, local_now, zone)))
    if rest in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[rest])
    for reader in (_weekday, _period, _offset, _calendar_date):
        day = reader(rest, today)
        if day is not None:
            return day
    if rest.isdigit():
        raise RejectedError(rest)
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
    return add_months(today.replace(day=1), 1)


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
        raise RejectedError(rest)
    return add_months(today, count * months) + timedelta(days=count * days)


def _calendar_date(rest: str, today: date) -> date | None:
    """ "14.03", "14. mars 2027", "March 14": with no year, the next occurrence."""
    parts = read_date_parts(rest)
    if parts is None:
        return None
    if parts.year is None:
        return _next_occurrence(parts.day, parts.month, today)
    year = parts.year + 2000 if parts.year < 100 else parts.year
    if year < EARLIEST_YEAR:
        raise RejectedError(rest)
    try:
        return date(year, parts.month, parts.day)
    except ValueError as error:
        raise RejectedError(rest) from error


def _next_occurrence(day: int, month: int, today: date) -> date:
    """This year's date if still ahead (or today), else next year's; no 29 Feb years away."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise RejectedError(f"{day}.{month}")


def parse_fallback(text: str, local_now: datetime, language: str) -> When | None:
    """Last resort for phrasings our tables miss ("in 2 hours", "noon").

    dateparser costs ~0.1-0.3 s to warm up, hence the lazy import. It reads single letters
    and bare numbers as dates, so it only sees text with a real word in it.
    """
    if not re.search(r"[^\W\d_]{3,}", text) or not may_be_a_date(text):
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
