"""The inbox's queries, on SQLite and PostgreSQL: an update stored twice is kept once; only
queued rows whose lease ran out are handed out, each once; handled rows go after a day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate
from storage.queries import inbox
from tests.factories import T0

MINUTE = timedelta(minutes=1)


def arrived(update_id: int, text: str = "Ring Åse i morgen") -> inbox.Arrived:
    payload = {"update_id": update_id, "message": {"text": text}}
    return inbox.Arrived(update_id, 1001, payload)


async def states(session: AsyncSession) -> dict[int, str]:
    rows = await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id))
    return {row.update_id: row.state for row in rows}


async def test_an_update_sent_again_is_stored_once(session: AsyncSession) -> None:
    first = await inbox.store(session, [arrived(1), arrived(2)], now=T0, lease_until=T0 + MINUTE)
    again = await inbox.store(session, [arrived(2), arrived(3)], now=T0, lease_until=T0 + MINUTE)

    assert (first, again) == ({1, 2}, {3})
    assert await states(session) == {1: "queued", 2: "queued", 3: "queued"}
    stored = await session.get(InboxUpdate, 2)
    assert stored is not None and stored.payload["message"]["text"] == "Ring Åse i morgen"


async def test_only_expired_leases_are_handed_out_and_each_once(session: AsyncSession) -> None:
    await inbox.store(session, [arrived(1)], now=T0, lease_until=T0 + MINUTE)
    await inbox.store(session, [arrived(2)], now=T0, lease_until=T0 + 5 * MINUTE)
    await inbox.store(session, [arrived(3)], now=T0, lease_until=T0 + MINUTE)
    await inbox.finish(session, 3, now=T0)
    later = T0 + 2 * MINUTE

    taken = await inbox.take_expired(session, now=later, lease_until=later + MINUTE)
    again = await inbox.take_expired(session, now=later, lease_until=later + MINUTE)

    assert [row.update_id for row in taken] == [1], "2 is still held, 3 is done"
    assert again == [], "a row taken is leased anew"


async def test_handled_rows_are_pruned_after_a_day_and_queued_ones_never(
    session: AsyncSession,
) -> None:
    await inbox.store(session, [arrived(n) for n in (1, 2, 3)], now=T0, lease_until=T0)
    await inbox.finish(session, 1, now=T0 - timedelta(days=2))
    await inbox.finish(session, 2, now=T0, state=inbox.FAILED)

    pruned = await inbox.prune(session, handled_before=T0 - timedelta(days=1))

    assert pruned == 1
    assert await states(session) == {2: "failed", 3: "queued"}
    assert await inbox.waiting(session) == 1


async def test_an_id_handled_before_with_other_content_is_a_new_update(
    session: AsyncSession,
) -> None:
    """Telegram picks update ids afresh after a quiet week: the same id, other words."""
    await inbox.store(session, [arrived(1, "Ring Åse")], now=T0, lease_until=T0 + MINUTE)
    await inbox.finish(session, 1, now=T0)
    later = T0 + 10 * MINUTE

    same = await inbox.store(session, [arrived(1, "Ring Åse")], now=later, lease_until=later)
    other = await inbox.store(session, [arrived(1, "Møte fredag")], now=later, lease_until=later)

    assert (same, other) == (set(), {1})
    stored = await session.get(InboxUpdate, 1)
    assert stored is not None
    await session.refresh(stored)
    assert (stored.state, stored.payload["message"]["text"]) == ("queued", "Møte fredag")
