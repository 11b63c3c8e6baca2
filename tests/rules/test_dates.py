from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.dates import When, due_at, is_past, next_workday, parse_when

OSLO = ZoneInfo("Europe/Oslo")
LANGUAGES = ("nb", "en")


def oslo(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """An Oslo wall time as the aware UTC instant the bot would pass in."""
    return datetime(year, month, day, hour, minute, tzinfo=OSLO).astimezone(UTC)


NOW = oslo(2026, 11, 25, 10, 0)  # a Wednesday
YEAR_END = oslo(2026, 12, 30, 10, 0)  # a Wednesday
DST_NIGHT = oslo(2027, 3, 28, 0, 30)  # clocks jump 02:00 -> 03:00 this night


def parse(text: str, now: datetime = NOW, language: str = "nb") -> When | None:
    return parse_when(text, now=now, zone=OSLO, language=language)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


NORWEGIAN = [
    ("i dag", d(11, 25), None),
    ("idag", d(11, 25), None),
    ("I DAG", d(11, 25), None),
    ("i morgen", d(11, 26), None),
    ("imorgen", d(11, 26), None),
    ("i overmorgen", d(11, 27), None),
    ("overmorgen", d(11, 27), None),
    ("mandag", d(11, 30), None),
    ("tirsdag", d(12, 1), None),
    ("onsdag", d(12, 2), None),  # strictly after today: a week out
    ("torsdag", d(11, 26), None),
    ("fredag", d(11, 27), None),
    ("på fredag", d(11, 27), None),
    ("pa fredag", d(11, 27), None),
    ("Fredag", d(11, 27), None),
    ("lørdag", d(11, 28), None),
    ("lordag", d(11, 28), None),
    ("søndag", d(11, 29), None),
    ("sondag", d(11, 29), None),
    ("neste mandag", d(11, 30), None),
    ("neste tirsdag", d(12, 1), None),
    ("neste onsdag", d(12, 2), None),
    ("neste torsdag", d(12, 3), None),
    ("neste fredag", d(12, 4), None),
    ("neste søndag", d(12, 6), None),
    ("tirsdag neste uke", d(12, 1), None),
    ("neste uke fredag", d(12, 4), None),
    ("om 3 dager", d(11, 28), None),
    ("om 1 dag", d(11, 26), None),
    ("om en uke", d(12, 2), None),
    ("om ei uke", d(12, 2), None),
    ("om 2 uker", d(12, 9), None),
    ("om to uker", d(12, 9), None),
    ("om en måned", d(12, 25), None),
    ("om 2 måneder", d(1, 25, 2027), None),
    ("om et år", d(11, 25, 2027), None),
    ("14. mars", d(3, 14, 2027), None),
    ("14 mars", d(3, 14, 2027), None),
    ("14. Mars", d(3, 14, 2027), None),
    ("den 14. mars", d(3, 14, 2027), None),
    ("14. mars 2028", d(3, 14, 2028), None),
    ("14.03", d(3, 14, 2027), None),
    ("14.3", d(3, 14, 2027), None),
    ("14.03.2027", d(3, 14, 2027), None),
    ("14.03.27", d(3, 14, 2027), None),
    ("14/3", d(3, 14, 2027), None),
    ("14/3/2027", d(3, 14, 2027), None),
    ("2027-03-14", d(3, 14, 2027), None),
    ("1. des", d(12, 1), None),
    ("1. des.", d(12, 1), None),
    ("24. desember", d(12, 24), None),
    ("17. mai", d(5, 17, 2027), None),
    ("3. jan", d(1, 3, 2027), None),
    ("3 okt", d(10, 3, 2027), None),
    ("3 sept", d(9, 3, 2027), None),
    ("i morgen kl 9", d(11, 26), time(9)),
    ("i morgen kl. 09:30", d(11, 26), time(9, 30)),
    ("i morgen klokka 9.30", d(11, 26), time(9, 30)),
    ("kl 9 i morgen", d(11, 26), time(9)),
    ("fredag kl 15", d(11, 27), time(15)),
    ("fredag, kl 15", d(11, 27), time(15)),
    ("14. mars kl 15", d(3, 14, 2027), time(15)),
    ("14.03 15:00", d(3, 14, 2027), time(15)),
    ("14.03 kl 15.30", d(3, 14, 2027), time(15, 30)),
    ("neste uke", d(11, 30), None),
    ("neste måned", d(12, 1), None),
    ("neste mnd", d(12, 1), None),
    ("neste år", d(1, 1, 2027), None),
    ("kl 15", d(11, 25), time(15)),
    ("kl 9", d(11, 26), time(9)),  # 09:00 has gone today
]

ENGLISH = [
    ("today", d(11, 25), None),
    ("Today", d(11, 25), None),
    ("Tomorrow.", d(11, 26), None),
    ("tomorrow", d(11, 26), None),
    ("day after tomorrow", d(11, 27), None),
    ("the day after tomorrow", d(11, 27), None),
    ("friday", d(11, 27), None),
    ("on friday", d(11, 27), None),
    ("Fri", d(11, 27), None),
    ("wednesday", d(12, 2), None),
    ("next friday", d(12, 4), None),
    ("next tuesday", d(12, 1), None),
    ("next monday", d(11, 30), None),
    ("next week friday", d(12, 4), None),
    ("friday next week", d(12, 4), None),
    ("in 3 days", d(11, 28), None),
    ("in a day", d(11, 26), None),
    ("in a week", d(12, 2), None),
    ("in 2 weeks", d(12, 9), None),
    ("in two weeks", d(12, 9), None),
    ("in a month", d(12, 25), None),
    ("in 3 months", d(2, 25, 2027), None),
    ("next week", d(11, 30), None),
    ("next month", d(12, 1), None),
    ("March 14", d(3, 14, 2027), None),
    ("march 14th", d(3, 14, 2027), None),
    ("March 14, 2028", d(3, 14, 2028), None),
    ("14 March", d(3, 14, 2027), None),
    ("14th of March", d(3, 14, 2027), None),
    ("the 14th of march", d(3, 14, 2027), None),
    ("14 mar", d(3, 14, 2027), None),
    ("14 Mar.", d(3, 14, 2027), None),
    ("14 March 2027", d(3, 14, 2027), None),
    ("May 17", d(5, 17, 2027), None),
    ("Dec 1", d(12, 1), None),
    ("1 oct", d(10, 1, 2027), None),
    ("14.03", d(3, 14, 2027), None),
    ("14/3", d(3, 14, 2027), None),
    ("tomorrow at 9", d(11, 26), time(9)),
    ("tomorrow 9am", d(11, 26), time(9)),
    ("tomorrow 9:30 am", d(11, 26), time(9, 30)),
    ("tomorrow at 12am", d(11, 26), time(0)),
    ("tomorrow at 12pm", d(11, 26), time(12)),
    ("friday 3pm", d(11, 27), time(15)),
    ("friday 3 p.m.", d(11, 27), time(15)),
    ("friday @ 15", d(11, 27), time(15)),
    ("at 9 tomorrow", d(11, 26), time(9)),
    ("14.03 15:00", d(3, 14, 2027), time(15)),
    ("at 15", d(11, 25), time(15)),
    ("at 10", d(11, 25), time(10)),  # the current minute has not gone
    ("at 9", d(11, 26), time(9)),
    ("3pm", d(11, 25), time(15)),
    ("15:00", d(11, 25), time(15)),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text", "day", "clock"), NORWEGIAN + ENGLISH)
def test_every_form_is_understood_in_either_language(
    text: str, day: date, clock: time | None, language: str
) -> None:
    assert parse(text, language=language) == When(day, clock)


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("i morgen", d(12, 31), None),
        ("i overmorgen", d(1, 1, 2027), None),
        ("fredag", d(1, 1, 2027), None),
        ("neste fredag", d(1, 8, 2027), None),
        ("neste uke", d(1, 4, 2027), None),
        ("next month", d(1, 1, 2027), None),
        ("neste år", d(1, 1, 2027), None),
        ("om en uke", d(1, 6, 2027), None),
        ("om en måned", d(1, 30, 2027), None),
        ("14.01", d(1, 14, 2027), None),
        ("30.12", d(12, 30), None),  # today is today, not next year
        ("29.12", d(12, 29, 2027), None),
        ("1. januar kl 12", d(1, 1, 2027), time(12)),
    ],
)
def test_around_the_year_end(text: str, day: date, clock: time | None) -> None:
    assert parse(text, now=YEAR_END) == When(day, clock)


