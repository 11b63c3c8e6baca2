"""A follow-up set on a weekend or public holiday: said, with a one-tap move.

Wherever a follow-up is set from a typed date (the meeting, a reply to a card), the seller
sees the same warning and the same "➡️ Move to Monday" button; the screen it is on answers
the press (the meeting's `m:mvd`, the card's `c:mvd`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot.context import BotContext
from bot.rules.workdays import country_for_zone, holiday_name, is_working_day, next_working_day
from bot.texts import Safe
from bot.ui.formatting import weekday_in_words
from bot.ui.keyboards import button


def off_day(
    context: BotContext, instant: datetime, move: str
) -> tuple[Safe | None, list[InlineKeyboardButton] | None]:
    """The warning and the move button (callback data `move`) for a follow-up at `instant`;
    (None, None) on a working day in the seller's country."""
    zone = context.me.timezone
    day = instant.astimezone(ZoneInfo(zone)).date()
    country = country_for_zone(zone)
    if is_working_day(day, country):
        return None, None
    t, language = context.t, context.me.language
    holiday = holiday_name(day, country, language)
    named = weekday_in_words(day, language)
    notice = t("meet.holiday", day=named, name=holiday) if holiday else t("meet.weekend", day=named)
    target = weekday_in_words(next_working_day(day, country), language)
    return notice, [button(t.plain("meet.button.move_day", day=target), move)]
