"""Search reads: the little of each contact that ranking needs, and contacts by note text."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, Interaction
from storage.vocabulary import fold

MIN_NOTE_TEXT = 3  # shorter text would match nearly every note


class SearchKey(NamedTuple):
    """What search ranks a contact by: its folded key, and the name and company it shows."""

    id: int
    name: str
    company: str | None
    key: str


async def search_keys(session: AsyncSession, *, owner_id: int) -> list[SearchKey]:
    """Every contact of the seller, four columns each: one indexed read, ranked in Python."""
    rows = await session.execute(
        select(Contact.id, Contact.name, Contact.company, Contact.search_key).where(
            Contact.owner_id == owner_id
        )
    )
    return [SearchKey(*row) for row in rows]


async def contacts_with_notes_containing(
    session: AsyncSession, *, owner_id: int, text: str, limit: int = 50
) -> list[int]:
    """Ids of contacts with a note containing `text` (folded), at most `limit`, any order.

    A LIKE over the seller's notes (the owner index narrows it to theirs); ranking orders
    the ids, so the first `limit` found are enough and the scan stops there.
    """
    needle = fold(text)
    if len(needle) < MIN_NOTE_TEXT:
        return []
    query = (
        select(Interaction.contact_id)
        .where(
            Interaction.owner_id == owner_id,
            Interaction.search_text.contains(needle, autoescape=True),
        )
        .distinct()
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