@pytest.mark.parametrize(
    ("now", "text", "day"),
    [
        (oslo(2027, 1, 31, 12, 0), "om en måned", d(2, 28, 2027)),
        (oslo(2028, 1, 31, 12, 0), "in a month", d(2, 29, 2028)),
        (oslo(2027, 3, 31, 12, 0), "om en måned", d(4, 30, 2027)),
        (oslo(2027, 3, 1, 12, 0), "29.02", d(2, 29, 2028)),
        (oslo(2028, 2, 29, 12, 0), "om et år", d(2, 28, 2029)),
    ],
)
def test_months_and_leap_days(now: datetime, text: str, day: date) -> None:
    assert parse(text, now=now) == When(day, None)


def test_the_local_day_decides_today_not_utc() -> None:
    late_evening = oslo(2026, 11, 25, 23, 30)  # already the 25th's evening, 22:30 UTC
    assert parse("i morgen", now=late_evening) == When(d(11, 26), None)
    just_after_midnight = oslo(2026, 11, 26, 0, 30)  # still the 25th in UTC
    assert parse("i dag", now=just_after_midnight) == When(d(11, 26), None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "banana",
        "31.02",
        "32.01",
        "14.13",
        "00.01",
        "31.04",
        "kl 25",
        "kl 9:60",
        "i morgen kl 24",
        "kl 930",
        "kl",
        "13pm",
        "14",  # a bare number: day or hour?
        "mai",  # which day of May?
        "March",
        "2115",
        "14.03.2115",  # never a date a century out
        "om 9999 år",
        "om 400 uker",
        "14.03.1850",
        "29.02.2027",
        "i morgen kl 9 kl 10",
        "a",
        "x" * 200,
    ],
)
def test_nonsense_and_impossible_dates_are_none(text: str) -> None:
    assert parse(text) is None


