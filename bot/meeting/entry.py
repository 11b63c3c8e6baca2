"""Ways into a meeting: /meet, the New meeting button, a shared contact, a forwarded message,
an existing contact, and "how did it go?" asked from elsewhere (`ask_outcome`)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.meeting.answers import named, offer_draft, place_text, with_contact
from bot.meeting.draft import Draft, Step, load_draft
from bot.meeting.present import present
from bot.rules.phones import to_e164
from bot.ui.screen import reply
from storage.models import Contact


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


async def begin(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    """Start a meeting, unless an unfinished one should be offered back first."""
    current = await load_draft(context)
    if current is not None and (current.contact_id is not None or current.name):
        current.incoming = incoming
        await offer_draft(update, context, current)
        return
    await start_fresh(update, context, incoming)


async def start_fresh(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    draft = Draft(
        phone=incoming.get("phone"),
        source=incoming.get("source"),
        pending_note=incoming.get("pending_note"),
    )
    if incoming.get("contact_id"):
        contact = await context.records.contact(int(incoming["contact_id"]))
        if contact is None:
            await reply(update, context.t("common.stale"))
            return
        await with_contact(update, context, draft, contact)
    elif incoming.get("name"):
        await named(update, context, draft, str(incoming["name"]), edit=False)
    else:
        await present(update, context, draft, edit=False)


async def ask_outcome(update: Update, context: BotContext, contact: Contact) -> None:
    """Ask how it went with `contact`, then go on as /meet does (the follow-up, the notes).

    The contact card's Move stage, and Done under a follow-up reminder, start here.
    """
    draft = Draft(contact_id=contact.id, stage_before=contact.stage.value)
    draft.go(Step.OUTCOME)
    draft.history = []  # Back from here closes to the card
    await present(update, context, draft, edit=False)
