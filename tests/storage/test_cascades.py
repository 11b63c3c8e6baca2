"""Deleting a contact or a seller takes everything hanging off it, on both backends."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Concern,
    Contact,
    ConversationState,
    Interaction,
    Reminder,
    Seller,
    StageChange,
)
from storage.queries.contacts import delete_contact
from tests.factories import (
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_seller,
    make_stage_change,
)

CHILDREN: list[type[Interaction | Concern | StageChange | Reminder]] = [
    Interaction,
    Concern,
    StageChange,
    Reminder,
]
NAMES = [model.__name__ for model in CHILDREN]


async def _fill(session: AsyncSession, contact: Contact, owner: Seller) -> None:
    await make_interaction(session, contact=contact)
    await make_concern(session, contact=contact)
    await make_stage_change(session, contact=contact)
    await make_reminder(session, owner=owner, contact=contact)


async def _counts(session: AsyncSession, contact_id: int) -> dict[str, int]:
    return {
        model.__name__: await session.scalar(
            select(func.count()).select_from(model).where(model.contact_id == contact_id)
        )
        or 0
        for model in CHILDREN
    }


async def test_deleting_a_contact_removes_its_reminders_interactions_concerns_and_history(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    doomed, kept = [await make_contact(session, owner=seller) for _ in range(2)]
    await _fill(session, doomed, seller)
    await _fill(session, kept, seller)
    await session.commit()

    assert await delete_contact(session, owner_id=seller.id, contact_id=doomed.id)
    await session.commit()
    session.expunge_all()

    assert await _counts(session, doomed.id) == dict.fromkeys(NAMES, 0)
    assert await _counts(session, kept.id) == dict.fromkeys(NAMES, 1)
    assert await session.get(Contact, kept.id) is not None


async def test_deleting_a_seller_removes_everything_they_own(session: AsyncSession) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    for owner in (seller, other):
        contact = await make_contact(session, owner=owner)
        await _fill(session, contact, owner)
        await make_reminder(session, owner=owner)  # one without a contact
        session.add(ConversationState(seller_id=owner.id, flow="meet", step="name", data={}))
    await session.commit()

    await session.delete(seller)
    await session.commit()
    session.expunge_all()

    for model in (Contact, *CHILDREN):
        owners = set(await session.scalars(select(model.owner_id)))
        assert owners == {other.id}, model.__name__
    assert set(await session.scalars(select(ConversationState.seller_id))) == {other.id}
