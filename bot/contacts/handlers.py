"""/contacts and the contact card: lists, the card's buttons, typed card answers, undo."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.contacts import actions, replies
from bot.contacts.listing import list_pressed, show_menu
from bot.contacts.removal import undo_pressed
from bot.contacts.replies import REPLIES_TO_A_CONTACT, reply_added
from bot.contacts.steps import TEXT_STEPS as CARD_STEPS
from bot.context import BotContext
from bot.ui.callbacks import Prefix, pattern
from bot.ui.router import button_router


async def contacts_command(update: Update, context: BotContext) -> None:
    """/contacts: the lists, each with how many it holds."""
    await show_menu(update, context, edit=False)


card_pressed = button_router(Prefix.CARD, actions.load_press, actions.ACTIONS)

HANDLERS = [
    CommandHandler("contacts", contacts_command),
    # Before any conversation reads the text: a reply names its contact itself.
    MessageHandler(REPLIES_TO_A_CONTACT & ~filters.COMMAND, reply_added),
    CallbackQueryHandler(list_pressed, pattern=pattern(Prefix.LISTS)),
    CallbackQueryHandler(card_pressed, pattern=pattern(Prefix.CARD)),
    CallbackQueryHandler(undo_pressed, pattern=pattern(Prefix.UNDO)),
]
TEXT_STEPS = {**CARD_STEPS, (replies.FLOW, replies.ASKED): replies.typed_answer}
