"""Working days: the country of a zone, holidays named in the seller's language, weekends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules import workdays
from bot.rules.workdays import (
    country_for_zone,
    holiday_name,
    is_working_day,
    next_working_day,
    on_next_working_day,
)


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Oslo", "NO"),
        ("Europe/Stockholm", "SE"),
        ("America/New_York", "US"),
        ("Asia/Kolkata", "IN"),
        ("Asia/Calcutta", "IN"),  # an old name, through the alias table
        ("Europe/Kiev", "UA"),
        ("UTC", "NO"),
        ("Etc/UTC", "NO"),
        ("Etc/GMT+3", "NO"),
        ("Mars/Olympus", "NO"),
        ("", "NO"),
    ],
)
def test_a_zone_names_its_country_or_norway(zone: str, country: str) -> None:
    assert country_for_zone(zone) == country


@pytest.mark.parametrize(
    ("day", "language", "name"),
    [
        (date(2026, 12, 25), "nb", "Første juledag"),
        (date(2026, 12, 25), "en", "Christmas Day"),
        (date(2026, 12, 26), "nb", "Andre juledag"),
        (date(2027, 1, 1), "nb", "Første nyttårsdag"),
    ],
)
def test_norwegian_holidays_are_named_in_the_sellers_language(
    day: date, language: str, name: str
) -> None:
    assert holiday_name(day, "NO", language) == name


def test_constitution_day_is_a_holiday_even_when_it_shares_the_day() -> None:
    # 17 May 2027 is also Whit Monday: both names are kept.
    assert "Grunnlovsdag" in (holiday_name(date(2027, 5, 17), "NO", "nb") or "")
    assert "Constitution Day" in (holiday_name(date(2027, 5, 17), "NO", "en") or "")
    assert holiday_name(date(2026, 5, 17), "NO", "nb") == "Grunnlovsdag"


def test_a_country_without_the_sellers_language_names_holidays_its_own_way() -> None:
    assert holiday_name(date(2026, 7, 4), "US", "nb") == "Independence Day"


def test_no_holiday_on_an_ordinary_day_or_in_an_unknown_country() -> None:
    assert holiday_name(date(2026, 12, 2), "NO", "nb") is None
    assert holiday_name(date(2026, 12, 25), "ZZ", "en") is None
    assert holiday_name(date(2026, 12, 25), "", "en") is None


def test_an_unknown_language_still_names_the_holiday() -> None:
    assert holiday_name(date(2026, 12, 25), "NO", "xx")


@pytest.fixture
def sundays_listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Norway's table as older `holidays` versions build it: every Sunday a "Søndag"."""
    original = holidays.country_holidays

    def with_sundays(country: str, **kwargs: Any) -> Any:
        if country == "NO":
            kwargs["include_sundays"] = True
        return original(country, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", with_sundays)
    workdays._holidays.cache_clear()
    yield
    workdays._holidays.cache_clear()


@pytest.mark.usefixtures("sundays_listed")
def test_a_sunday_is_a_weekend_not_a_holiday_named_sunday() -> None:
    listed = holidays.country_holidays("NO", years=2027, language="no")
    assert listed.get(date(2027, 1, 3)) == "Søndag"
    ordinary_sunday = date(2027, 1, 3)
    assert holiday_name(ordinary_sunday, "NO", "nb") is None
    assert holiday_name(ordinary_sunday, "NO", "en") is None
    assert not is_working_day(ordinary_sunday, "NO")
    # A real holiday on a Sunday keeps its own name.
    assert holiday_name(date(2027, 3, 28), "NO", "nb") == "Første påskedag"
    assert holiday_name(date(2027, 3, 28), "NO", "en") == "Easter Sunday"


def test_only_sundays_that_are_holidays_have_a_name() -> None:
    sundays = [date(2027, 1, 3) + timedelta(weeks=n) for n in range(52)]
    named = {day: holiday_name(day, "NO", "nb") for day in sundays}
    assert {day: name for day, name in named.items() if name} == {
        date(2027, 3, 28): "Første påskedag",
        date(2027, 5, 16): "Første pinsedag",
        date(2027, 12, 26): "Andre juledag",
    }


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 2), True),  # a Wednesday
        (date(2026, 12, 5), False),  # Saturday
        (date(2026, 12, 6), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2027, 5, 17), False),  # Constitution Day, a Monday
        (date(2027, 5, 18), True),
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day, "NO") is working


def test_weekends_still_count_in_a_country_holidays_does_not_know() -> None:
    assert is_working_day(date(2026, 12, 25), "ZZ")
    assert not is_working_day(date(2026, 12, 26), "ZZ")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 2), date(2026, 12, 2)),  # a working day is itself
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday → Monday
        (date(2026, 12, 24), date(2026, 12, 24)),  # Christmas Eve is not a public holiday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas Day, Boxing Day, Sunday
        (date(2027, 3, 25), date(2027, 3, 30)),  # Maundy Thursday → after Easter Monday
        (date(2027, 5, 15), date(2027, 5, 18)),  # a weekend, then 17 May
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert next_working_day(day, "NO") == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_next_working_day_is_one_and_none_is_skipped(day: date) -> None:
    found = next_working_day(day, "NO")
    assert found >= day
    assert is_working_day(found, "NO")
    assert all(not is_working_day(day + timedelta(n), "NO") for n in range((found - day).days))


def test_a_follow_up_moves_to_the_next_working_day_at_the_same_local_time() -> None:
    christmas_eve_morning = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)  # 09:30 in Oslo
    # 25 and 26 December are holidays, 27 a Sunday: Monday 28 December, 09:30 in Oslo.
    moved = on_next_working_day(datetime(2026, 12, 25, 8, 30, tzinfo=UTC), "Europe/Oslo")

    assert moved.astimezone(UTC) == datetime(2026, 12, 28, 8, 30, tzinfo=UTC)
    assert on_next_working_day(christmas_eve_morning, "Europe/Oslo") == christmas_eve_morning
