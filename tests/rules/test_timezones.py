from __future__ import annotations

import time
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


@pytest.mark.parametrize("typed", ["", "   ", "Narnia", "12345", "Europe"])
def test_nonsense_is_not_a_zone(typed: str) -> None:
    assert match_zone(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Bergen", "Europe/Oslo"),
        ("Trondheim", "Europe/Oslo"),
        ("Tromsø", "Europe/Oslo"),
        ("tromso", "Europe/Oslo"),
        ("Stavanger", "Europe/Oslo"),
        ("  BODØ ", "Europe/Oslo"),
        ("alesund", "Europe/Oslo"),
        ("Gothenburg", "Europe/Stockholm"),
        ("Göteborg", "Europe/Stockholm"),
        ("goteborg", "Europe/Stockholm"),
        ("Malmö", "Europe/Stockholm"),
        ("Aarhus", "Europe/Copenhagen"),
        ("Århus", "Europe/Copenhagen"),
        ("Odense", "Europe/Copenhagen"),
        ("Tampere", "Europe/Helsinki"),
        ("Reykjavik", "Atlantic/Reykjavik"),
        ("München", "Europe/Berlin"),
        ("Chicago", "America/Chicago"),
        ("Mumbai", "Asia/Kolkata"),
    ],
)
def test_a_city_is_understood_by_any_of_its_names(typed: str, zone: str) -> None:
    assert match_zone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Bergen", "Europe/Oslo"),  # not Bergen in the Netherlands, nor Mons (Bergen in Dutch)
        ("Amsterdam", "Europe/Amsterdam"),  # not Amsterdam, New York
        ("Moscow", "Europe/Moscow"),  # not Moscow, Idaho
        ("Sydney", "Australia/Sydney"),  # not Sydney, Nova Scotia
        ("Trnava", "Europe/Bratislava"),  # its own name, not what Albanians call Tirana
        ("Mexico", "America/Mexico_City"),  # the capital, not a town of that name
    ],
)
def test_a_shared_name_means_the_city_most_people_mean(typed: str, zone: str) -> None:
    assert match_zone(typed) == zone


@pytest.mark.parametrize("typed", ["yes", "nei", "ok", "OSL", "54"])
def test_codes_and_everyday_words_are_not_taken_for_cities(typed: str) -> None:
    assert match_zone(typed) is None


def test_zone_names_and_aliases_come_before_cities() -> None:
    assert match_zone("la") == "America/Los_Angeles"  # an alias, whatever town is called La
    assert match_zone("Vancouver") == "America/Vancouver"


@given(st.text(max_size=40))
def test_any_answer_is_a_real_zone_or_none(typed: str) -> None:
    zone = match_zone(typed)
    assert zone is None or ZoneInfo(zone) is not None


def test_every_offered_zone_exists() -> None:
    assert all(match_zone(zone) == zone for zone in COMMON_ZONES)


def test_local_clock_follows_daylight_saving() -> None:
    assert local_clock("Europe/Oslo", datetime(2027, 1, 15, 12, 0, tzinfo=UTC)) == "13:00"
    assert local_clock("Europe/Oslo", datetime(2027, 7, 15, 12, 0, tzinfo=UTC)) == "14:00"


def test_the_city_names_are_read_once() -> None:
    match_zone("Bergen")
    started = time.perf_counter()
    for _ in range(1000):
        match_zone("Tromsø")
    assert time.perf_counter() - started < 0.5, "a lookup is a dict read, not a file read"
