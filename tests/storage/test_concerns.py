"""Concern queries: open questions are listed until resolved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.concerns import add_concern, open_concerns, resolve_concern
from storage.vocabulary import ConcernStatus
from tests.factories import T0, make_concern, make_contact, make_seller


async def test_added_concerns_are_open(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)

    concern = await add_concern(session, owner_id=seller.id, contact_id=contact.id, text="Price?")

    assert concern is not None and concern.status is ConcernStatus.OPEN
    assert [c.text for c in await open_concerns(session, owner_id=seller.id)] == ["Price?"]


async def test_open_concerns_are_oldest_first_per_contact_or_for_the_seller(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    kari, ola = await make_contact(session, owner=seller), await make_contact(session, owner=seller)
    await make_concern(session, contact=kari, text="late", created_at=T0 + timedelta(hours=2))
    await make_concern(session, contact=ola, text="middle", created_at=T0 + timedelta(hours=1))
    await make_concern(session, contact=kari, text="early", created_at=T0)

    all_open = await open_concerns(session, owner_id=seller.id)
    karis = await open_concerns(session, owner_id=seller.id, contact_id=kari.id)

    assert [c.text for c in all_open] == ["early", "middle", "late"]
    assert [c.text for c in karis] == ["early", "late"]


async def test_resolving_closes_a_concern_once(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    concern = await make_concern(session, contact=contact)

    resolved = await resolve_concern(
        session, owner_id=seller.id, concern_id=concern.id, resolved_at=T0
    )
    again = await resolve_concern(
        session, owner_id=seller.id, concern_id=concern.id, resolved_at=T0 + timedelta(days=1)
    )

    assert resolved is not None and again is not None
    assert (again.status, again.resolved_at) == (ConcernStatus.RESOLVED, T0)
    assert await open_concerns(session, owner_id=seller.id) == []
