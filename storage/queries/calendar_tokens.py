"""The secret token of a seller's calendar subscription address: made, renewed, revoked,
and the one way from a token back to its seller."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Seller


async def set_token(session: AsyncSession, *, seller_id: int, token: str | None) -> None:
    """Give the seller a new token (the old address stops working), or none (no feed)."""
    await session.execute(update(Seller).where(Seller.id == seller_id).values(calendar_token=token))


async def seller_by_token(session: AsyncSession, *, token: str) -> Seller | None:
    """Whose calendar `token` opens; None for an unknown or revoked one."""
    if not token:
        return None
    found: Seller | None = await session.scalar(
        select(Seller).where(Seller.calendar_token == token)
    )
    return found
