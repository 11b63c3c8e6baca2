"""The durable inbox: store what arrives, lease what is to be handled, mark what was.

A row is `queued` until its handling commits; then `done` (or `failed`, when handling it
hit a bug). The lease says until when one worker owns a queued row; a row whose lease ran
out belongs to a worker that died (or is stuck) and is taken by the next sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialects
from storage.models import InboxUpdate

QUEUED, DONE, FAILED = "queued", "done", "failed"
MISSED = "missed"  # given up after an outage that lasted: the seller is told at their next update


@dataclass(frozen=True)
class Arrived:
    """One update as Telegram sent it, and the seller it is from."""

    update_id: int
    seller_id: int
    payload: dict[str, Any]


_inbox = cast(Table, InboxUpdate.__table__)
_STORE: dict[str, Executable] = {}


def _store_statement(session: AsyncSession) -> Executable:
    """INSERT … ON CONFLICT DO NOTHING RETURNING update_id, on the table, built once per
    database and run with the rows as parameters: it runs on every update, and built with
    the rows in it (`.values(rows)`) SQLAlchemy compiled it afresh each time, a twentieth of
    a search's CPU."""
    dialect = session.get_bind().dialect.name
    statement = _STORE.get(dialect)
    if statement is None:
        statement = (
            dialects.insert_for(dialect, _inbox)
            .on_conflict_do_nothing()
            .returning(_inbox.c.update_id)
        )
        _STORE[dialect] = statement
    return statement


async def store(
    session: AsyncSession, arrived: Sequence[Arrived], *, now: datetime, lease_until: datetime
) -> set[int]:
    """Keep every update of `arrived` not kept before, leased to the caller; returns the ids
    stored now (the others arrived again, as Telegram re-sends what it was not told of).

    An id already handled but arriving with other content is a new update: Telegram picks
    ids afresh after a quiet week (and a test server starts again at 1). It replaces the
    old row, once, whoever of two workers gets there first."""
    if not arrived:
        return set()
    rows = [
        {
            "update_id": item.update_id,
            "seller_id": item.seller_id,
            "payload": item.payload,
            "state": QUEUED,
            "attempts": 0,
            "lease_until": lease_until,
            "received_at": now,
        }
        for item in arrived
    ]
    # One statement, whose RETURNING names only the rows it inserted: two workers given the
    # same update at once (Telegram retrying a webhook) cannot both think it new.
    new = set(await session.scalars(_store_statement(session), rows))
    again = {row["update_id"]: row for row in rows if row["update_id"] not in new}
    if again:
        kept = await session.execute(
            select(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.received_at).where(
                InboxUpdate.update_id.in_(again), InboxUpdate.state != QUEUED
            )
        )
        for update_id, payload, received_at in kept.all():
            if payload == again[update_id]["payload"]:
                continue  # the same update sent again: handled already
            replaced = await session.execute(
                update(InboxUpdate)
                .where(
                    InboxUpdate.update_id == update_id,
                    InboxUpdate.received_at == received_at,  # not replaced meanwhile
                )
                .values(**again[update_id], handled_at=None)
            )
            if replaced.rowcount:  # type: ignore[attr-defined]
                new.add(update_id)
    return new


async def hold_seller(session: AsyncSession, seller_id: int) -> None:
    """Until this transaction ends, no other worker handles this seller's updates: two of
    them racing (posted to two workers) run one after the other, so they cannot both advance
    the same conversation step. PostgreSQL only; SQLite has one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(seller_id)))


_FINISH = (
    update(_inbox)
    .where(_inbox.c.update_id == bindparam("finished_id"))
    .values(
        state=bindparam("finished_state"),
        handled_at=bindparam("now"),
        lease_until=None,
        attempts=_inbox.c.attempts + 1,
    )
)
"""Built once, and on the table: it runs after every update, and SQLAlchemy's ORM update
(which would look for loaded rows to change along) cost three times as much CPU."""


async def finish(
    session: AsyncSession, update_id: int, *, now: datetime, state: str = DONE
) -> None:
    """Mark the update handled: in the handler's own transaction, so both happen or neither."""
    await session.execute(_FINISH, {"finished_id": update_id, "finished_state": state, "now": now})


async def take_expired(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int = 500
) -> list[InboxUpdate]:
    """Lease the queued rows whose lease ran out (or, with `now` far ahead, every queued
    row), oldest first; a row another worker takes at the same moment is not taken twice."""
    rows = list(
        await session.scalars(
            select(InboxUpdate)
            .where(InboxUpdate.state == QUEUED)
            .where((InboxUpdate.lease_until.is_(None)) | (InboxUpdate.lease_until < now))
            .order_by(InboxUpdate.update_id)
            .limit(limit)
        )
    )
    taken = []
    for row in rows:
        result = await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id == row.update_id)
            .where(InboxUpdate.state == QUEUED)
            .where(
                InboxUpdate.lease_until.is_(None)
                if row.lease_until is None
                else InboxUpdate.lease_until == row.lease_until
            )
            .values(lease_until=lease_until)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            taken.append(row)
    return taken


async def extend(session: AsyncSession, update_ids: Sequence[int], *, until: datetime) -> None:
    """Keep the leases of updates still being handled (a long retry, a slow reply)."""
    if update_ids:
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id.in_(update_ids))
            .where(InboxUpdate.state == QUEUED)
            .values(lease_until=until)
        )


async def take_missed(session: AsyncSession, seller_id: int) -> list[dict[str, Any]]:
    """The payloads of the seller's updates given up on and not yet owned up to; from now on
    they count as failed (told once)."""
    rows = list(
        await session.scalars(
            select(InboxUpdate)
            .where(InboxUpdate.seller_id == seller_id, InboxUpdate.state == MISSED)
            .order_by(InboxUpdate.update_id)
        )
    )
    for row in rows:
        row.state = FAILED
    return [row.payload for row in rows]


async def prune(session: AsyncSession, *, handled_before: datetime) -> int:
    """Forget handled updates (they hold what sellers typed) once they are old."""
    result = await session.execute(
        delete(InboxUpdate)
        .where(InboxUpdate.state != QUEUED)
        .where(InboxUpdate.handled_at < handled_before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def waiting(session: AsyncSession) -> int:
    """How many updates are stored and not yet handled."""
    rows = await session.scalars(select(InboxUpdate.update_id).where(InboxUpdate.state == QUEUED))
    return len(list(rows))
