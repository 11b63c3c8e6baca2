from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.birthdays import Birthday, age_on, next_birthday, parse_birthday

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.03", Birthday(14, 3, None)),
        ("14.3", Birthday(14, 3, None)),
        ("14/3", Birthday(14, 3, None)),
        ("14. mars 1985", Birthday(14, 3, 1985)),
        ("14. Mars 1985", Birthday(14, 3, 1985)),
        ("14 mars", Birthday(14, 3, None)),
        ("1. des", Birthday(1, 12, None)),
        ("17. mai", Birthday(17, 5, None)),
        ("March 14", Birthday(14, 3, None)),
        ("March 14th, 1985", Birthday(14, 3, 1985)),
        ("14 March 1985", Birthday(14, 3, 1985)),
        ("14.03.1985", Birthday(14, 3, 1985)),
        ("1985-03-14", Birthday(14, 3, 1985)),
        ("14.03.85", Birthday(14, 3, 1985)),
        ("14.03.05", Birthday(14, 3, 2005)),
        ("29.02", Birthday(29, 2, None)),
        ("29.02.1984", Birthday(29, 2, 1984)),
        ("25.11.2026", Birthday(25, 11, 2026)),  # born today
        ("01.01.1900", Birthday(1, 1, 1900)),
    ],
)
def test_birthday_forms(text: str, expected: Birthday) -> None:
    assert parse_birthday(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "banana",
        "29.02.1985",  # not a leap year
        "30.02",
        "31.04",
        "32.01",
        "14.13",
        "14",
        "26.11.2026",  # tomorrow: not born yet
        "14.03.2030",
        "31.12.1899",
        "i morgen",
    ],
)
def test_impossible_birthdays_are_none(text: str) -> None:
    assert parse_birthday(text, today=TODAY) is None


def test_a_birthday_must_be_a_real_day() -> None:
    with pytest.raises(ValueError, match="day"):
        Birthday(31, 4, None)


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (Birthday(14, 3, None), TODAY, date(2027, 3, 14)),
        (Birthday(25, 11, 1985), TODAY, TODAY),  # today counts
        (Birthday(24, 11, None), TODAY, date(2027, 11, 24)),
        (Birthday(31, 12, None), TODAY, date(2026, 12, 31)),
        (Birthday(29, 2, None), date(2027, 1, 1), date(2027, 2, 28)),
        (Birthday(29, 2, 1984), date(2028, 1, 1), date(2028, 2, 29)),
        (Birthday(29, 2, None), date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_next_birthday(birthday: Birthday, today: date, expected: date) -> None:
    assert next_birthday(birthday, today=today) == expected


@pytest.mark.parametrize(
    ("birthday", "day", "age"),
    [
        (Birthday(14, 3, 1985), date(2027, 3, 14), 42),
        (Birthday(14, 3, 1985), date(2027, 3, 13), 41),
        (Birthday(14, 3, 1985), date(1985, 3, 14), 0),
        (Birthday(14, 3, 1985), date(1985, 3, 13), None),  # not born yet
        (Birthday(14, 3, None), date(2027, 3, 14), None),
        (Birthday(29, 2, 1984), date(2027, 2, 28), 43),
        (Birthday(29, 2, 1984), date(2027, 2, 27), 42),
        (Birthday(29, 2, 1984), date(2028, 2, 29), 44),
    ],
)
def test_age_on(birthday: Birthday, day: date, age: int | None) -> None:
    assert age_on(birthday, day) == age


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 25))
todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(born=births, year_known=st.booleans(), today=todays)
def test_next_birthday_is_within_the_coming_year(born: date, year_known: bool, today: date) -> None:
    birthday = Birthday(born.day, born.month, born.year if year_known else None)
    upcoming = next_birthday(birthday, today=today)
    assert today <= upcoming < today + timedelta(days=367)
    leap_day = (born.month, born.day) == (2, 29)
    allowed = {(born.month, born.day), (2, 28)} if leap_day else {(born.month, born.day)}
    assert (upcoming.month, upcoming.day) in allowed
    if year_known and upcoming >= born:
        assert age_on(birthday, upcoming) == upcoming.year - born.year


@given(born=births)
def test_a_typed_birth_date_reads_back(born: date) -> None:
    typed = f"{born.day}.{born.month}.{born.year}"
    assert parse_birthday(typed, today=TODAY) == Birthday(born.day, born.month, born.year)


@given(st.text())
def test_parse_birthday_never_raises(text: str) -> None:
    birthday = parse_birthday(text, today=TODAY)
    assert birthday is None or isinstance(birthday, Birthday)
