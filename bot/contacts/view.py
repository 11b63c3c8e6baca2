"""Showing the contact card, from anywhere: a list, search, /today, or after a change."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update

from bot.contacts.card import render
from bot.contacts.keyboards import card_keyboard
from bot.context import BotContext
from bot.meeting.steps import reply
from bot.texts import Safe
from storage.queries import book
from storage.queries.book import CardData


async def card_data(context: BotContext, contact_id: int) -> CardData | None:
    """The card's data, or None when the contact is gone or was never this seller's."""
    async with context.sessions.begin() as session:
        return await book.contact_card(session, owner_id=context.me.id, contact_id=contact_id)


def card_text(
    context: BotContext, data: CardData, header: str | None = None, footer: str | None = None
) -> Safe:
    """The card, with an optional line above (what just happened) and below (what is open)."""
    body = render(context.t, data, zone=context.me.timezone, now=datetime.now(UTC))
    return Safe("\n\n".join(part for part in (header, body, footer) if part))


async def show_card(
    update: Update,
    context: BotContext,
    contact_id: int,
    *,
    edit: bool,
    header: str | None = None,
    footer: str | None = None,
) -> bool:
    """Send (or edit into) the card with its buttons; False when there is no such contact."""
    data = await card_data(context, contact_id)
    if data is None:
        return False
    keyboard = card_keyboard(context.t, contact_id, len(data.concerns))
    await reply(update, card_text(context, data, header, footer), keyboard, edit=edit)
    return True
