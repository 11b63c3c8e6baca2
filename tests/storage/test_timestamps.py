"""Timestamps go in aware, are stored as UTC and come back aware UTC on both backends."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Sessions
from storage.models import Reminder
from storage.queries.dispatch import claim_batch
from tests.factories import T0, make_reminder, make_seller

OSLO = ZoneInfo("Europe/Oslo")


async def test_timestamps_come_back_as_aware_utc(sessions: Sessions) -> None:
    due = T0.astimezone(OSLO)  # same instant, +01:00
    async with sessions() as session:
        seller = await make_seller(session)
        reminder_id = (await make_reminder(session, owner=seller, due_at=due)).id
        await session.commit()

    async with sessions() as session:
        reminder = await session.get_one(Reminder, reminder_id)

    assert reminder.due_at == T0
    assert reminder.due_at.tzinfo is UTC
    assert reminder.created_at.tzinfo is UTC


async def test_timestamps_are_stored_in_utc_whatever_offset_was_given(
    session: AsyncSession, db_backend: str
) -> None:
    seller = await make_seller(session)
    await make_reminder(session, owner=seller, due_at=T0.astimezone(OSLO))

    if db_backend == "postgresql":
        stored = await session.scalar(text("SELECT due_at AT TIME ZONE 'UTC' FROM reminder"))
        assert stored == T0.replace(tzinfo=None)
    else:
        stored = await session.scalar(text("SELECT due_at FROM reminder"))
        assert str(stored).startswith("2027-03-14 12:00:00")


async def test_naive_datetimes_are_rejected_on_write(session: AsyncSession) -> None:
    seller = await make_seller(session)

    with pytest.raises(StatementError, match="naive datetime"):
        await make_reminder(session, owner=seller, due_at=T0.replace(tzinfo=None))


async def test_naive_datetimes_are_rejected_in_comparisons(session: AsyncSession) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await session.scalars(select(Reminder).where(Reminder.due_at <= T0.replace(tzinfo=None)))


async def test_due_times_compare_by_instant_across_offsets(session: AsyncSession) -> None:
    seller = await make_seller(session)
    reminder = await make_reminder(session, owner=seller, due_at=(T0 + timedelta(hours=1)))

    early = (T0 + timedelta(minutes=59)).astimezone(OSLO)
    assert await claim_batch(session, now=early, limit=10) == []
    claimed = await claim_batch(
        session, now=T0.astimezone(ZoneInfo("America/New_York")) + timedelta(hours=1), limit=10
    )
    assert [row.id for row in claimed] == [reminder.id]