def test_a_leap_day_that_neither_this_nor_next_year_has_is_none() -> None:
    assert parse("29.02") is None  # said in November 2026: no 29 Feb in 2027


@pytest.mark.parametrize("text", ["05.04", "5.4", "05/04", "12.10"])
def test_a_dotted_pair_is_always_a_date_never_a_clock(text: str) -> None:
    when = parse(text)
    assert when is not None and when.time is None
    day, month = (int(part) for part in text.replace("/", ".").split("."))
    assert (when.day.day, when.day.month) == (day, month)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("i går", d(11, 24)),
        ("igår", d(11, 24)),
        ("yesterday", d(11, 24)),
        ("i forgårs", d(11, 23)),
        ("01.01.2020", d(1, 1, 2020)),
        ("24.11.2026", d(11, 24)),
        ("3 days ago", d(11, 22)),  # via dateparser
    ],
)
def test_past_dates_parse_so_the_bot_can_say_so(text: str, day: date) -> None:
    when = parse(text)
    assert when == When(day, None)
    assert is_past(when, now=NOW, zone=OSLO)


def test_a_date_already_gone_this_year_means_next_year() -> None:
    assert parse("24.11") == When(d(11, 24, 2027), None)


@pytest.mark.parametrize(
    ("text", "language", "day", "clock"),
    [
        ("in 2 hours", "en", d(11, 25), time(12)),
        ("om 2 timer", "nb", d(11, 25), time(12)),
        ("next monday at noon", "en", d(11, 30), time(12)),
        ("monday 30 november", "en", d(11, 30), None),
        ("monday 30 november kl 9", "nb", d(11, 30), time(9)),  # our clock, its day
    ],
)
def test_dateparser_catches_what_the_tables_miss(
    text: str, language: str, day: date, clock: time | None
) -> None:
    assert parse(text, language=language) == When(day, clock)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse("i dag", now=datetime(2026, 11, 25, 10, 0))  # noqa: DTZ001


