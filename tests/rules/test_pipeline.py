"""Keep-in-touch periods, who is stuck, conversion rates and the birthday window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.birthdays import Birthday, next_birthday
from bot.rules.pipeline import (
    BIRTHDAY_HORIZON,
    DEFAULT_KEEP_IN_TOUCH,
    PERIOD_CHOICES,
    birthday_days,
    days_since,
    is_stuck,
    keep_in_touch,
    local_today,
    one_answer_missing,
    rate,
    start_of_day,
    stuck_before,
)
from storage.vocabulary import Answer, Criterion, Stage

ZONES = ["Europe/Oslo", "America/New_York", "Asia/Tokyo", "UTC", "Pacific/Auckland"]
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2060, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def test_the_defaults_follow_the_product() -> None:
    assert keep_in_touch(None) == {
        Stage.LEAD: 30,
        Stage.PROSPECT: 14,
        Stage.CUSTOMER: 60,
        Stage.REPEAT: 90,
    }
    assert set(DEFAULT_KEEP_IN_TOUCH.values()) <= set(PERIOD_CHOICES)


def test_a_sellers_choice_overrides_only_its_stage() -> None:
    periods = keep_in_touch({"prospect": 7})
    assert periods[Stage.PROSPECT] == 7
    assert periods[Stage.CUSTOMER] == 60


@pytest.mark.parametrize("bad", [0, -3, 366, "14", 14.5, True, None, [14]])
def test_nonsense_in_the_stored_overrides_falls_back_to_the_default(bad: object) -> None:
    assert keep_in_touch({"prospect": bad, "nonsense": 5})[Stage.PROSPECT] == 14


def test_days_are_counted_on_the_sellers_calendar() -> None:
    late_evening = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)  # 23:30 in Oslo
    next_morning = datetime(2027, 3, 2, 6, 0, tzinfo=UTC)
    assert days_since(late_evening, next_morning, "Europe/Oslo") == 1
    assert days_since(late_evening, next_morning, "America/New_York") == 1
    assert days_since(late_evening, next_morning, "Asia/Tokyo") == 0  # both on 2 March there


def test_stuck_starts_the_day_after_the_period_ends() -> None:
    last = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    fourteen = datetime(2027, 3, 15, 21, 0, tzinfo=UTC)
    fifteen = datetime(2027, 3, 16, 7, 0, tzinfo=UTC)
    assert not is_stuck(days_since(last, fourteen, "Europe/Oslo"), 14)
    assert is_stuck(days_since(last, fifteen, "Europe/Oslo"), 14)


@given(days=st.integers(0, 400), period=st.integers(1, 365))
def test_stuck_exactly_when_the_days_exceed_the_period(days: int, period: int) -> None:
    assert is_stuck(days, period) == (days > period)


@given(since=instants, now=instants, zone=st.sampled_from(ZONES), period=st.integers(1, 365))
def test_the_database_cutoff_agrees_with_the_rule(
    since: datetime, now: datetime, zone: str, period: int
) -> None:
    """`since < stuck_before(...)` is what the queries filter on; it must mean `is_stuck`."""
    assert (since < stuck_before(now, zone, period)) == is_stuck(
        days_since(since, now, zone), period
    )


@given(now=instants, zone=st.sampled_from(ZONES))
def test_a_local_day_starts_at_local_midnight(now: datetime, zone: str) -> None:
    today = local_today(now, zone)
    start = start_of_day(today, zone)
    assert start <= now
    assert local_today(start, zone) == today
    assert local_today(start - timedelta(microseconds=1), zone) == today - timedelta(days=1)


@given(converted=st.integers(-5, 10_000), base=st.integers(-5, 10_000))
def test_conversion_is_a_share_between_zero_and_one(converted: int, base: int) -> None:
    share = rate(converted, base)
    if base <= 0:
        assert share is None
    else:
        assert share is not None
        assert 0.0 <= share <= 1.0


def test_conversion_examples() -> None:
    assert rate(5, 12) == pytest.approx(5 / 12)
    assert rate(0, 3) == 0.0
    assert rate(3, 3) == 1.0
    assert rate(0, 0) is None


def test_the_birthday_window_covers_today_and_the_next_seven_days() -> None:
    days = birthday_days(date(2027, 12, 28))
    assert days == {(12, 28), (12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3), (1, 4)}


def test_29_february_is_celebrated_on_the_28th_in_other_years() -> None:
    assert (2, 29) in birthday_days(date(2027, 2, 25))
    assert (2, 29) in birthday_days(date(2028, 2, 25))  # a leap year: the day itself
    assert (2, 29) not in birthday_days(date(2027, 3, 1))


@given(today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_the_window_is_exactly_the_birthdays_due_within_a_week(today: date) -> None:
    """Every (month, day) it holds comes round within 7 days, and every such day is in it."""
    window = birthday_days(today)
    for month, day in window:
        coming = next_birthday(Birthday(day, month, None), today=today)
        assert (coming - today).days <= BIRTHDAY_HORIZON
    ahead = {today + timedelta(days=n) for n in range(BIRTHDAY_HORIZON + 1)}
    assert {(d.month, d.day) for d in ahead} <= window


YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN


@pytest.mark.parametrize(
    ("market_fit", "budget", "authority", "missing"),
    [
        (YES, YES, UNKNOWN, Criterion.AUTHORITY),
        (YES, UNKNOWN, YES, Criterion.BUDGET),
        (UNKNOWN, YES, YES, Criterion.MARKET_FIT),
        (YES, NO, UNKNOWN, None),  # cannot qualify whatever the answer
        (YES, UNKNOWN, UNKNOWN, None),  # two questions to go
        (YES, YES, YES, None),
    ],
)
def test_one_answer_missing(
    market_fit: Answer, budget: Answer, authority: Answer, missing: Criterion | None
) -> None:
    answers = {
        Criterion.MARKET_FIT: market_fit,
        Criterion.BUDGET: budget,
        Criterion.AUTHORITY: authority,
    }
    assert one_answer_missing(answers) is missing
