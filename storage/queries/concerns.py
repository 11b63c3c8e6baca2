"""Concerns: a contact's open questions and objections, kept until the seller answers them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern
from storage.queries.contacts import get_contact
from storage.types import utcnow
from storage.vocabulary import ConcernStatus


async def add_concern(
    session: AsyncSession, *, owner_id: int, contact_id: int, text: str
) -> Concern | None:
    """Record an open concern; None when the contact is not this seller's."""
    if await get_contact(session, owner_id=owner_id, contact_id=contact_id) is None:
        return None
    concern = Concern(owner_id=owner_id, contact_id=contact_id, text=text)
    session.add(concern)
    await session.flush()
    return concern


async def open_concerns(
    session: AsyncSession, *, owner_id: int, contact_id: int | None = None
) -> Sequence[Concern]:
    """Unanswered concerns, oldest first: one contact's, or all of the seller's."""
    query = select(Concern).where(
        Concern.owner_id == owner_id, Concern.status == ConcernStatus.OPEN
    )
    if contact_id is not None:
        query = query.where(Concern.contact_id == contact_id)
    return (await session.scalars(query.order_by(Concern.created_at, Concern.id))).all()


async def resolve_concern(
    session: AsyncSession, *, owner_id: int, concern_id: int, resolved_at: datetime | None = None
) -> Concern | None:
    """Mark a concern answered; None when it is not this seller's."""
    concern = await session.scalar(
        select(Concern).where(Concern.id == concern_id, Concern.owner_id == owner_id)
    )
    if concern is None:
        return None
    if concern.status is not ConcernStatus.RESOLVED:
        concern.status = ConcernStatus.RESOLVED
        concern.resolved_at = resolved_at or utcnow()
        await session.flush()
    return concern
