"""Forgetting a seller: every row of theirs, in every table, in the caller's one transaction.

The tables are walked from `Base.metadata`, children before parents, each by the column that
names the seller, so a table added later is erased too, or, if nobody said which column
names its seller, `forget_seller` refuses rather than leave something behind.

The inbox rows of the seller go too, the very update asking to forget included: its row is
deleted here, and marking it done after the handler (`storage.queries.inbox.finish`) then
touches nothing. Nothing the seller typed (payloads) or their id stays behind. Should
Telegram send that same update again, it would be a first message from someone new.
"""

from __future__ import annotations

from sqlalchemy import Column, Table, delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

SELLER_COLUMNS = ("owner_id", "seller_id")  # the seller's id in every table but `seller`


def seller_column(table: Table) -> Column[int]:
    """The column of `table` that holds the seller's id."""
    if table.name == "seller":
        return table.c.id
    for name in SELLER_COLUMNS:
        if name in table.c:
            return table.c[name]
    raise LookupError(f"table {table.name} names no seller: say how to forget one in it")


async def forget_seller(session: AsyncSession, *, seller_id: int) -> int:
    """Delete the seller and everything they own; how many rows went."""
    erased = 0
    for table in reversed(Base.metadata.sorted_tables):
        result = await session.execute(delete(table).where(seller_column(table) == seller_id))
        erased += int(getattr(result, "rowcount", 0) or 0)
    return erased
