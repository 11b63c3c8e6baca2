"""The follow-up date picker: a month of day buttons, in the seller's language.

"Pick a date" in /meet used to mean typing one; a calendar is one tap and cannot be misread.
Days already gone cannot be picked; days nobody works (weekends, public holidays in the
seller's country) can, but carry a mark so the seller sees the customer will not be at work.
Buttons are "m:cal:<contact>:YYYYMM" (show a month), "m:day:<contact>:YYYYMMDD" (pick a day)
and "m:nop:<contact>" (a cell that does nothing), read back with `bot.rules.calendar`.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.meeting.keyboards import back_row
from bot.rules.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    day_code,
    month_code,
    month_grid,
    shift_month,
)
from bot.rules.workdays import is_working_day
from bot.texts import Texts
from bot.ui.callbacks import meeting as data
from bot.ui.formatting import LOCALES
from bot.ui.keyboards import button, markup

SHOW_MONTH = "cal"
PICK_DAY = "day"
NOTHING = "nop"

PAST = "·"
PADDING = " "
DAY_OFF_MARK = "*"
PREVIOUS = "‹"
NEXT = "›"


def _locale(t: Texts) -> str:
    return LOCALES.get(t.language, LOCALES["en"])


def day_label(day: date, today: date, country: str) -> str:
    """A day cell's text: "·" when gone, "17*" on a weekend or public holiday, else "17".

    One mark for both, because to the seller they mean the same: the customer is not at
    work. The weekday columns already tell a weekend from a holiday; `holiday_name` names it.
    """
    if day < today:
        return PAST
    return f"{day.day}{'' if is_working_day(day, country) else DAY_OFF_MARK}"


def _weekday_row(t: Texts, contact_id: int) -> list[InlineKeyboardButton]:
    """ "Mo Tu … Su" / "ma ti … sø", Monday first."""
    names = get_day_names("short", locale=_locale(t))
    return [
        button(str(names[weekday]).rstrip("."), data(NOTHING, contact_id)) for weekday in range(7)
    ]


def _month_button(
    t: Texts, contact_id: int, year: int, month: int, arrow: str
) -> InlineKeyboardButton:
    """ "‹ November" / "January ›": the month it shows, named so a tap is never a surprise."""
    name = format_date(date(year, month, 1), "LLLL", locale=_locale(t))
    label = f"{arrow} {name}" if arrow == PREVIOUS else f"{name} {arrow}"
    return button(label, data(SHOW_MONTH, contact_id, month_code(year, month)))


def calendar_keyboard(
    t: Texts, contact_id: int, year: int, month: int, today: date, country: str
) -> InlineKeyboardMarkup:
    """The month `year`-`month` as buttons: title, weekdays, weeks, month paging, Back.

    `today` is the seller's local date; `country` whose holidays to mark (see `day_label`).
    The previous month is offered only while it is not wholly past, the next one up to the
    last year `bot.rules.calendar` reads back.
    """
    nothing = data(NOTHING, contact_id)
    title = format_date(date(year, month, 1), "LLLL y", locale=_locale(t))
    weeks = [
        [
            button(PADDING, nothing)
            if day is None
            else button(
                day_label(day, today, country),
                nothing if day < today else data(PICK_DAY, contact_id, day_code(day)),
            )
            for day in week
        ]
        for week in month_grid(year, month)
    ]
    paging: list[InlineKeyboardButton] = []
    previous = shift_month(year, month, -1)
    if previous >= (today.year, today.month) and previous[0] >= FIRST_YEAR:
        paging.append(_month_button(t, contact_id, *previous, PREVIOUS))
    following = shift_month(year, month, 1)
    if following[0] <= LAST_YEAR:
        paging.append(_month_button(t, contact_id, *following, NEXT))
    return markup(
        [button(title, nothing)],
        _weekday_row(t, contact_id),
        *weeks,
        paging,
        back_row(t, contact_id),
    )
