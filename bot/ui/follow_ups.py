"""A follow-up just set, said the same wherever it was set: "✅ Follow-up with Kari: …", and
on a weekend or public holiday a warning under it with a one-tap move.

The meeting and a reply to a card both say it with `follow_up_said`; the screen it is on
answers the "➡️ Move to Monday" press (the meeting's `m:mvd`, the card's `c:mvd`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot.context import BotContext
from bot.rules.workdays import country_for_zone, holiday_name, is_working_day, next_working_day
from bot.texts import Safe
from bot.ui.formatting import moment_in_words, weekday_in_words
from bot.ui.keyboards import button


def follow_up_said(
    context: BotContext, name: str, instant: datetime, move: str
) -> tuple[Safe, list[InlineKeyboardButton] | None]:
    """What to say above the screen, and the move button's row (None on a working day)."""
    seller = context.me
    when = moment_in_words(instant, seller.timezone, seller.language)
    said = context.t("meet.follow_set", name=name, when=when)
    notice, extra = _off_day(context, instant, move)
    return (Safe(f"{said}\n{notice}") if notice else said), extra


def _off_day(
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
