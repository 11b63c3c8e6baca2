"""Interaction queries: the log, and the contact's last-contacted time that follows it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.interactions import add_interaction, recent_interactions
from storage.vocabulary import InteractionKind
from tests.factories import T0, make_contact, make_seller


async def test_logging_an_interaction_sets_last_contacted(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)

    interaction = await add_interaction(
        session,
        owner_id=seller.id,
        contact_id=contact.id,
        kind=InteractionKind.MEETING,
        text="Met at the fair",
        occurred_at=T0,
    )

    assert interaction is not None and interaction.text == "Met at the fair"
    assert contact.last_contacted_at == T0


async def test_logging_an_older_interaction_keeps_the_latest_contact_time(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller, last_contacted_at=T0)

    await add_interaction(
        session,
        owner_id=seller.id,
        contact_id=contact.id,
        kind=InteractionKind.CALL,
        occurred_at=T0 - timedelta(days=3),
    )

    assert contact.last_contacted_at == T0


async def test_recent_interactions_come_newest_first_and_limited(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact, other = (
        await make_contact(session, owner=seller),
        await make_contact(session, owner=seller),
    )
    for days in (3, 1, 2):
        await add_interaction(
            session,
            owner_id=seller.id,
            contact_id=contact.id,
            kind=InteractionKind.NOTE,
            text=f"day {days}",
            occurred_at=T0 + timedelta(days=days),
        )
    await add_interaction(
        session, owner_id=seller.id, contact_id=other.id, kind=InteractionKind.CALL, occurred_at=T0
    )

    recent = await recent_interactions(session, owner_id=seller.id, contact_id=contact.id, limit=2)

    assert [i.text for i in recent] == ["day 3", "day 2"]
