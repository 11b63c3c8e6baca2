"""/help, /cancel, and a short pointer for anything the bot does not understand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import flow
from bot.context import BotContext
from bot.ui.keyboards import new_meeting
from bot.ui.router import stale


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        context.t("help.text"), reply_markup=new_meeting(context.t)
    )


async def cancel(update: Update, context: BotContext) -> None:
    """Leave whatever conversation is open; what was already saved stays saved."""
    assert update.effective_message is not None
    had_one = await flow.finish(context)
    await update.effective_message.reply_text(
        context.t("cancel.done") if had_one else context.t("cancel.nothing"),
        reply_markup=new_meeting(context.t),
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0]
    await message.reply_text(context.t("unknown.command", command=command[:64]))


async def stray_input(update: Update, context: BotContext) -> None:
    """Text or media outside any conversation: point to what the bot can do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t("unknown.text"))


HANDLERS = [
    CommandHandler("help", show_help),
    CommandHandler("cancel", cancel),
]
# Registered last, after every feature's handlers.
FALLBACKS = [
    MessageHandler(filters.COMMAND, unknown_command),
    MessageHandler(filters.ALL, stray_input),
    CallbackQueryHandler(stale),  # a button no feature claims is still answered
]
