"""A step saved while an update is handled is read back at once and written at the update's
end, after its replies; a statement on the row itself (ending it, moving it on) still comes
after the step saved before it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState
from storage.queries import conversations
from tests.factories import make_seller


async def rows(session: AsyncSession) -> int:
    return (await session.scalar(select(func.count()).select_from(ConversationState))) or 0


async def test_a_step_saved_in_an_update_is_read_back_at_once_and_written_at_its_end(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    conversations.stage_writes(session)

    for step in ("fit", "budget"):
        await conversations.set_state(
            session, seller_id=seller.id, flow="meet", step=step, data={"name": "Åse Ødegård"}
        )
    state = await conversations.get_state(session, seller_id=seller.id)
    written_before_the_end = await rows(session)
    await conversations.write_staged(session)
    session.expunge_all()
    stored = await conversations.get_state(session, seller_id=seller.id)

    assert state is not None and (state.step, state.data) == ("budget", {"name": "Åse Ødegård"})
    assert written_before_the_end == 0
    assert stored is not None and (stored.flow, stored.step) == ("meet", "budget")
    assert stored.data == {"name": "Åse Ødegård"}


async def test_ending_or_moving_a_saved_step_comes_after_it(session: AsyncSession) -> None:
    ending, moving = await make_seller(session), await make_seller(session)
    conversations.stage_writes(session)
    for seller in (ending, moving):
        await conversations.set_state(
            session, seller_id=seller.id, flow="import", step="reading", data={}
        )

    ended = await conversations.clear_state(session, seller_id=ending.id)
    moved = await conversations.move_step(
        session, seller_id=moving.id, flow="import", from_steps=("reading",), to_step="running"
    )
    await conversations.write_staged(session)

    assert ended, "there was a conversation to end"
    assert await conversations.get_state(session, seller_id=ending.id) is None
    assert moved is not None and moved.step == "running"
    assert await rows(session) == 1
