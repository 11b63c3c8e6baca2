"""Sales: what a purchase was worth, recorded with the meeting's "Bought", summed for /pipeline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Sale
from storage.queries.contacts import get_contact


async def record_sale(
    session: AsyncSession,
    *,
    owner_id: int,
    contact_id: int,
    amount: Decimal,
    currency: str,
    sold_at: datetime,
) -> Sale | None:
    """A sale to one of the seller's contacts; None when the contact is not theirs."""
    if await get_contact(session, owner_id=owner_id, contact_id=contact_id) is None:
        return None
    sale = Sale(
        owner_id=owner_id,
        contact_id=contact_id,
        amount=amount,
        currency=currency,
        sold_at=sold_at,
    )
    session.add(sale)
    await session.flush()
    return sale


async def delete_sale(session: AsyncSession, *, owner_id: int, sale_id: int) -> bool:
    """Take back a sale (the "Bought" it came with was taken back); True when there was one."""
    result = await session.execute(
        delete(Sale).where(Sale.owner_id == owner_id, Sale.id == sale_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def won_since(session: AsyncSession, *, owner_id: int, since: datetime) -> dict[str, Decimal]:
    """The value of the seller's sales since `since`, per currency."""
    rows = await session.execute(
        select(Sale.currency, func.sum(Sale.amount))
        .where(Sale.owner_id == owner_id, Sale.sold_at >= since)
        .group_by(Sale.currency)
    )
    return {currency: Decimal(total) for currency, total in rows.all()}
