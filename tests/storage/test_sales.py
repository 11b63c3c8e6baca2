"""Sales on both databases: recorded for the owner's own contacts, summed per currency since a
moment, and taken back."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries import sales
from tests.factories import T0, make_contact, make_seller


async def test_sales_are_summed_per_currency_since_a_moment_for_the_owner_only(
    session: AsyncSession,
) -> None:
    me, other = await make_seller(session), await make_seller(session)
    kari = await make_contact(session, owner=me)
    theirs = await make_contact(session, owner=other)
    for amount, currency, days_ago in [
        ("12500.50", "NOK", 1),
        ("1000", "NOK", 40),
        ("300", "EUR", 2),
    ]:
        await sales.record_sale(
            session,
            owner_id=me.id,
            contact_id=kari.id,
            amount=Decimal(amount),
            currency=currency,
            sold_at=T0 - timedelta(days=days_ago),
        )
    await sales.record_sale(
        session, owner_id=other.id, contact_id=theirs.id, amount=Decimal(99), currency="NOK",
        sold_at=T0,
    )  # fmt: skip

    recent = await sales.won_since(session, owner_id=me.id, since=T0 - timedelta(days=30))
    everything = await sales.won_since(session, owner_id=me.id, since=T0 - timedelta(days=365))

    assert recent == {"NOK": Decimal("12500.50"), "EUR": Decimal(300)}
    assert everything == {"NOK": Decimal("13500.50"), "EUR": Decimal(300)}


async def test_a_sale_to_someone_elses_contact_is_refused_and_one_can_be_taken_back(
    session: AsyncSession,
) -> None:
    me, other = await make_seller(session), await make_seller(session)
    theirs = await make_contact(session, owner=other)
    kari = await make_contact(session, owner=me)

    refused = await sales.record_sale(
        session, owner_id=me.id, contact_id=theirs.id, amount=Decimal(5), currency="NOK",
        sold_at=T0,
    )  # fmt: skip
    sale = await sales.record_sale(
        session, owner_id=me.id, contact_id=kari.id, amount=Decimal(5), currency="NOK",
        sold_at=T0,
    )  # fmt: skip
    assert refused is None and sale is not None
    assert not await sales.delete_sale(session, owner_id=other.id, sale_id=sale.id)
    assert await sales.delete_sale(session, owner_id=me.id, sale_id=sale.id)

    assert await sales.won_since(session, owner_id=me.id, since=T0 - timedelta(days=1)) == {}
