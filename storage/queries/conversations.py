"""The step each seller is at in a multi-step conversation, read on every update."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState


async def get_state(session: AsyncSession, *, seller_id: int) -> ConversationState | None:
    return await session.get(ConversationState, seller_id)


async def set_state(
    session: AsyncSession, *, seller_id: int, flow: str, step: str, data: dict[str, Any]
) -> ConversationState:
    """Save the step and everything typed so far, replacing any earlier conversation."""
    state = await session.get(ConversationState, seller_id)
    if state is None:
        state = ConversationState(seller_id=seller_id, flow=flow, step=step, data=dict(data))
        session.add(state)
    else:
        state.flow, state.step, state.data = flow, step, dict(data)
    await session.flush()
    return state


async def clear_state(session: AsyncSession, *, seller_id: int) -> bool:
    """End the seller's conversation; True when there was one."""
    result = await session.execute(
        delete(ConversationState).where(ConversationState.seller_id == seller_id)
    )
    await session.flush()
    return bool(result.rowcount)  # type: ignore[attr-defined]
