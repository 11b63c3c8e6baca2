"""What every update reads first, in one statement: the seller, their open conversation, and
whether updates were given up on while the bot was down.

Every message and press needs all three before a feature runs. Read together they cost one
round trip instead of three; the conversation row stays in the session, so the handler that
asks for it next (`conversations.get_state`) reads no more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, InboxUpdate, Seller
from storage.queries import conversations, inbox, sellers


@dataclass(frozen=True)
class Arrival:
    seller: Seller
    new: bool  # first sight: the row was created now
    missed: bool  # updates given up on wait to be owned up to (`inbox.take_missed`)


_MISSED = exists().where(
    InboxUpdate.seller_id == bindparam("seller_id"), InboxUpdate.state == inbox.MISSED
)
_ARRIVE = (
    select(Seller, ConversationState, _MISSED)
    .outerjoin(ConversationState, ConversationState.seller_id == Seller.id)
    .where(Seller.id == bindparam("seller_id"))
)
"""Built once: it runs first on every update."""


async def arrive(session: AsyncSession, *, seller_id: int, language: str, timezone: str) -> Arrival:
    """The seller behind an update (created with these defaults on first sight), with their
    conversation loaded into `session`."""
    row = (await session.execute(_ARRIVE, {"seller_id": seller_id})).first()
    if row is None:
        seller, new = await sellers.get_or_create_seller(
            session, seller_id=seller_id, language=language, timezone=timezone
        )
        # A new seller's first updates may have been given up on before the row existed.
        missed = await session.scalar(select(_MISSED), {"seller_id": seller_id})
        return Arrival(seller, new, missed=bool(missed))
    seller, state, has_missed = row
    conversations.loaded(session, seller_id, state)
    return Arrival(seller, new=False, missed=bool(has_missed))
