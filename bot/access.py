"""Who may use the bot, and loading the seller behind each update before any feature runs.

The gate fails closed: whatever happens to a refusal (a 502, a blocked user), the update
stops there and nothing about the sender is stored. The CRM answers only in a private chat
with its seller: a group or channel is told once that it works in private, and an edit of
an old message or a Telegram Business message is left alone (never run again as new input,
never answered to the seller's own customers).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.rules.language import language_for
from bot.texts import Texts
from storage.queries import arrival

log = logging.getLogger(__name__)


async def gate(update: Update, context: BotContext) -> None:
    """Only a seller's own messages and presses in a private chat go on; the rest stop here."""
    user = update.effective_user
    if user is None or user.is_bot or (update.message is None and update.callback_query is None):
        raise ApplicationHandlerStop  # edits, business messages, channel posts, the rest
    context.language_hint = language_for(user.language_code, context.settings.default_language)
    t = Texts(context.language_hint)
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        await _best_effort(update, context, _private_only(update, context, t))
        raise ApplicationHandlerStop
    if context.settings.is_allowed(user.id):
        return
    log.info("refused update %s from a user not on the allow-list", update.update_id)
    await _best_effort(update, context, _refuse(update, context, t))
    raise ApplicationHandlerStop


async def _refuse(update: Update, context: BotContext, t: Texts) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(t.plain("access.refused"), show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, t("access.refused"))


async def _private_only(update: Update, context: BotContext, t: Texts) -> None:
    """Said once per group or channel (per run): the CRM shows nothing outside a private chat."""
    chat = update.effective_chat
    assert chat is not None
    told = context.bot_data.told_private
    if update.callback_query is not None:
        await update.callback_query.answer(t.plain("access.private_only"), show_alert=True)
    elif chat.id not in told:
        told.add(chat.id)
        await context.bot.send_message(chat.id, t("access.private_only"))


async def _best_effort(update: Update, context: BotContext, reply: Awaitable[None]) -> None:
    """A reply that may fail (Telegram down, the user blocked the bot): logged, never raised,
    so the gate stops the update whatever happened."""
    try:
        await reply
    except TelegramError as error:
        log.warning(
            "could not answer update %s at the gate: %s", update.update_id, type(error).__name__
        )


async def load_seller(update: Update, context: BotContext) -> None:
    """Every allowed user who writes is a seller: create the row on first sight. Their open
    conversation and any missed updates are read with it (`storage.queries.arrival`)."""
    user = update.effective_user
    assert user is not None, "the gate stops updates without a user"
    async with context.sessions.begin() as session:
        arrived = await arrival.arrive(
            session,
            seller_id=user.id,
            language=context.language_hint or "en",
            timezone=context.settings.default_timezone,
        )
    context.seller, context.missed = arrived.seller, arrived.missed
