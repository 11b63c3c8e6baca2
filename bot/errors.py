"""The one error handler: log with context first, then a brief, reassuring apology.

A failure that passes (the database or the Bot API down for a moment) is no bug: the update
processor (`bot.processing`) rolls the update back and handles it again. The seller is told
once per outage that the bot is unavailable and their message kept, instead of an apology
on every attempt.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import update_scope
from bot.context import BotContext
from bot.processing import passing
from bot.rules.language import language_for
from storage.queries import sellers

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with who and what it was about; tell the seller nothing was lost.

    Then no later handler group runs on the update: its transaction is rolled back anyway,
    and a feature must not run without what an earlier group failed to load (the seller).
    """
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=context.error)
        return
    await _report(update, context)
    raise ApplicationHandlerStop


async def _report(update: Update, context: BotContext) -> None:
    scope = update_scope.current()
    if scope is not None:
        scope.error = context.error  # the processor rolls back, and retries what passes
        if passing(context.error):
            await _tell_unavailable(update, context)
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


async def _tell_unavailable(update: Update, context: BotContext) -> None:
    """Once per seller and outage, and only for the database: while the Bot API is down
    nothing can be said anyway."""
    log.warning(
        "update %s: %s; it is kept and will be handled again",
        update.update_id,
        type(context.error).__name__,
    )
    user, chat = update.effective_user, update.effective_chat
    told = context.bot_data.told_unavailable
    if isinstance(context.error, TelegramError) or user is None or chat is None:
        return
    if user.id in told:
        return
    told.add(user.id)
    context.language_hint = language_for(user.language_code, context.settings.default_language)
    try:
        await context.bot.send_message(chat.id, context.t("inbox.unavailable"))
    except TelegramError:
        log.warning("could not tell update %s's seller of the outage", update.update_id)


async def _language(context: BotContext, user_id: int, telegram_code: str | None) -> str:
    """The seller's chosen language if the database still answers (in a session of its
    own: the update's transaction is failing), else their Telegram one."""
    sessions = context.bot_data.sessions
    seller = None
    if sessions is not None:
        try:
            async with sessions() as session:
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
