"""What the card asks to be typed: a note, a concern, a phone number, an e-mail address.

One flow ("card") with a step per question. A meeting in progress is parked in the step's
data and put back once the answer is in, so opening a card mid-meeting loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot import flow
from bot.contacts.keyboards import field_keyboard
from bot.contacts.view import show_card
from bot.context import BotContext
from bot.meeting import draft as meeting
from bot.meeting.steps import reply
from bot.rules.phones import to_e164
from bot.texts import N_, Safe
from storage.models import Contact
from storage.queries import concerns, contacts, interactions
from storage.vocabulary import InteractionKind

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
    data = {"contact_id": contact.id, "step": step, "parked": await _parked(context)}
    await flow.begin(context, flow=FLOW, step=step, data=data)
    t = context.t
    text = t(PROMPTS[step], name=contact.name)
    current = getattr(contact, step) if step in (PHONE, EMAIL) else None
    if current:
        now_set = t("book.ask.current", value=current)
        text = Safe(f"{text}\n{now_set}")
    keyboard = field_keyboard(t, contact.id, step) if current else None
    await reply(update, text, keyboard, edit=False)


async def _parked(context: BotContext) -> dict[str, Any] | None:
    """An open meeting to put back later (asking again keeps the one already parked)."""
    state = await flow.current(context)
    if state is None:
        return None
    name, step, data = state
    if name == FLOW:
        parked: dict[str, Any] | None = data.get("parked")
        return parked
    return {"flow": name, "step": step, "data": data} if name == meeting.FLOW else None


async def finish(context: BotContext, data: dict[str, Any]) -> Safe | None:
    """End the question; put a parked meeting back and say how to go on with it."""
    parked = data.get("parked")
    if not parked:
        await flow.finish(context)
        return None
    await flow.begin(context, flow=parked["flow"], step=parked["step"], data=parked["data"])
    open_meeting = meeting.Draft.from_data(parked["data"])
    contact = await _contact(context, open_meeting.contact_id or 0)
    name = contact.name if contact else open_meeting.name or ""
    return context.t("meet.parked", name=name)


async def _contact(context: BotContext, contact_id: int) -> Contact | None:
    async with context.sessions.begin() as session:
        return await contacts.get_contact(session, owner_id=context.me.id, contact_id=contact_id)


async def typed(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """The answer to the card's question: saved, then the card again; or asked again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    contact = await _contact(context, int(data.get("contact_id", 0)))
    saver = SAVERS.get(str(data.get("step")))
    if contact is None or saver is None:
        await finish(context, data)
        await reply(update, context.t("common.stale"), edit=False)
        return
    saved, said = await saver(context, contact, message.text.strip())
    if not saved:
        await reply(update, said, edit=False)
        return
    footer = await finish(context, data)
    await show_card(update, context, contact.id, edit=False, header=said, footer=footer)


async def _note(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """A note, or with a leading "?" an open concern, as in a meeting; kept whole."""
    if text.startswith("?") and text[1:].strip():
        return await _concern(context, contact, text)
    async with context.sessions.begin() as session:
        await interactions.add_interaction(
            session,
            owner_id=context.me.id,
            contact_id=contact.id,
            kind=InteractionKind.NOTE,
            text=text,
        )
    saved = context.t("meet.note_saved")
    if len(text) > NOTE_LONG:
        saved = context.t("meet.note_long", saved=saved, count=len(text))
    return True, saved


async def _concern(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    text = text.removeprefix("?").strip() or text
    async with context.sessions.begin() as session:
        await concerns.add_concern(
            session, owner_id=context.me.id, contact_id=contact.id, text=text
        )
    return True, context.t("meet.concern_saved")


async def _update(context: BotContext, contact: Contact, **fields: object) -> None:
    async with context.sessions.begin() as session:
        await contacts.update_contact(
            session, owner_id=context.me.id, contact_id=contact.id, **fields
        )


async def _phone(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """Any way a number is written, kept as E.164 (+4791234567), which phones can dial."""
    phone = to_e164(text)
    if phone is None:
        return False, context.t("book.bad_phone", typed=text[:100])
    await _update(context, contact, phone=phone)
    return True, context.t("book.phone_saved", phone=phone)


async def _email(context: BotContext, contact: Contact, text: str) -> tuple[bool, Safe]:
    """Something@somewhere.tld without spaces: enough to catch a slip, not to reject a real one."""
    if len(text) > EMAIL_MAX or not EMAIL_SHAPE.fullmatch(text):
        return False, context.t("book.bad_email", typed=text[:100])
    await _update(context, contact, email=text)
    return True, context.t("book.email_saved", email=text)


SAVERS: dict[str, Saver] = {NOTE: _note, CONCERN: _concern, PHONE: _phone, EMAIL: _email}
TEXT_STEPS = {(FLOW, flow.ANY_STEP): typed}
