"""Starting a meeting: fresh, for an existing contact, or after offering back a draft."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.meeting import draft as steps
from bot.meeting.answers import named, offer_draft, with_contact
from bot.meeting.draft import Draft
from bot.meeting.steps import (
    present,
    reply,
    store_for,
)


async def begin(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    """Start a meeting, unless an unfinished one should be offered back first."""
    current = await steps.load(context)
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
        contact = await store_for(context).contact(int(incoming["contact_id"]))
        if contact is None:
            await reply(update, context.t("common.stale"))
            return
        await with_contact(update, context, draft, contact)
    elif incoming.get("name"):
        await named(update, context, draft, str(incoming["name"]), edit=False)
    else:
        await present(update, context, draft, edit=False)
