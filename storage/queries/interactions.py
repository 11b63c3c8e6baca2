"""Interactions: the log of meetings, calls, messages and notes with a contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Interaction
from storage.queries.contacts import get_contact
from storage.types import utcnow
from storage.vocabulary import InteractionKind, fold


async def add_interaction(
    session: AsyncSession,
    *,
    owner_id: int,
    contact_id: int,
    kind: InteractionKind,
    text: str | None = None,
    occurred_at: datetime | None = None,
) -> Interaction | None:
    """Log an interaction and move the contact's last_contacted_at forward (never back).

    None when the contact is not this seller's.
    """
    contact = await get_contact(session, owner_id=owner_id, contact_id=contact_id)
    if contact is None:
        return None
    when = occurred_at or utcnow()
    interaction = Interaction(
        owner_id=owner_id,
        contact_id=contact_id,
        kind=kind,
        text=text,
        search_text=fold(text) if text else None,
        occurred_at=when,
    )
    session.add(interaction)
    if contact.last_contacted_at is None or contact.last_contacted_at < when:
        contact.last_contacted_at = when
    await session.flush()
    return interaction


async def recent_interactions(
    session: AsyncSession, *, owner_id: int, contact_id: int, limit: int = 5
) -> Sequence[Interaction]:
    """The latest interactions with one contact, newest first."""
    query = (
        select(Interaction)
        .where(Interaction.owner_id == owner_id, Interaction.contact_id == contact_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def notes_for(
    session: AsyncSession, *, owner_id: int, contact_id: int, limit: int = 20
) -> Sequence[Interaction]:
    """The contact's notes (interactions with text), oldest first, the latest `limit`."""
    query = (
        select(Interaction)
        .where(
            Interaction.owner_id == owner_id,
            Interaction.contact_id == contact_id,
            Interaction.text.is_not(None),
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.scalars(query)).all()))


async def delete_note(
    session: AsyncSession, *, owner_id: int, contact_id: int, interaction_id: int
) -> str | None:
    """Remove one of the contact's notes; its text, or None if it is no such note of theirs.

    Only notes: a meeting or call logged with the contact is history, not something a
    "make that a concern" button may take away.
    """
    note = await session.scalar(
        select(Interaction).where(
            Interaction.id == interaction_id,
            Interaction.owner_id == owner_id,
            Interaction.contact_id == contact_id,
            Interaction.kind == InteractionKind.NOTE,
        )
    )
    if note is None:
        return None
    await session.delete(note)
    await session.flush()
    return note.text
