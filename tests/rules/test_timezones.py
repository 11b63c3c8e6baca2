from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.timezones import COMMON_ZONES, local_clock, match_zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Oslo", "Europe/Oslo"),
        ("oslo", "Europe/Oslo"),
        ("  OSLO ", "Europe/Oslo"),
        ("Norge", "Europe/Oslo"),
        ("tokyo", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("Los_Angeles", "America/Los_Angeles"),
        ("são paulo", "America/Sao_Paulo"),
        ("København", "Europe/Copenhagen"),
        ("utc", "UTC"),
    ],
)
def test_typed_zone_or_city_is_understood(typed: str, zone: str) -> None:
    assert match_zone(typed) == zone


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "12345", "Europe"])
def test_nonsense_is_not_a_zone(typed: str) -> None:
    assert match_zone(typed) is None


@given(st.text(max_size=40))
def test_any_answer_is_a_real_zone_or_none(typed: str) -> None:
    zone = match_zone(typed)
    assert zone is None or ZoneInfo(zone) is not None


def test_every_offered_zone_exists() -> None:
    assert all(match_zone(zone) == zone for zone in COMMON_ZONES)


def test_local_clock_follows_daylight_saving() -> None:
    assert local_clock("Europe/Oslo", datetime(2027, 1, 15, 12, 0, tzinfo=UTC)) == "13:00"
    assert local_clock("Europe/Oslo", datetime(2027, 7, 15, 12, 0, tzinfo=UTC)) == "14:00"
