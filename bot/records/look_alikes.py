"""Who a new contact may already be, found the way /find finds people.

The same Telegram user, phone or e-mail is that person; so is the one contact whose name
has every word typed, letters folded ("ase kjaerstad" → "Åse Kjærstad-Øvrebø"). Other close
names are offered as a list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules.search import names_match, rank
from storage.models import Contact
from storage.queries import contacts, search

LOOK_ALIKES = 5
LOOK_ALIKE_SCORE = 0.5  # search score worth a question: half the words typed match, or better


@dataclass(frozen=True)
class LookAlikes:
    """One clear match to offer first ("Is it Åse?"), and close names to pick from."""

    exact: Contact | None
    similar: list[Contact]

    def __bool__(self) -> bool:
        return self.exact is not None or bool(self.similar)


async def find_look_alikes(
    session: AsyncSession,
    owner_id: int,
    name: str,
    *,
    telegram_user_id: int | None = None,
    phones: Collection[str] = (),
    emails: Collection[str] = (),
) -> LookAlikes:
    """The seller's contacts that may be the person named (and reached) so."""
    same = await contacts.same_person(
        session,
        owner_id=owner_id,
        telegram_user_id=telegram_user_id,
        phones=phones,
        emails=emails,
    )
    keys = await search.search_keys(session, owner_id=owner_id)
    hits = [hit for hit in rank(name, keys) if hit.score >= LOOK_ALIKE_SCORE]
    named = {key.id for key in keys if names_match(name, key.name)}
    same_ids = {c.id for c in same}
    ids = [c.id for c in same] + [h.id for h in hits if h.id not in same_ids]
    found = [
        contact
        for contact_id in ids[:LOOK_ALIKES]
        if (
            contact := await contacts.get_contact(session, owner_id=owner_id, contact_id=contact_id)
        )
    ]
    if same:
        return LookAlikes(same[0], [c for c in found if c.id != same[0].id])
    exact = found[0] if len(named) == 1 and found and found[0].id in named else None
    return LookAlikes(exact, [c for c in found if exact is None or c.id != exact.id])
