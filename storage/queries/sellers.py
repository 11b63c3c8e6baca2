"""Sellers: created on first contact, updated from /settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Seller

SETTABLE = frozenset(
    {
        "language",
        "timezone",
        "timezone_confirmed",
        "digest_hour",
        "quiet_start_hour",
        "quiet_end_hour",
        "birthday_lead_days",
        "active",
    }
)


async def get_seller(session: AsyncSession, *, seller_id: int) -> Seller | None:
    return await session.get(Seller, seller_id)


async def get_or_create_seller(
    session: AsyncSession, *, seller_id: int, language: str, timezone: str
) -> tuple[Seller, bool]:
    """The seller row, created with the given defaults on first sight; True when new."""
    seller = await session.get(Seller, seller_id)
    if seller is not None:
        return seller, False
    seller = Seller(id=seller_id, language=language, timezone=timezone)
    session.add(seller)
    await session.flush()
    return seller, True


async def update_seller(session: AsyncSession, *, seller_id: int, **changes: Any) -> Seller:
    """Change settings by name; unknown names are a programming error, not user input."""
    unknown = set(changes) - SETTABLE
    if unknown:
        raise ValueError(f"not a seller setting: {sorted(unknown)}")
    seller = await session.get(Seller, seller_id)
    if seller is None:
        raise LookupError(f"no seller {seller_id}")
    for name, value in changes.items():
        setattr(seller, name, value)
    await session.flush()
    return seller


async def active_seller_ids(session: AsyncSession) -> list[int]:
    result = await session.scalars(select(Seller.id).where(Seller.active.is_(True)))
    return list(result)
