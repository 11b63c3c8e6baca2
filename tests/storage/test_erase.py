"""Forgetting a seller: every table walked, every row of theirs gone, nobody else's touched."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, InboxUpdate, Seller
from storage.queries.erase import forget_seller, seller_column
from tests.factories import (
    make_concern,
    make_contact,
    make_conversation_state,
    make_interaction,
    make_reminder,
    make_sale,
    make_seller,
    make_stage_change,
    make_undo_item,
)


async def a_full_book(session: AsyncSession) -> Seller:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    await make_interaction(session, contact=contact)
    await make_concern(session, contact=contact)
    await make_stage_change(session, contact=contact)
    await make_sale(session, contact=contact)
    await make_reminder(session, owner=seller, contact=contact)
    await make_reminder(session, owner=seller)  # one about no contact (a digest)
    await make_conversation_state(session, owner=seller)
    await make_undo_item(session, owner=seller)
    session.add(InboxUpdate(update_id=seller.id, seller_id=seller.id, payload={"text": "hi"}))
    await session.flush()
    return seller


async def counts(session: AsyncSession, seller_id: int) -> dict[str, int]:
    return {
        table.name: int(
            await session.scalar(
                select(func.count()).select_from(table).where(seller_column(table) == seller_id)
            )
            or 0
        )
        for table in Base.metadata.sorted_tables
    }


async def test_forgetting_a_seller_empties_every_table_of_them_alone(
    session: AsyncSession,
) -> None:
    gone, kept = await a_full_book(session), await a_full_book(session)
    theirs = await counts(session, kept.id)

    erased = await forget_seller(session, seller_id=gone.id)

    assert await counts(session, gone.id) == {t.name: 0 for t in Base.metadata.sorted_tables}
    assert await counts(session, kept.id) == theirs
    assert all(theirs.values()), "the other seller has a row in every table"
    assert erased >= 10


def test_a_table_that_names_no_seller_is_refused_rather_than_left_behind() -> None:
    orphan = Table("orphan", MetaData(), Column("id", Integer, primary_key=True))
    with pytest.raises(LookupError, match="orphan"):
        seller_column(orphan)
