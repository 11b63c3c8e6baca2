"""/meet: the post-meeting conversation. Ways in, typed answers and button presses."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.flow import ANY_STEP
from bot.keyboards import new_meeting_labels
from bot.meeting import draft as steps
from bot.meeting.answers import place_text
from bot.meeting.draft import Draft
from bot.meeting.entry import begin
from bot.meeting.presses import meet_pressed
from bot.rules.phones import to_e164


async def meet_command(update: Update, context: BotContext) -> None:
    """/meet, /meet <name>, or the New meeting button."""
    name = " ".join(context.args or [])
    await begin(update, context, {"name": name} if name else {})


async def contact_shared(update: Update, context: BotContext) -> None:
    """A phone contact card: name and phone prefilled."""
    card = update.effective_message.contact if update.effective_message else None
    assert card is not None
    name = " ".join(filter(None, [card.first_name, card.last_name]))
    phone = to_e164(card.phone_number) if card.phone_number else None
    await begin(update, context, {"name": name, "phone": phone, "source": "contact"})


async def forwarded(update: Update, context: BotContext) -> None:
    """A message forwarded from the person: their name prefilled, their words kept."""
    message = update.effective_message
    assert message is not None
    origin, name = message.forward_origin, ""
    if origin is not None and origin.type == "user":
        user = origin.sender_user  # type: ignore[attr-defined]
        name = " ".join(filter(None, [user.first_name, user.last_name]))
    elif origin is not None and origin.type == "hidden_user":
        name = origin.sender_user_name  # type: ignore[attr-defined]
    text = message.text or message.caption
    await begin(update, context, {"name": name, "pending_note": text, "source": "forward"})


async def meet_text(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Whatever the seller types during a meeting goes where it belongs; nothing is dropped."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    await place_text(update, context, Draft.from_data(data), message.text.strip())


HANDLERS = [
    CommandHandler("meet", meet_command),
    MessageHandler(filters.Text(new_meeting_labels()), meet_command),
    MessageHandler(filters.CONTACT, contact_shared),
    MessageHandler(filters.FORWARDED & (filters.TEXT | filters.CAPTION), forwarded),
    CallbackQueryHandler(meet_pressed, pattern=r"^m:"),
]
TEXT_STEPS = {(steps.FLOW, ANY_STEP): meet_text}
