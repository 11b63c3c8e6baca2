"""Ways into a meeting: /meet, the New meeting button, a shared contact, a forwarded message,
an existing contact, and "how did it go?" asked from elsewhere (`ask_outcome`)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot import flow
from bot.context import BotContext
from bot.meeting.answers import named, offer_draft, with_contact
from bot.meeting.draft import Draft, Step, load_draft
from bot.meeting.present import present
from bot.meeting.typed import place_text
from bot.rules.phones import to_e164
from bot.rules.vcard import read_vcard
from bot.ui.screen import drop_buttons, reply
from storage.models import Contact


async def meet_command(update: Update, context: BotContext) -> None:
    """/meet, /meet <name>, or the New meeting button."""
    name = " ".join(context.args or [])
    await begin(update, context, {"name": name} if name else {})


async def contact_shared(update: Update, context: BotContext) -> None:
    """A phone contact card: everything it carries kept (name, phones, company, e-mail),
    and matched against the seller's contacts by phone and e-mail first."""
    card = update.effective_message.contact if update.effective_message else None
    assert card is not None
    name = " ".join(filter(None, [card.first_name, card.last_name]))
    phone = to_e164(card.phone_number) if card.phone_number else None
    shared = read_vcard(card.vcard) if card.vcard else None
    phones = list(shared.phones) if shared else []
    incoming: dict[str, Any] = {
        "name": name or (shared.name if shared else ""),
        "phone": phone or (phones[0] if phones else None),
        "phones": [p for p in phones if p != phone],
        "emails": list(shared.emails) if shared else [],
        "company": shared.company if shared else None,
        "telegram_user_id": card.user_id,
        "source": "contact",
    }
    await begin(update, context, incoming)


async def forwarded(update: Update, context: BotContext) -> None:
    """A message forwarded from the person: their name prefilled, their words kept."""
    message = update.effective_message
    assert message is not None
    origin, name, user_id = message.forward_origin, "", None
    if origin is not None and origin.type == "user":
        user = origin.sender_user  # type: ignore[attr-defined]
        name = " ".join(filter(None, [user.first_name, user.last_name]))
        user_id = user.id
    elif origin is not None and origin.type == "hidden_user":
        name = origin.sender_user_name  # type: ignore[attr-defined]
    text = message.text or message.caption
    incoming = {"name": name, "pending_note": text, "source": "forward"}
    await begin(update, context, {**incoming, "telegram_user_id": user_id})


async def meet_text(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Whatever the seller types during a meeting goes where it belongs; nothing is dropped."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    await place_text(update, context, Draft.from_data(data), message.text.strip())


async def begin(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    """Start a meeting. One under way closes by itself (everything in it is saved); only a
    name typed but not yet saved (the duplicate question) is offered back first."""
    current = await load_draft(context)
    if current is not None and current.contact_id is None and current.name:
        current.incoming = incoming
        await offer_draft(update, context, current)
        return
    if current is not None:
        await close_capture(context, current)
    await start_fresh(update, context, incoming)


async def close_capture(context: BotContext, draft: Draft) -> None:
    """The seller moved on: the capture ends, its last question loses its buttons."""
    await flow.finish(context)
    if draft.message_id is not None:
        await drop_buttons(context, draft.message_id)


async def start_fresh(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    draft = Draft(
        phone=incoming.get("phone"),
        phones=list(incoming.get("phones") or []),
        emails=list(incoming.get("emails") or []),
        company=incoming.get("company"),
        telegram_user_id=incoming.get("telegram_user_id"),
        source=incoming.get("source"),
        pending_note=incoming.get("pending_note"),
    )
    if incoming.get("contact_id"):
        contact = await context.records.contact(int(incoming["contact_id"]))
        if contact is None:
            await reply(update, context.t("common.stale"))
            return
        await with_contact(update, context, draft, contact)
    elif incoming.get("name") or draft.company:
        await named(update, context, draft, str(incoming.get("name") or ""), edit=False)
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
