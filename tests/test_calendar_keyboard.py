"""The follow-up date picker's keyboard: what can be pressed, how it reads, what it sends."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.meeting.calendar import NOTHING, PICK_DAY, SHOW_MONTH, calendar_keyboard
from bot.rules.calendar import parse_day, parse_month
from bot.texts import Texts
from bot.ui.callbacks import DATA_MAX, ID_MAX, Prefix, decode

CONTACT = 42
TODAY = date(2027, 5, 10)  # a Monday


def keyboard(
    year: int = 2027,
    month: int = 5,
    *,
    today: date = TODAY,
    language: str = "en",
    country: str = "NO",
    contact_id: int = CONTACT,
) -> InlineKeyboardMarkup:
    return calendar_keyboard(Texts(language), contact_id, year, month, today, country)


def labels(markup: InlineKeyboardMarkup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def all_buttons(markup: InlineKeyboardMarkup) -> list[InlineKeyboardButton]:
    return [b for row in markup.inline_keyboard for b in row]


def action(b: InlineKeyboardButton) -> str:
    decoded = decode(str(b.callback_data))
    assert decoded is not None
    assert decoded.prefix is Prefix.MEETING
    assert decoded.target == CONTACT
    return decoded.action


def day_buttons(markup: InlineKeyboardMarkup) -> dict[date, InlineKeyboardButton]:
    """Pickable days by their date, read back from the callback data."""
    found = {}
    for b in all_buttons(markup):
        decoded = decode(str(b.callback_data))
        if decoded is not None and decoded.action == PICK_DAY:
            day = parse_day(decoded.args[0])
            assert day is not None
            found[day] = b
    return found


def test_the_layout_title_weekdays_weeks_paging_back() -> None:
    rows = labels(keyboard())
    assert rows[0] == ["May 2027"]
    assert rows[1] == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    weeks = rows[2:-2]
    assert len(weeks) == 6  # 1 May 2027 is a Saturday, 31 May a Monday
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][:5] == [" "] * 5
    assert weeks[-1][1:] == [" "] * 6
    assert rows[-1] == ["‹ Back"]


def test_norwegian_labels() -> None:
    rows = labels(keyboard(2026, 12, today=date(2026, 11, 20), language="nb"))
    assert rows[0] == ["desember 2026"]
    assert rows[1] == ["ma", "ti", "on", "to", "fr", "lø", "sø"]
    assert rows[-2] == ["‹ november", "januar ›"]
    assert rows[-1] == ["‹ Tilbake"]


def test_english_paging_names_the_months() -> None:
    rows = labels(keyboard(2026, 12, today=date(2026, 11, 20)))
    assert rows[0] == ["December 2026"]
    assert rows[-2] == ["‹ November", "January ›"]


def test_past_days_cannot_be_picked_and_today_can() -> None:
    markup = keyboard()
    picks = day_buttons(markup)
    assert min(picks) == TODAY
    assert picks[TODAY].text == "10"
    past = [b for b in all_buttons(markup) if b.text == "·"]
    assert len(past) == 9  # 1 to 9 May
    assert all(action(b) == NOTHING for b in past)


def test_every_remaining_day_of_the_month_is_pickable() -> None:
    picks = day_buttons(keyboard())
    assert sorted(picks) == [date(2027, 5, day) for day in range(10, 32)]


def test_a_holiday_and_a_weekend_are_marked_but_pickable() -> None:
    picks = day_buttons(keyboard())
    assert picks[date(2027, 5, 17)].text == "17*"  # Constitution Day, a Monday
    assert picks[date(2027, 5, 18)].text == "18"
    assert picks[date(2027, 5, 15)].text == "15*"  # Saturday
    assert picks[date(2027, 5, 16)].text == "16*"  # Sunday


def test_a_country_without_that_holiday_does_not_mark_it() -> None:
    assert day_buttons(keyboard(country="SE"))[date(2027, 5, 17)].text == "17"


def test_a_day_button_decodes_to_its_date() -> None:
    b = day_buttons(keyboard())[date(2027, 5, 20)]
    decoded = decode(str(b.callback_data))
    assert decoded is not None
    assert (decoded.prefix, decoded.target, decoded.action) == (Prefix.MEETING, CONTACT, "day")
    assert parse_day(decoded.args[0]) == date(2027, 5, 20)


def test_title_weekdays_and_padding_do_nothing() -> None:
    rows = keyboard().inline_keyboard
    inert = [*rows[0], *rows[1], *(b for row in rows[2:-2] for b in row if b.text == " ")]
    assert inert
    assert all(action(b) == NOTHING for b in inert)


def test_no_previous_month_in_the_current_month() -> None:
    paging = keyboard().inline_keyboard[-2]
    assert [b.text for b in paging] == ["June ›"]
    decoded = decode(str(paging[0].callback_data))
    assert decoded is not None
    assert decoded.action == SHOW_MONTH
    assert parse_month(decoded.args[0]) == (2027, 6)


def test_a_later_month_pages_back_and_crosses_the_year() -> None:
    paging = keyboard(2028, 1).inline_keyboard[-2]
    assert all(action(b) == SHOW_MONTH for b in paging)
    months = [parse_month(str(b.callback_data).rsplit(":", 1)[-1]) for b in paging]
    assert months == [(2027, 12), (2028, 2)]


def test_a_month_wholly_past_shows_no_pickable_day() -> None:
    markup = keyboard(2027, 4)
    assert day_buttons(markup) == {}
    assert [b.text for b in markup.inline_keyboard[-2]] == ["May ›"]


def test_the_last_month_read_back_offers_no_next() -> None:
    markup = keyboard(2100, 12, today=date(2100, 12, 1))
    assert [b for b in all_buttons(markup) if action(b) == SHOW_MONTH] == []
    assert labels(markup)[-2] == ["27", "28", "29", "30", "31", " ", " "]


@pytest.mark.parametrize("language", ["en", "nb"])
@given(
    year=st.integers(2000, 2100),
    month=st.integers(1, 12),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_all_data_fits_for_the_largest_contact_id(
    language: str, year: int, month: int, today: date
) -> None:
    markup = keyboard(year, month, today=today, language=language, contact_id=ID_MAX)
    for b in all_buttons(markup):
        assert b.callback_data is not None
        assert len(str(b.callback_data).encode()) <= DATA_MAX
        assert b.text
