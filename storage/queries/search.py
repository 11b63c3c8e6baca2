"""Search reads: the little of each contact that ranking needs, and contacts by the text of
their notes or open concerns."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Integer, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern, Contact, Interaction
from storage.vocabulary import ConcernStatus, fold

MIN_NOTE_TEXT = 3  # shorter text would match nearly every note (or concern)


_OWNER = bindparam("search_owner", type_=Integer)
_KEYS = select(Contact.id, Contact.name, Contact.company, Contact.search_key).where(
    Contact.owner_id == _OWNER
)
_NOTES = (
    select(Interaction.contact_id)
    .where(
        Interaction.owner_id == _OWNER,
        Interaction.search_text.like(bindparam("search_pattern", type_=String), escape="/"),
    )
    .distinct()
    .limit(bindparam("search_limit", type_=Integer))
)
_OPEN_CONCERNS = (
    select(Concern.contact_id, Concern.text)
    .where(Concern.owner_id == _OWNER, Concern.status == ConcernStatus.OPEN)
    .order_by(Concern.created_at, Concern.id)
)
"""Built once: a typed text outside a conversation is a search, the commonest update."""


class SearchKey(NamedTuple):
    """What search ranks a contact by: its folded key, and the name and company it shows."""

    id: int
    name: str
    company: str | None
    key: str


async def search_keys(session: AsyncSession, *, owner_id: int) -> list[SearchKey]:
    """Every contact of the seller, four columns each: one indexed read, ranked in Python."""
    rows = await session.execute(_KEYS, {"search_owner": owner_id})
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
    pattern = "%" + "".join(f"/{c}" if c in "/%_" else c for c in needle) + "%"
    found = await session.scalars(
        _NOTES, {"search_owner": owner_id, "search_pattern": pattern, "search_limit": limit}
    )
    return list(found.all())


async def contacts_with_concerns_containing(
    session: AsyncSession, *, owner_id: int, text: str, limit: int = 50
) -> list[int]:
    """Ids of contacts with an open concern containing `text` (folded), at most `limit`.

    Matched as notes are (folded substring, at least MIN_NOTE_TEXT letters), but folded
    here: a concern keeps no folded copy of its text, and SQL cannot fold "Ø" to "o" alike
    on SQLite and PostgreSQL. One read of the seller's open concerns (the owner index;
    answered ones are left out), two columns each: a seller has a handful open, not
    thousands. Ids in the order the concerns were raised, each once.
    """
    needle = fold(text)
    if len(needle) < MIN_NOTE_TEXT:
        return []
    rows = await session.execute(_OPEN_CONCERNS, {"search_owner": owner_id})
    found: dict[int, None] = {}
    for contact_id, concern_text in rows:
        if contact_id not in found and needle in fold(concern_text):
            found[contact_id] = None
            if len(found) >= limit:
                break
    return list(found)
