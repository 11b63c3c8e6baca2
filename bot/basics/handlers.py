"""/help, /cancel, and a short pointer for anything the bot does not understand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import flow
from bot.commands import COMMANDS
from bot.context import BotContext
from bot.texts import Safe, Texts
from bot.ui.keyboards import new_meeting
from bot.ui.router import stale
from bot.ui.screen import drop_buttons


def help_text(t: Texts) -> Safe:
    """What Prospekt does, then every command of the menu with its line, in the menu's order
    (built from the menu, so a command added there is never missing here)."""
    lines = [f"/{command.name}: {t(command.help)}" for command in COMMANDS]
    return Safe("\n".join([t("help.intro"), "", *lines]))


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        help_text(context.t), reply_markup=new_meeting(context.t)
    )


async def cancel(update: Update, context: BotContext) -> None:
    """Leave whatever conversation is open; what was already saved stays saved."""
    assert update.effective_message is not None
    had_one = await _close_open_conversation(context)
    await update.effective_message.reply_text(
        context.t("cancel.done") if had_one else context.t("cancel.nothing"),
        reply_markup=new_meeting(context.t),
    )


async def move_on(update: Update, context: BotContext) -> None:
    """A new command means the seller moved on: the open conversation closes (everything in
    it is saved already) and its question loses its buttons. /meet and /cancel see to it
    themselves (a new meeting, or "Stopped")."""
    message = update.effective_message
    command = (message.text or "").split()[0].split("@")[0].casefold() if message else ""
    if command not in ("/meet", "/cancel"):
        await _close_open_conversation(context)


async def _close_open_conversation(context: BotContext) -> bool:
    """End the open conversation and take the buttons off its live question; True when one
    was open (names kept for a search's buttons are let go, but were no conversation)."""
    state = await flow.current(context)
    if state is None:
        return False
    await flow.finish(context)
    message_id = state[2].get("message_id")
    if isinstance(message_id, int):
        await drop_buttons(context, message_id)
    return state[0] != flow.KEPT_NAMES


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
# Before every feature's handlers, in a group of its own so the command still reaches them.
MOVE_ON = [MessageHandler(filters.COMMAND, move_on)]
# Registered last, after every feature's handlers.
FALLBACKS = [
    MessageHandler(filters.COMMAND, unknown_command),
    MessageHandler(filters.ALL, stray_input),
    CallbackQueryHandler(stale),  # a button no feature claims is still answered
]
