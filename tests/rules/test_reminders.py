from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.birthdays import Birthday
from bot.rules.reminders import (
    DEFAULT_QUIET_HOURS,
    QUIET_OFF,
    RETRY_CAP,
    after_quiet_hours,
    birthday_nudges,
    follow_up_at,
    in_quiet_hours,
    is_late,
    local_day,
    local_instant,
    quiet_hour,
    retry_delay,
)
from storage.vocabulary import ReminderKind

OSLO = ZoneInfo("Europe/Oslo")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NUUK = ZoneInfo("America/Nuuk")  # springs forward at 23:00 local: the gap crosses midnight
TROLL = ZoneInfo("Antarctica/Troll")  # falls back two hours: 01:00-02:59 happen twice
CARD, DAY_OF = ReminderKind.BIRTHDAY_CARD, ReminderKind.BIRTHDAY
QUIET_START, QUIET_END = DEFAULT_QUIET_HOURS
ZONES = st.sampled_from(sorted(available_timezones())).map(ZoneInfo)
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
MOMENTS = st.integers(0, 20 * 366 * 86_400).map(lambda seconds: EPOCH + timedelta(seconds=seconds))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def oslo(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0
) -> datetime:
    """An Oslo wall time as the UTC instant it is."""
    return datetime(year, month, day, hour, minute, tzinfo=OSLO, fold=fold).astimezone(UTC)


# --- wall time to UTC ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "hour", "minute", "zone", "expected"),
    [
        (date(2027, 1, 15), 8, 0, OSLO, utc(2027, 1, 15, 7)),  # CET, UTC+1
        (date(2027, 7, 15), 8, 0, OSLO, utc(2027, 7, 15, 6)),  # CEST, UTC+2
        (date(2027, 3, 28), 8, 0, OSLO, utc(2027, 3, 28, 6)),  # spring-forward day
        (date(2027, 3, 28), 2, 30, OSLO, utc(2027, 3, 28, 1, 30)),  # skipped: 03:30 CEST
        (date(2027, 10, 31), 8, 0, OSLO, utc(2027, 10, 31, 7)),  # fall-back day
        (date(2027, 10, 31), 2, 30, OSLO, utc(2027, 10, 31, 0, 30)),  # twice: the first
        (date(2027, 3, 14), 8, 0, TOKYO, utc(2027, 3, 13, 23)),
        (date(2027, 3, 14), 8, 0, LOS_ANGELES, utc(2027, 3, 14, 15)),  # PDT's first day
        (date(2027, 3, 27), 23, 30, NUUK, utc(2027, 3, 28, 0, 30)),  # skipped: back, same day
    ],
)
def test_local_instant(
    day: date, hour: int, minute: int, zone: ZoneInfo, expected: datetime
) -> None:
    at = local_instant(day, hour, zone, minute)
    assert at == expected
    assert at.utcoffset() == timedelta(0)
    assert local_day(at, zone) == day


def test_a_skipped_time_moves_forward_by_the_gap() -> None:
    at = local_instant(date(2027, 3, 28), 2, OSLO, 30)
    assert at.astimezone(OSLO).time() == time(3, 30)


def test_follow_up_due_tomorrow_fires_at_the_digest_hour() -> None:
    now = oslo(2027, 1, 14, 16, 5)
    tomorrow = local_day(now, OSLO) + timedelta(days=1)
    assert follow_up_at(tomorrow, None, zone=OSLO, digest_hour=8) == utc(2027, 1, 15, 7)


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        (date(2027, 1, 15), time(14, 30), utc(2027, 1, 15, 13, 30)),
        (date(2027, 1, 15), time(0, 0), utc(2027, 1, 14, 23)),  # the day before in UTC
        (date(2027, 3, 28), time(2, 30), utc(2027, 3, 28, 1, 30)),
        (date(2027, 3, 28), None, utc(2027, 3, 28, 6)),
        (date(2027, 10, 31), time(2, 30), utc(2027, 10, 31, 0, 30)),
        (date(2027, 10, 31), None, utc(2027, 10, 31, 7)),
    ],
)
def test_follow_up_at_the_exact_clock_when_given(
    day: date, clock: time | None, expected: datetime
) -> None:
    assert follow_up_at(day, clock, zone=OSLO, digest_hour=8) == expected


@given(
    day=st.dates(min_value=date(2015, 1, 1), max_value=date(2045, 12, 31)),
    clock=st.none() | st.times(),
    zone=ZONES,
    digest_hour=st.integers(0, 23),
)
def test_follow_up_falls_on_its_local_day(
    day: date, clock: time | None, zone: ZoneInfo, digest_hour: int
) -> None:
    at = follow_up_at(day, clock, zone=zone, digest_hour=digest_hour)
    assert local_day(at, zone) == day