# --- due_at and is_past ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (When(d(11, 26), time(9)), datetime(2026, 11, 26, 8, 0, tzinfo=UTC)),
        (When(d(11, 26), None), datetime(2026, 11, 26, 7, 0, tzinfo=UTC)),  # default 08:00
        (When(d(7, 1, 2027), None), datetime(2027, 7, 1, 6, 0, tzinfo=UTC)),  # summer time
        # 02:30 does not exist on 28 March 2027: it moves forward to 03:30 CEST.
        (When(d(3, 28, 2027), time(2, 30)), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        (When(d(3, 28, 2027), time(3, 0)), datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        # 02:30 happens twice on 31 October 2027: the first one (CEST) wins.
        (When(d(10, 31, 2027), time(2, 30)), datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
    ],
)
def test_due_at_is_the_utc_instant_of_the_local_wall_time(when: When, expected: datetime) -> None:
    due = due_at(when, zone=OSLO, default_hour=8)
    assert due == expected
    assert due.tzinfo is UTC


def test_the_dst_night_parses_and_is_still_ahead() -> None:
    when = parse("i dag kl 02:30", now=DST_NIGHT)
    assert when == When(d(3, 28, 2027), time(2, 30))
    assert not is_past(when, now=DST_NIGHT, zone=OSLO)
    assert due_at(when, zone=OSLO, default_hour=8).astimezone(OSLO).time() == time(3, 30)
    assert parse("kl 2:30", now=DST_NIGHT) == when
    assert parse("i morgen", now=DST_NIGHT) == When(d(3, 29, 2027), None)


@pytest.mark.parametrize(
    ("when", "past"),
    [
        (When(d(11, 24), None), True),
        (When(d(11, 24), time(23, 59)), True),
        (When(d(11, 25), None), False),  # today, no time: the digest hour decides later
        (When(d(11, 25), time(9, 59)), True),
        (When(d(11, 25), time(10, 0)), False),  # the current minute is not gone
        (When(d(11, 25), time(10, 1)), False),
        (When(d(11, 26), time(0, 0)), False),
        (When(d(1, 1, 2020), time(12, 0)), True),
    ],
)
def test_is_past(when: When, past: bool) -> None:
    assert is_past(when, now=NOW + timedelta(seconds=30), zone=OSLO) is past


# --- properties ------------------------------------------------------------------------

aware_nows = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2090, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(
    now=aware_nows, offset=st.integers(0, 400), words=st.sampled_from(["om {} dager", "in {} days"])
)
def test_n_days_ahead_is_today_plus_n(now: datetime, offset: int, words: str) -> None:
    today = now.astimezone(OSLO).date()
    assert parse(words.format(offset), now=now) == When(today + timedelta(days=offset), None)


@given(
    now=aware_nows,
    typed=st.dates(min_value=date(2028, 1, 1), max_value=date(2028, 12, 31)),
    shape=st.sampled_from(["{d:02}.{m:02}", "{d}.{m}", "{d}/{m}", "{d}.{m}."]),
)
def test_any_day_and_month_is_within_the_next_year(now: datetime, typed: date, shape: str) -> None:
    today = now.astimezone(OSLO).date()
    when = parse(shape.format(d=typed.day, m=typed.month), now=now)
    if when is None:
        assert (typed.day, typed.month) == (29, 2)
        return
    assert (when.day.day, when.day.month, when.time) == (typed.day, typed.month, None)
    assert today <= when.day < today + timedelta(days=366)


WORDS = [
    "i", "dag", "morgen", "om", "in", "neste", "next", "kl", "kl.", "at", "@", "fredag", "friday",
    "mars", "march", "14", "3", "15:00", "9am", "14.03", "31.02", "dager", "days", "uke", "en",
    "a", "den", "the", "of", "2027", "pm", ",", ".", "-",
]  # fmt: skip


@settings(deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)))
def test_parse_when_never_raises(text: str) -> None:
    when = parse(text)
    assert when is None or isinstance(when, When)


ZONES = [
    "Europe/Oslo",
    "Europe/London",
    "America/New_York",
    "America/Santiago",  # switches at midnight
    "Australia/Lord_Howe",  # a 30-minute shift
    "Asia/Tokyo",
    "UTC",
]


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    clock=st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    zone_name=st.sampled_from(ZONES),
    default_hour=st.integers(0, 23),
)
def test_due_at_is_utc_on_the_same_local_day(
    day: date, clock: time | None, zone_name: str, default_hour: int
) -> None:
    zone = ZoneInfo(zone_name)
    due = due_at(When(day, clock), zone=zone, default_hour=default_hour)
    assert due.tzinfo is UTC
    local = due.astimezone(zone)
    assert local.date() == day
    wanted = clock if clock is not None else time(default_hour)
    assert local.time() >= wanted  # equal, or pushed forward out of a DST gap


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 27), date(2026, 11, 27)),  # Friday stays
        (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday → Monday
        (date(2026, 11, 29), date(2026, 11, 30)),  # Sunday → Monday
        (date(2026, 11, 30), date(2026, 11, 30)),  # Monday stays
    ],
)
def test_next_workday_moves_weekends_to_monday(day: date, expected: date) -> None:
    assert next_workday(day) == expected
