"""/export, /calendar and /forget_me: the seller's whole account at once."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.account import forget
from bot.account.calendar import calendar_command
from bot.account.export import export_command
from bot.ui.callbacks import Prefix, pattern

HANDLERS = [
    CommandHandler("export", export_command),
    CommandHandler("calendar", calendar_command),
    CommandHandler("forget_me", forget.forget_command),
    CallbackQueryHandler(forget.pressed, pattern=pattern(Prefix.ACCOUNT)),
]
TEXT_STEPS = forget.TEXT_STEPS
