"""What the card asks to be typed: a note, a concern, a phone number, an e-mail address.

One flow ("card") with a step per question. A meeting in progress is parked in the step's
data and put back once the answer is in (`bot.flow`), so opening a card mid-meeting loses
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot import flow
from bot.contacts.keyboards import field_keyboard
from bot.contacts.next_step import ask_next_step
from bot.context import BotContext
from bot.rules.phones import to_e164
from bot.rules.typed_answers import open_question
from bot.texts import N_, Safe
from bot.ui.card import show_card
from bot.ui.screen import reply
from storage.models import Contact

FLOW = "card"
NOTE, CONCERN, PHONE, EMAIL = "note", "concern", "phone", "email"
PROMPTS = {
    NOTE: N_("book.ask.note"),
    CONCERN: N_("book.ask.concern"),
    PHONE: N_("book.ask.phone"),
    EMAIL: N_("book.ask.email"),
}
EMAIL_MAX = 254
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
NOTE_LONG = 4000
# A typed answer is saved (True and a header for the card) or asked again (False, why).
Saver = Callable[[BotContext, Contact, str], Awaitable[tuple[bool, Safe]]]


async def ask(update: Update, context: BotContext, contact: Contact, step: str) -> None:
    """Ask for the text in a new message, under the card (which stays readable above)."""
    data = {"contact_id": contact.id, "step": step, flow.PARKED: await flow.to_park(context)}
    await flow.begin(context, flow=FLOW, step=step, data=data)
    t = context.t
    text = t(PROMPTS[step], name=contact.name)
    current = getattr(contact, step) if step in (PHONE, EMAIL) else None
    if current:
        now_set = t("book.ask.current", value=current)
        text = Safe(f"{text}\n{now_set}")
    keyboard = field_keyboard(t, contact.id, step) if current else None
    await reply(update, text, keyboard, edit=False)


async def typed(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """The answer to the card's question: saved, then the card again; or asked again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    contact = await context.records.contact(int(data.get("contact_id", 0)))
    saver = SAVERS.get(str(data.get("step")))
    if contact is None or saver is None:
        await flow.resume_parked(context, data)
        await reply(update, context.t("common.stale"), edit=False)
        return
    saved, said = await saver(context, contact, message.text.strip())
    if not saved:
        await reply(update, said, edit=False)
        return
    footer = await flow.resume_parked(context, data)
    extra = None
    if data.get("step") in (NOTE, CONCERN):  # after a note, never leave them without a step
        asked = await ask_next_step(context, contact)
        if asked is not None:
            question, extra = asked
            footer = Safe("\n\n".join(part for part in (question, footer) if part))
    await show_card(
        update, context, contact.id, edit=False, header=said, footer=footer, extra=extra
    )


async def _note(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """A note, or with a leading "?" an open concern, as in a meeting; kept whole."""
    if open_question(text) is not None:
        return await _concern(context, contact, text)
    await context.records.note(contact.id, text)
    saved = context.t("meet.note_saved", name=contact.name)
    if len(text) > NOTE_LONG:
        saved = context.t("meet.note_long", saved=saved, count=len(text))
    return True, saved


async def _concern(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    text = text.removeprefix("?").strip() or text
    await context.records.concern(contact.id, text)
    return True, context.t("meet.concern_saved", name=contact.name)


async def _phone(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """Any way a number is written, kept as E.164 (+4791234567), which phones can dial."""
    phone = to_e164(text)
    if phone is None:
        return False, context.t("book.bad_phone", typed=text[:100])
    await context.records.update(contact.id, phone=phone)
    return True, context.t("book.phone_saved", phone=phone)


async def _email(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """Something@somewhere.tld without spaces: enough to catch a slip, not to reject a real one."""
    if len(text) > EMAIL_MAX or not EMAIL_SHAPE.fullmatch(text):
        return False, context.t("book.bad_email", typed=text[:100])
    await context.records.update(contact.id, email=text)
    return True, context.t("book.email_saved", email=text)


SAVERS: dict[str, Saver] = {NOTE: _note, CONCERN: _concern, PHONE: _phone, EMAIL: _email}
TEXT_STEPS = {(FLOW, flow.ANY_STEP): typed}
