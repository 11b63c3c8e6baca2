"""/settings → Calendar link: a private address a calendar app subscribes to (webhook mode).

set:cal        the screen: the address, or that there is none
set:cal:new    make one, or a new one (the old address stops working at once)
set:cal:off    turn it off (the address answers 404 from now on)
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup

from bot.calendar_feed import feed_url, new_token
from bot.context import BotContext
from bot.texts import Safe, Texts
from bot.ui.callbacks import setting
from bot.ui.keyboards import button, markup
from storage.queries import calendar_tokens

NEW, OFF = "new", "off"


def _screen(t: Texts, webhook_url: str, token: str | None) -> tuple[Safe, InlineKeyboardMarkup]:
    back = [button(t("button.back"), setting("menu"))]
    if token is None:
        return t("settings.calendar.none"), markup(
            [button(t.plain("settings.calendar.make"), setting("cal", NEW))], back
        )
    text = t("settings.calendar.link", url=feed_url(webhook_url, token))
    return text, markup(
        [button(t.plain("settings.calendar.renew"), setting("cal", NEW))],
        [button(t.plain("settings.calendar.off"), setting("cal", OFF))],
        back,
    )


async def calendar_pressed(query: CallbackQuery, context: BotContext, parts: list[str]) -> None:
    """Show the link screen, or make, renew or turn off the link and show it again."""
    t, webhook_url = context.t, context.settings.webhook_url
    if webhook_url is None or parts not in ([], [NEW], [OFF]):
        await query.answer(t.plain("common.stale"), show_alert=True)
        return
    token = context.me.calendar_token
    if parts:
        token = new_token() if parts == [NEW] else None
        async with context.sessions.begin() as session:
            await calendar_tokens.set_token(session, seller_id=context.me.id, token=token)
        await query.answer(t.plain("settings.saved"))
    else:
        await query.answer()
    text, buttons = _screen(t, webhook_url, token)
    await query.edit_message_text(text, reply_markup=buttons)