# --- birthdays ----------------------------------------------------------------------------


def nudges(
    birthday: Birthday, today: date, *, zone: ZoneInfo = OSLO, lead_days: int = 5
) -> list[tuple[ReminderKind, date, datetime]]:
    return birthday_nudges(birthday, today=today, zone=zone, digest_hour=8, lead_days=lead_days)


@pytest.mark.parametrize(
    ("zone", "card_at", "day_at"),
    [
        (TOKYO, utc(2027, 3, 8, 23), utc(2027, 3, 13, 23)),  # east: the UTC date is the 13th
        (LOS_ANGELES, utc(2027, 3, 9, 16), utc(2027, 3, 14, 15)),  # west: PST, then PDT
        (OSLO, utc(2027, 3, 9, 7), utc(2027, 3, 14, 7)),
    ],
)
def test_birthday_nudges_fall_on_the_local_day(
    zone: ZoneInfo, card_at: datetime, day_at: datetime
) -> None:
    found = nudges(Birthday(14, 3, 1986), date(2027, 3, 1), zone=zone)
    assert found == [(CARD, date(2027, 3, 9), card_at), (DAY_OF, date(2027, 3, 14), day_at)]
    assert [local_day(at, zone) for _, _, at in found] == [date(2027, 3, 9), date(2027, 3, 14)]
    assert all(local_instant(day, 8, zone) == at for _, day, at in found)


@pytest.mark.parametrize(
    ("birthday", "today", "lead_days", "expected_days"),
    [
        (Birthday(29, 2, None), date(2027, 1, 10), 5, [date(2027, 2, 23), date(2027, 2, 28)]),
        (Birthday(29, 2, 1984), date(2028, 1, 10), 5, [date(2028, 2, 24), date(2028, 2, 29)]),
        (Birthday(29, 2, None), date(2027, 3, 1), 5, [date(2028, 2, 24), date(2028, 2, 29)]),
        (Birthday(14, 3, None), date(2027, 3, 1), 0, [date(2027, 3, 14)]),  # 0 = card off
        (Birthday(14, 3, None), date(2027, 3, 15), 5, [date(2028, 3, 9), date(2028, 3, 14)]),
        (Birthday(14, 3, None), date(2027, 3, 14), 5, [date(2027, 3, 14)]),  # today; card gone
        (Birthday(14, 3, None), date(2027, 3, 12), 5, [date(2027, 3, 14)]),  # card day passed
        (Birthday(14, 3, None), date(2027, 3, 9), 5, [date(2027, 3, 9), date(2027, 3, 14)]),
        (Birthday(3, 1, None), date(2026, 12, 28), 5, [date(2026, 12, 29), date(2027, 1, 3)]),
        (Birthday(14, 3, None), date(2027, 3, 13), 1, [date(2027, 3, 13), date(2027, 3, 14)]),
    ],
)
def test_birthday_nudge_days(
    birthday: Birthday, today: date, lead_days: int, expected_days: list[date]
) -> None:
    found = nudges(birthday, today, lead_days=lead_days)
    assert [day for _, day, _ in found] == expected_days
    assert [kind for kind, _, _ in found] == [CARD, DAY_OF][-len(expected_days) :]


def test_a_negative_lead_is_a_bug() -> None:
    with pytest.raises(ValueError, match="lead_days"):
        nudges(Birthday(14, 3, None), date(2027, 3, 1), lead_days=-1)


@given(
    when=st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),  # a leap year
    today=st.dates(min_value=date(2015, 1, 1), max_value=date(2045, 12, 31)),
    zone=ZONES,
    digest_hour=st.integers(0, 23),
    lead_days=st.integers(0, 60),
)
def test_birthday_nudges_land_on_the_local_birthday(
    when: date, today: date, zone: ZoneInfo, digest_hour: int, lead_days: int
) -> None:
    birthday = Birthday(when.day, when.month, None)
    found = birthday_nudges(
        birthday, today=today, zone=zone, digest_hour=digest_hour, lead_days=lead_days
    )
    kind, day, at = found[-1]
    assert kind is DAY_OF
    assert today <= day < today + timedelta(days=366)
    assert (day.month, day.day) in {(when.month, when.day), (2, 28)}
    assert (day.month, day.day) == (when.month, when.day) or when == date(2000, 2, 29)
    assert local_day(at, zone) == day
    if len(found) == 2:
        card_kind, card_day, card_at = found[0]
        assert card_kind is CARD
        assert today <= card_day == day - timedelta(days=lead_days)
        assert local_day(card_at, zone) == card_day
        assert card_at < at
    else:
        assert lead_days == 0 or day - timedelta(days=lead_days) < today


