"""A month as weeks, month paging, and reading back the codes a calendar button carries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.calendar import (
    day_code,
    month_code,
    month_grid,
    parse_day,
    parse_month,
    shift_month,
)

months = st.tuples(st.integers(2000, 2100), st.integers(1, 12))


def days_of(grid: list[list[date | None]]) -> list[date]:
    return [day for week in grid for day in week if day is not None]


def test_a_month_starting_on_monday_has_no_padding_before() -> None:
    grid = month_grid(2027, 2)  # 1 Feb 2027 is a Monday; 28 days, exactly 4 weeks
    assert grid[0][0] == date(2027, 2, 1)
    assert len(grid) == 4
    assert grid[-1][-1] == date(2027, 2, 28)


def test_a_month_starting_on_sunday_pads_six_days() -> None:
    grid = month_grid(2026, 11)  # 1 Nov 2026 is a Sunday
    assert grid[0] == [None] * 6 + [date(2026, 11, 1)]
    assert grid[-1][0] == date(2026, 11, 30)
    assert grid[-1][1:] == [None] * 6
    assert len(grid) == 6


def test_february_of_a_leap_year_has_its_29th() -> None:
    grid = month_grid(2028, 2)  # 1 Feb 2028 is a Tuesday
    assert grid[0][:2] == [None, date(2028, 2, 1)]
    assert days_of(grid)[-1] == date(2028, 2, 29)
    assert len(days_of(grid)) == 29


def test_december_pads_instead_of_showing_january() -> None:
    grid = month_grid(2026, 12)
    assert days_of(grid)[-1] == date(2026, 12, 31)
    assert grid[-1] == [date(2026, 12, 28 + n) for n in range(4)] + [None] * 3


@given(months)
def test_every_day_of_the_month_appears_once_in_order_under_its_weekday(
    month: tuple[int, int],
) -> None:
    year, number = month
    grid = month_grid(year, number)
    assert all(len(week) == 7 for week in grid)
    days = days_of(grid)
    first = date(year, number, 1)
    next_first = date(*shift_month(year, number, 1), 1)
    assert days == [first + timedelta(n) for n in range((next_first - first).days)]
    for week in grid:
        for column, day in enumerate(week):
            assert day is None or day.weekday() == column


@pytest.mark.parametrize(
    ("year", "month", "delta", "expected"),
    [
        (2026, 12, 1, (2027, 1)),
        (2027, 1, -1, (2026, 12)),
        (2026, 5, 0, (2026, 5)),
        (2026, 5, 12, (2027, 5)),
        (2026, 5, -17, (2024, 12)),
        (2026, 1, 24, (2028, 1)),
    ],
)
def test_shift_month(year: int, month: int, delta: int, expected: tuple[int, int]) -> None:
    assert shift_month(year, month, delta) == expected


@given(months, st.integers(-1200, 1200))
def test_shifting_there_and_back(month: tuple[int, int], delta: int) -> None:
    there = shift_month(*month, delta)
    assert 1 <= there[1] <= 12
    assert shift_month(*there, -delta) == month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("202612", (2026, 12)),
        ("200001", (2000, 1)),
        ("210012", (2100, 12)),
        ("202613", None),
        ("202600", None),
        ("199912", None),
        ("210101", None),
        ("20261", None),
        ("2026120", None),
        ("2026-1", None),
        (" 20261", None),
        ("\uff12\uff10\uff12\uff16\uff11\uff12", None),  # full-width digits
        ("2026\u00b9\u00b2", None),
        ("", None),
    ],
)
def test_parse_month(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20261204", date(2026, 12, 4)),
        ("20280229", date(2028, 2, 29)),
        ("21001231", date(2100, 12, 31)),
        ("20270229", None),
        ("20261131", None),
        ("20261200", None),
        ("19991231", None),
        ("21010101", None),
        ("2026124", None),
        ("202612041", None),
        ("2026-12-4", None),
        ("\uff12\uff10\uff12\uff16\uff11\uff12\uff10\uff14", None),
        ("", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_code_reads_back(day: date) -> None:
    assert parse_day(day_code(day)) == day
    assert parse_month(month_code(day.year, day.month)) == (day.year, day.month)


@given(st.text())
def test_reading_any_text_never_raises(text: str) -> None:
    month = parse_month(text)
    day = parse_day(text)
    assert month is None or (len(text) == 6 and 2000 <= month[0] <= 2100)
    assert day is None or (len(text) == 8 and 2000 <= day.year <= 2100)


@given(st.text(alphabet="0123456789", min_size=6, max_size=8))
def test_reading_digit_strings_never_raises(text: str) -> None:
    parse_month(text)
    parse_day(text)
