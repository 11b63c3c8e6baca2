"""Concurrent dispatchers never claim the same reminder: FOR UPDATE SKIP LOCKED on PostgreSQL.

Through `dispatch.claim_batch`, the claim the dispatcher makes. It takes every due reminder
of the sellers it picks, so the reminders are spread over many sellers here: with one seller
the first batch would take them all and there would be no race.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import insert

from storage.db import Sessions
from storage.models import Reminder
from storage.queries.dispatch import claim_batch
from storage.vocabulary import ReminderKind, ReminderStatus
from tests.factories import T0, make_seller
from tests.storage.databases import ONLY_POSTGRES

SELLERS = 100
DUE = 200  # two per seller, a seller's two far apart in due order


async def _due_reminders(sessions: Sessions) -> set[int]:
    async with sessions() as session:
        sellers = [(await make_seller(session)).id for _ in range(SELLERS)]
        rows = [
            {
                "owner_id": sellers[n % SELLERS],
                "kind": ReminderKind.FOLLOW_UP,
                "due_at": T0 - timedelta(seconds=n),
                "status": ReminderStatus.PENDING,
                "exact_time": False,
                "attempts": 0,
                "created_at": T0,
            }
            for n in range(DUE)
        ]
        ids = set(await session.scalars(insert(Reminder).returning(Reminder.id), rows))
        await session.commit()
    return ids


async def test_two_dispatchers_claiming_at_once_split_the_due_reminders(
    sessions: Sessions,
) -> None:
    all_ids = await _due_reminders(sessions)

    async def dispatcher() -> list[int]:
        claimed: list[int] = []
        async with sessions() as session:
            while batch := await claim_batch(session, now=T0, limit=15):
                claimed += [reminder.id for reminder in batch]
                await session.commit()
                await asyncio.sleep(0)
        return claimed

    first, second = await asyncio.gather(dispatcher(), dispatcher())

    assert len(first) + len(second) == DUE
    assert set(first).isdisjoint(second)
    assert set(first) | set(second) == all_ids


@ONLY_POSTGRES
async def test_a_claim_skips_reminders_held_by_another_open_claim(sessions: Sessions) -> None:
    all_ids = await _due_reminders(sessions)

    async with sessions() as holder, sessions() as other:
        # The 60 soonest are one each of 60 sellers: the batch adds those sellers' other 60.
        held = {reminder.id for reminder in await claim_batch(holder, now=T0, limit=60)}
        # `holder` has not committed: its rows stay locked, and `other` must not wait for them.
        rest = {r.id for r in await asyncio.wait_for(claim_batch(other, now=T0, limit=DUE), 5)}
        await holder.commit()
        await other.commit()

    assert len(held) == 120
    assert held.isdisjoint(rest)
    assert held | rest == all_ids