# --- quiet hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (oslo(2027, 1, 15, 22, 30), 21, 8, True),
        (oslo(2027, 1, 15, 21, 0), 21, 8, True),
        (oslo(2027, 1, 15, 0, 0), 21, 8, True),
        (oslo(2027, 1, 15, 7, 59), 21, 8, True),
        (oslo(2027, 1, 15, 8, 0), 21, 8, False),
        (oslo(2027, 1, 15, 20, 59), 21, 8, False),
        (oslo(2027, 1, 15, 12, 59), 13, 14, False),
        (oslo(2027, 1, 15, 13, 0), 13, 14, True),
        (oslo(2027, 1, 15, 13, 59), 13, 14, True),
        (oslo(2027, 1, 15, 14, 0), 13, 14, False),
        (oslo(2027, 1, 15, 23, 30), 23, 0, True),
        (oslo(2027, 1, 15, 0, 30), 23, 0, False),
        (oslo(2027, 1, 15, 3, 0), *QUIET_OFF, False),
        (oslo(2027, 1, 15, 22, 0), 22, 22, False),  # any start == end is off
        (utc(2027, 1, 15, 21, 30), 21, 8, True),  # 22:30 in Oslo: the local hour counts
        (utc(2027, 7, 15, 6, 30), 21, 8, False),  # 08:30 CEST
    ],
)
def test_in_quiet_hours(moment: datetime, start: int, end: int, quiet: bool) -> None:
    assert in_quiet_hours(moment, zone=OSLO, start_hour=start, end_hour=end) is quiet


@given(st.integers(0, 23), st.integers(0, 23), st.integers(0, 23))
def test_a_quiet_hour_is_one_whose_moments_are_quiet(hour: int, start: int, end: int) -> None:
    moment = oslo(2027, 1, 15, hour, 30)
    quiet = in_quiet_hours(moment, zone=OSLO, start_hour=start, end_hour=end)
    assert quiet_hour(hour, start_hour=start, end_hour=end) is quiet
    assert not quiet_hour(end, start_hour=start, end_hour=end), "the end hour is open again"


@pytest.mark.parametrize(
    ("moment", "start", "end", "expected"),
    [
        (oslo(2027, 1, 15, 22, 30), 21, 8, oslo(2027, 1, 16, 8)),
        (oslo(2027, 1, 15, 7, 59), 21, 8, oslo(2027, 1, 15, 8)),
        (oslo(2027, 1, 15, 0, 0), 21, 8, oslo(2027, 1, 15, 8)),
        (oslo(2027, 1, 15, 20, 59), 21, 8, oslo(2027, 1, 15, 20, 59)),
        (oslo(2027, 1, 15, 23, 0), *QUIET_OFF, oslo(2027, 1, 15, 23, 0)),
        (oslo(2027, 1, 15, 13, 30), 13, 14, oslo(2027, 1, 15, 14)),
        (oslo(2027, 12, 31, 23, 0), 21, 8, oslo(2028, 1, 1, 8)),
        # Across DST nights the wall clock still says 08:00 and UTC moves by an hour.
        (oslo(2027, 3, 27, 22, 30), 21, 8, utc(2027, 3, 28, 6)),
        (oslo(2027, 10, 30, 22, 30), 21, 8, utc(2027, 10, 31, 7)),
        (oslo(2027, 10, 31, 2, 30, fold=1), 1, 3, utc(2027, 10, 31, 2)),  # the second 02:30
        (oslo(2027, 3, 28, 1, 30), 0, 2, utc(2027, 3, 28, 1)),  # 02:00 skipped: 03:00 CEST
        (oslo(2027, 3, 28, 1, 30), 3, 2, oslo(2027, 3, 29, 2)),  # the open hour was skipped
    ],
)
def test_after_quiet_hours(moment: datetime, start: int, end: int, expected: datetime) -> None:
    assert after_quiet_hours(moment, zone=OSLO, start_hour=start, end_hour=end) == expected


def test_after_quiet_hours_takes_the_end_still_ahead_when_hours_repeat() -> None:
    second_0130 = utc(2027, 10, 31, 1, 30)  # Troll: 01:30+00, after the first 02:00 (+02)
    assert in_quiet_hours(second_0130, zone=TROLL, start_hour=0, end_hour=2)
    end = after_quiet_hours(second_0130, zone=TROLL, start_hour=0, end_hour=2)
    assert end == utc(2027, 10, 31, 2)


