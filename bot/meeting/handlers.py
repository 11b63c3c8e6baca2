"""/meet: the post-meeting conversation's handlers, its typed answers and its buttons."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.flow import ANY_STEP
from bot.meeting import presses, reopen
from bot.meeting.draft import FLOW
from bot.meeting.entry import contact_shared, forwarded, meet_command, meet_text
from bot.ui.callbacks import Prefix, pattern
from bot.ui.keyboards import new_meeting_labels
from bot.ui.router import button_router

meet_pressed = button_router(
    Prefix.MEETING, presses.load_press, {**presses.ACTIONS, **reopen.ACTIONS}
)

HANDLERS = [
    CommandHandler("meet", meet_command),
    MessageHandler(filters.Text(new_meeting_labels()), meet_command),
    MessageHandler(filters.CONTACT, contact_shared),
    MessageHandler(filters.FORWARDED & (filters.TEXT | filters.CAPTION), forwarded),
    CallbackQueryHandler(meet_pressed, pattern=pattern(Prefix.MEETING)),
]
TEXT_STEPS = {(FLOW, ANY_STEP): meet_text}
