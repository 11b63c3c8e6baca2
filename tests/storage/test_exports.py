"""Reading a seller's book out for /export, a chunk at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.exports import contact_lines, interaction_lines
from storage.vocabulary import ConcernStatus, InteractionKind, ReminderKind, ReminderStatus
from tests.factories import (
    T0,
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_sale,
    make_seller,
)


async def test_every_contact_comes_once_in_order_across_chunks_with_what_hangs_on_it(
    session: AsyncSession,
) -> None:
    mine, theirs = await make_seller(session), await make_seller(session)
    people = [await make_contact(session, owner=mine, name=f"P{n}") for n in range(5)]
    other = await make_contact(session, owner=theirs, name="Theirs")
    first = people[1]
    await make_concern(session, contact=first, text="Price?")
    await make_concern(session, contact=first, text="Old one", status=ConcernStatus.RESOLVED)
    await make_concern(session, contact=other, text="Not mine")
    await make_reminder(session, owner=mine, contact=first, due_at=T0 + timedelta(days=9))
    await make_reminder(session, owner=mine, contact=first, due_at=T0 + timedelta(days=2))
    await make_reminder(session, owner=mine, contact=first, due_at=T0, status=ReminderStatus.DONE)
    await make_reminder(session, owner=mine, contact=first, due_at=T0, kind=ReminderKind.BIRTHDAY)
    await make_sale(session, contact=first, amount=Decimal("100.25"))
    await make_sale(session, contact=first, amount=Decimal("200"))
    await make_sale(session, contact=first, amount=Decimal("5"), currency="EUR")
    await make_interaction(session, contact=first)
    await make_interaction(session, contact=first, kind=InteractionKind.NOTE, text="Hi")
    await make_interaction(session, contact=other)

    lines = [line async for line in contact_lines(session, owner_id=mine.id, chunk=2)]
    activities = [a async for a in interaction_lines(session, owner_id=mine.id, chunk=1)]

    assert [line.name for line in lines] == ["P0", "P1", "P2", "P3", "P4"]
    got = lines[1]
    assert got.open_concerns == ("Price?",)
    assert got.next_follow_up == T0 + timedelta(days=2)
    assert got.sales == (("EUR", Decimal(5)), ("NOK", Decimal("300.25")))
    assert got.interactions == 2
    assert (lines[0].open_concerns, lines[0].next_follow_up, lines[0].sales) == ((), None, ())
    assert [(a.contact, a.kind, a.text) for a in activities] == [
        ("P1", InteractionKind.MEETING, None),
        ("P1", InteractionKind.NOTE, "Hi"),
    ]