@pytest.mark.parametrize(
    ("moment", "start", "end", "expected"),
    [
        (utc(2024, 3, 30, 23, 30), 4, 2, utc(2024, 3, 31, 1)),  # 01:00 jumps to 03:00: open
        (utc(2024, 10, 27, 0, 0), 2, 0, utc(2024, 10, 27, 1)),  # 03:00 falls to 01:00: open
    ],
)
def test_quiet_hours_end_when_a_two_hour_jump_skips_the_end(
    moment: datetime, start: int, end: int, expected: datetime
) -> None:
    """Troll's two-hour DST shifts: the quiet ends at the jump, not a day later."""
    assert after_quiet_hours(moment, zone=TROLL, start_hour=start, end_hour=end) == expected


def test_quiet_hours_end_when_the_clock_jumps_past_midnight() -> None:
    saturday_2230 = utc(2027, 3, 28, 0, 30)  # Nuuk, UTC-2; at 23:00 the clock jumps to 00:00
    end = after_quiet_hours(saturday_2230, zone=NUUK, start_hour=12, end_hour=23)
    assert end == utc(2027, 3, 28, 1)
    assert end.astimezone(NUUK).replace(tzinfo=None) == datetime(2027, 3, 28, 0, 0)  # noqa: DTZ001


@pytest.mark.parametrize(("start", "end"), [(-1, 8), (21, 24), (24, 0)])
def test_quiet_hours_outside_the_clock_are_a_bug(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        in_quiet_hours(utc(2027, 1, 1), zone=OSLO, start_hour=start, end_hour=end)


def test_a_naive_moment_is_a_bug() -> None:
    naive = datetime(2027, 1, 1, 12)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="aware"):
        in_quiet_hours(naive, zone=OSLO, start_hour=QUIET_START, end_hour=QUIET_END)
    with pytest.raises(ValueError, match="aware"):
        local_day(naive, OSLO)


@given(moment=MOMENTS, zone=ZONES, start=st.integers(0, 23), end=st.integers(0, 23))
def test_after_quiet_hours_is_never_earlier_nor_quiet(
    moment: datetime, zone: ZoneInfo, start: int, end: int
) -> None:
    sent = after_quiet_hours(moment, zone=zone, start_hour=start, end_hour=end)
    assert moment <= sent < moment + timedelta(days=3)
    assert not in_quiet_hours(sent, zone=zone, start_hour=start, end_hour=end)
    if not in_quiet_hours(moment, zone=zone, start_hour=start, end_hour=end):
        assert sent == moment
    else:  # and not a second longer than needed
        assert in_quiet_hours(
            sent - timedelta(seconds=1), zone=zone, start_hour=start, end_hour=end
        )


# --- delivery -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late_by", "late"),
    [
        (timedelta(hours=-2), False),
        (timedelta(0), False),
        (timedelta(minutes=59, seconds=59), False),
        (timedelta(hours=1), False),
        (timedelta(hours=1, microseconds=1), True),
        (timedelta(days=3), True),
    ],
)
def test_is_late(late_by: timedelta, late: bool) -> None:
    due = utc(2027, 1, 15, 7)
    assert is_late(due, due + late_by) is late


def test_is_late_compares_instants_not_wall_clocks() -> None:
    due = utc(2027, 1, 15, 7)
    assert not is_late(due, (due + timedelta(minutes=30)).astimezone(TOKYO))


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(0, 30), (1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (9, 3600), (10**9, 3600)],
)
def test_retry_delay(attempts: int, seconds: int) -> None:
    assert retry_delay(attempts) == timedelta(seconds=seconds)


def test_a_negative_attempt_count_is_a_bug() -> None:
    with pytest.raises(ValueError, match="attempts"):
        retry_delay(-1)


@given(st.integers(0, 10**6))
def test_retry_delay_grows_and_is_capped(attempts: int) -> None:
    assert retry_delay(attempts) <= retry_delay(attempts + 1) <= RETRY_CAP
    assert retry_delay(attempts) >= timedelta(seconds=30)


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (utc(2027, 3, 13, 23), TOKYO, date(2027, 3, 14)),
        (utc(2027, 3, 14, 6), LOS_ANGELES, date(2027, 3, 13)),
        (utc(2027, 1, 14, 23), OSLO, date(2027, 1, 15)),
    ],
)
def test_local_day(moment: datetime, zone: ZoneInfo, expected: date) -> None:
    assert local_day(moment, zone) == expected
