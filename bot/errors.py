"""The one error handler: log with context first, then a brief, reassuring apology."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from bot.rules.language import language_for
from storage.queries import sellers

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with who and what it was about; tell the seller nothing was lost."""
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=context.error)
        return
    user = update.effective_user
    log.error(
        "error handling update %s (user %s, %s)",
        update.update_id,
        user.id if user else "-",
        _describe(update),
        exc_info=context.error,
    )
    if isinstance(context.error, Forbidden):
        return  # the seller blocked the bot: there is no one to apologise to
    chat = update.effective_chat
    if chat is None or user is None:
        return
    context.language_hint = await _language(context, user.id, user.language_code)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(chat.id, context.t("error.apology"))
    except TelegramError:
        log.warning("could not send the apology for update %s", update.update_id, exc_info=True)


async def _language(context: BotContext, user_id: int, telegram_code: str | None) -> str:
    """The seller's chosen language if the database still answers, else their Telegram one."""
    try:
        async with context.sessions.begin() as session:
            seller = await sellers.get_seller(session, seller_id=user_id)
    except SQLAlchemyError:
        seller = None
    if seller is not None:
        return seller.language
    return language_for(telegram_code, context.settings.default_language)


def _describe(update: Update) -> str:
    """What the seller did, without their words (which may be private notes)."""
    if update.callback_query is not None:
        return f"button {update.callback_query.data!r}"
    message = update.effective_message
    if message is not None and message.text is not None and message.text.startswith("/"):
        return f"command {message.text.split()[0]!r}"
    return "message" if message is not None else "other update"
