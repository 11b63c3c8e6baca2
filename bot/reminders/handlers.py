"""Reminders: acting on a nudge where it arrives, and /status."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.reminders import presses
from bot.reminders.status import show_status
from bot.ui.callbacks import Prefix, pattern
from bot.ui.router import button_router

reminder_pressed = button_router(Prefix.REMINDER, presses.load_press, presses.ACTIONS)

HANDLERS = [
    CommandHandler("status", show_status),
    CallbackQueryHandler(reminder_pressed, pattern=pattern(Prefix.REMINDER)),
]
