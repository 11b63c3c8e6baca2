"""Stage moves: the contact's current stage plus a history row for every move."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, StageChange
from storage.queries.contacts import get_contact
from storage.types import utcnow
from storage.vocabulary import Stage


async def move_to_stage(
    session: AsyncSession,
    *,
    owner_id: int,
    contact_id: int,
    stage: Stage,
    changed_at: datetime | None = None,
) -> Contact | None:
    """Set the contact's stage and record the move; a move to the current stage records nothing.

    Which moves are allowed is a business rule decided by the caller. None when the contact
    is not this seller's.
    """
    contact = await get_contact(session, owner_id=owner_id, contact_id=contact_id)
    if contact is None:
        return None
    if contact.stage is not stage:
        session.add(
            StageChange(
                owner_id=owner_id,
                contact_id=contact_id,
                from_stage=contact.stage,
                to_stage=stage,
                changed_at=changed_at or utcnow(),
            )
        )
        contact.stage = stage
        await session.flush()
    return contact


async def stage_history(
    session: AsyncSession, *, owner_id: int, contact_id: int
) -> Sequence[StageChange]:
    """Every stage the contact has been in, oldest first (the first row is its creation)."""
    query = (
        select(StageChange)
        .where(StageChange.owner_id == owner_id, StageChange.contact_id == contact_id)
        .order_by(StageChange.changed_at, StageChange.id)
    )
    return (await session.scalars(query)).all()
