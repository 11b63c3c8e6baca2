"""Who may use the bot, and loading the seller behind each update before any feature runs."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.rules.language import language_for
from bot.texts import Texts
from storage.queries import sellers

log = logging.getLogger(__name__)


async def gate(update: Update, context: BotContext) -> None:
    """Refuse politely anyone outside ALLOWED_USER_IDS, storing nothing about them."""
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    context.language_hint = language_for(user.language_code, context.settings.default_language)
    if context.settings.is_allowed(user.id):
        return
    log.info("refused update %s from a user not on the allow-list", update.update_id)
    t = Texts(context.language_hint)
    if update.callback_query is not None:
        await update.callback_query.answer(t("access.refused"), show_alert=True)
    elif update.effective_chat is not None and update.effective_chat.type == "private":
        await context.bot.send_message(update.effective_chat.id, t("access.refused"))
    raise ApplicationHandlerStop


async def load_seller(update: Update, context: BotContext) -> None:
    """Every allowed user who writes is a seller: create the row on first sight."""
    user = update.effective_user
    assert user is not None, "the gate stops updates without a user"
    async with context.sessions.begin() as session:
        context.seller, _ = await sellers.get_or_create_seller(
            session,
            seller_id=user.id,
            language=context.language_hint or "en",
            timezone=context.settings.default_timezone,
        )
