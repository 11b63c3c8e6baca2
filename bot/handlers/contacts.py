"""/contacts and the contact card: lists, the card's buttons, typed card answers, undo."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.contacts.actions import card_pressed
from bot.contacts.listing import list_pressed, show_menu
from bot.contacts.removal import undo_pressed
from bot.contacts.steps import TEXT_STEPS as CARD_STEPS
from bot.context import BotContext


async def contacts_command(update: Update, context: BotContext) -> None:
    """/contacts: the lists, each with how many it holds."""
    await show_menu(update, context, edit=False)


HANDLERS = [
    CommandHandler("contacts", contacts_command),
    CallbackQueryHandler(list_pressed, pattern=r"^l:"),
    CallbackQueryHandler(card_pressed, pattern=r"^c:"),
    CallbackQueryHandler(undo_pressed, pattern=r"^u:"),
]
TEXT_STEPS = CARD_STEPS
