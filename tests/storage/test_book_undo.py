"""Delete with undo: every row of the contact goes, and comes back the same, ids included."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Concern,
    Contact,
    Interaction,
    Reminder,
    Seller,
    StageChange,
    UndoItem,
)
from storage.queries.undo import Undone, UndoStatus, delete_with_undo, undo_delete
from storage.vocabulary import Answer, InteractionKind, Outcome, ReminderStatus, Stage
from tests.factories import (
    T0,
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_seller,
    make_stage_change,
)

WINDOW = timedelta(minutes=10)
TABLES: tuple[type[Base], ...] = (Contact, StageChange, Interaction, Concern, Reminder)


async def _rows(session: AsyncSession, owner_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the seller has in each table, column by column, to compare before/after."""
    session.expunge_all()
    found: dict[str, list[dict[str, Any]]] = {}
    for model in TABLES:
        table = model.__table__
        query = select(model).where(table.c.owner_id == owner_id).order_by(table.c.id)
        found[model.__name__] = [
            {column.key: getattr(row, column.key) for column in table.columns}
            for row in (await session.scalars(query)).all()
        ]
    return found


async def _full_contact(session: AsyncSession, seller: Seller) -> Contact:
    contact = await make_contact(
        session,
        owner=seller,
        name="Kari Nordmann",
        company="Acme AS",
        phone="+4791234567",
        email="kari@acme.no",
        birth_day=29,
        birth_month=2,
        stage=Stage.PROSPECT,
        market_fit=Answer.YES,
        budget=Answer.YES,
        authority=Answer.YES,
        outcome=Outcome.NOT_READY,
        last_contacted_at=T0,
        search_key="kari nordmann acme as",
    )
    await make_stage_change(session, contact=contact, to_stage=Stage.LEAD)
    await make_stage_change(
        session, contact=contact, from_stage=Stage.LEAD, to_stage=Stage.PROSPECT
    )
    await make_interaction(session, contact=contact, kind=InteractionKind.MEETING)
    await make_interaction(
        session, contact=contact, kind=InteractionKind.NOTE, text="Wants a demo", search_text="x"
    )
    await make_concern(session, contact=contact, text="Price?")
    await make_reminder(session, owner=seller, contact=contact, due_at=T0 + timedelta(days=3))
    await make_reminder(session, owner=seller, contact=contact, status=ReminderStatus.SENT)
    return contact


async def test_delete_removes_every_row_and_undo_restores_them_unchanged(
    session: AsyncSession,
) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    contact = await _full_contact(session, seller)
    bystander = await _full_contact(session, other)
    await session.commit()
    before, others = await _rows(session, seller.id), await _rows(session, other.id)

    item = await delete_with_undo(
        session, owner_id=seller.id, contact_id=contact.id, now=T0, keep_for=WINDOW
    )
    await session.commit()
    emptied = await _rows(session, seller.id)
    undone = await undo_delete(session, owner_id=seller.id, undo_id=item.id if item else 0, now=T0)
    await session.commit()

    assert item is not None and item.expires_at == T0 + WINDOW
    assert all(rows == [] for rows in emptied.values())
    assert undone.status is UndoStatus.RESTORED
    assert undone.contact is not None and undone.contact.id == contact.id
    assert await _rows(session, seller.id) == before
    assert await _rows(session, other.id) == others
    assert bystander.id != contact.id
    assert await session.scalar(select(func.count()).select_from(UndoItem)) == 0


async def test_undo_is_refused_after_its_window(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    item = await delete_with_undo(
        session, owner_id=seller.id, contact_id=contact.id, now=T0, keep_for=WINDOW
    )
    await session.commit()
    assert item is not None

    late = await undo_delete(session, owner_id=seller.id, undo_id=item.id, now=T0 + WINDOW)

    assert late == Undone(UndoStatus.EXPIRED)
    assert await session.scalar(select(func.count()).select_from(Contact)) == 0


async def test_undo_works_once_and_only_for_its_owner(session: AsyncSession) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    contact = await make_contact(session, owner=seller)
    item = await delete_with_undo(
        session, owner_id=seller.id, contact_id=contact.id, now=T0, keep_for=WINDOW
    )
    await session.commit()
    assert item is not None

    stolen = await undo_delete(session, owner_id=other.id, undo_id=item.id, now=T0)
    first = await undo_delete(session, owner_id=seller.id, undo_id=item.id, now=T0)
    second = await undo_delete(session, owner_id=seller.id, undo_id=item.id, now=T0)
    await session.commit()

    assert stolen == Undone(UndoStatus.MISSING)
    assert first.status is UndoStatus.RESTORED
    assert second == Undone(UndoStatus.MISSING)
    assert await session.scalar(select(func.count()).select_from(Contact)) == 1


async def test_another_sellers_contact_cannot_be_deleted(session: AsyncSession) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    contact = await make_contact(session, owner=seller)

    item = await delete_with_undo(
        session, owner_id=other.id, contact_id=contact.id, now=T0, keep_for=WINDOW
    )

    assert item is None
    assert await session.scalar(select(func.count()).select_from(UndoItem)) == 0


async def test_a_restored_id_taken_meanwhile_gets_a_new_one_with_its_rows(
    session: AsyncSession,
) -> None:
    """SQLite gives a deleted contact's ids to the next new rows: neither contact is lost."""
    seller = await make_seller(session)
    contact = await _full_contact(session, seller)
    [first_change, *_] = await session.scalars(
        select(StageChange.id).where(StageChange.contact_id == contact.id).order_by(StageChange.id)
    )
    item = await delete_with_undo(
        session, owner_id=seller.id, contact_id=contact.id, now=T0, keep_for=WINDOW
    )
    await session.commit()
    assert item is not None
    ola = await make_contact(session, owner=seller, id=contact.id, name="Ola")
    await make_stage_change(session, contact=ola, id=first_change)
    await session.commit()

    undone = await undo_delete(session, owner_id=seller.id, undo_id=item.id, now=T0)
    await session.commit()

    assert undone.contact is not None and undone.contact.id != contact.id
    kari = undone.contact.id
    assert list(await session.scalars(select(Contact.name).order_by(Contact.name))) == [
        "Kari Nordmann",
        "Ola",
    ]
    counts = {
        model.__name__: await session.scalar(
            select(func.count()).select_from(model).where(model.__table__.c.contact_id == kari)
        )
        for model in TABLES[1:]
    }
    assert counts == {"StageChange": 2, "Interaction": 2, "Concern": 1, "Reminder": 2}
    assert (
        await session.scalar(
            select(func.count()).select_from(StageChange).where(StageChange.contact_id == ola.id)
        )
        == 1
    )


async def test_old_expired_undo_items_are_cleared_by_the_next_delete(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    first, second = [await make_contact(session, owner=seller) for _ in range(2)]
    await delete_with_undo(
        session, owner_id=seller.id, contact_id=first.id, now=T0, keep_for=WINDOW
    )

    await delete_with_undo(
        session,
        owner_id=seller.id,
        contact_id=second.id,
        now=T0 + timedelta(days=2),
        keep_for=WINDOW,
    )

    kept = await session.scalars(select(UndoItem.payload))
    assert [payload["contact"]["id"] for payload in kept] == [second.id]
