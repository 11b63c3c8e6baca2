"""Stage queries: every move is recorded with its time; standing still records nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.contacts import create_contact
from storage.queries.stages import move_to_stage, stage_history
from storage.vocabulary import Stage
from tests.factories import T0, make_seller


async def test_moves_are_recorded_in_order_with_their_times(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await create_contact(session, owner_id=seller.id, name="Kari")

    for days, stage in ((1, Stage.PROSPECT), (5, Stage.CUSTOMER), (40, Stage.REPEAT)):
        moved = await move_to_stage(
            session,
            owner_id=seller.id,
            contact_id=contact.id,
            stage=stage,
            changed_at=T0 + timedelta(days=days),
        )
        assert moved is not None and moved.stage is stage

    history = await stage_history(session, owner_id=seller.id, contact_id=contact.id)
    assert [(h.from_stage, h.to_stage) for h in history] == [
        (None, Stage.LEAD),
        (Stage.LEAD, Stage.PROSPECT),
        (Stage.PROSPECT, Stage.CUSTOMER),
        (Stage.CUSTOMER, Stage.REPEAT),
    ]
    assert history[-1].changed_at == T0 + timedelta(days=40)


async def test_moving_to_the_current_stage_records_nothing(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await create_contact(session, owner_id=seller.id, name="Kari")

    await move_to_stage(session, owner_id=seller.id, contact_id=contact.id, stage=Stage.LEAD)

    assert len(await stage_history(session, owner_id=seller.id, contact_id=contact.id)) == 1
