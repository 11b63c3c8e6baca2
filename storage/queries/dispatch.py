"""The reminder dispatcher's queries: claim due rows, record what happened to each send.

A claimed row is `sending` with `claimed_at` and `claimed_by` (the claiming dispatcher's id)
set and `attempts` bumped. Every function that settles a claim only touches rows still
`sending` and, given `worker`, still held by that dispatcher, so a claim that was recovered
(and perhaps taken by another worker) is never overwritten by the worker that lost it.
Functions flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder, Seller
from storage.vocabulary import ReminderStatus

ERROR_MAX = 255
_UNCLAIMED: dict[str, object] = {"claimed_at": None, "claimed_by": None}


def _active_owner() -> object:
    return Reminder.owner_id.in_(select(Seller.id).where(Seller.active.is_(True)))


async def _claim(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int | None,
    owners: Collection[int] | None = None,
    claimed_by: str | None = None,
) -> list[Reminder]:
    """One atomic statement: a materialized CTE picks the rows (`FOR UPDATE SKIP LOCKED` on
    PostgreSQL, so workers skip each other's; SQLite drops the lock clause but runs one writer
    at a time), the UPDATE takes them. Only rows of active sellers: a seller who blocked the
    bot is paused, not retried.

    Not the shorter `WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`: PostgreSQL may
    re-run such a subquery while updating, and each re-run skips the rows just updated and
    locks further ones, so one call took 200 rows with `limit=120`. The materialized CTE is
    evaluated exactly once."""
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.due_at <= now,
            _active_owner(),  # type: ignore[arg-type]
        )
        .order_by(Reminder.due_at, Reminder.owner_id, Reminder.id)
        .with_for_update(skip_locked=True)
    )
    if owners is not None:
        due = due.where(Reminder.owner_id.in_(list(owners)))
    if limit is not None:
        due = due.limit(limit)
    chosen = due.cte("due").prefix_with("MATERIALIZED")
    claim = (
        update(Reminder)
        .where(Reminder.id.in_(select(chosen.c.id)), Reminder.status == ReminderStatus.PENDING)
        .values(
            status=ReminderStatus.SENDING,
            attempts=Reminder.attempts + 1,
            claimed_at=now,
            claimed_by=claimed_by,
        )
        .returning(Reminder)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    claimed = list((await session.scalars(claim)).all())
    claimed.sort(key=lambda reminder: (reminder.due_at, reminder.id))
    return claimed


async def claim_batch(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    only_owners: Collection[int] | None = None,
    worker: str | None = None,
) -> list[Reminder]:
    """Up to `limit` due reminders of active sellers, soonest first, plus every other due
    reminder of the same sellers, so one seller's due items reach `compose` together (one
    digest rather than two half ones). With `only_owners` (the allow-list), no one else's:
    a seller taken off the list is paused, and goes on where it stopped when put back.
    `worker` is the claiming dispatcher's id, recorded on each row."""
    first = await _claim(session, now=now, limit=limit, owners=only_owners, claimed_by=worker)
    if not first:
        return first
    sellers = {r.owner_id for r in first}
    rest = await _claim(session, now=now, limit=None, owners=sellers, claimed_by=worker)
    return sorted(first + rest, key=lambda reminder: (reminder.due_at, reminder.id))


async def recover_stale(session: AsyncSession, *, claimed_before: datetime) -> int:
    """Give back claims older than `claimed_before` (their dispatcher died mid-send): pending
    again at their old due time. How many."""
    stale = or_(Reminder.claimed_at.is_(None), Reminder.claimed_at < claimed_before)
    return await _give_back(session, stale)


async def claim_holders(session: AsyncSession, *, other_than: str) -> set[str]:
    """The ids of the other dispatchers that hold claims now."""
    query = (
        select(Reminder.claimed_by)
        .distinct()
        .where(
            Reminder.status == ReminderStatus.SENDING,
            Reminder.claimed_by.is_not(None),
            Reminder.claimed_by != other_than,
        )
    )
    return {worker for worker in await session.scalars(query) if worker is not None}


async def recover_held_by(session: AsyncSession, *, workers: Collection[str]) -> int:
    """Give back every claim of these dispatchers (they died): pending again at their old due
    time. How many."""
    if not workers:
        return 0
    return await _give_back(session, Reminder.claimed_by.in_(list(workers)))


async def _give_back(session: AsyncSession, which: ColumnElement[bool]) -> int:
    query = (
        update(Reminder)
        .where(Reminder.status == ReminderStatus.SENDING, which)
        .values(status=ReminderStatus.PENDING, claimed_at=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(query)
    await session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def _held(ids: Iterable[int], worker: str | None) -> list[ColumnElement[bool]]:
    held = [Reminder.id.in_(list(ids)), Reminder.status == ReminderStatus.SENDING]
    if worker is not None:
        held.append(Reminder.claimed_by == worker)
    return held


async def _settle(
    session: AsyncSession, ids: Collection[int], worker: str | None, **values: object
) -> int:
    if not ids:
        return 0
    query = (
        update(Reminder)
        .where(*_held(ids, worker))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(query)
    await session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


async def renew_claims(
    session: AsyncSession, *, ids: Collection[int], now: datetime, worker: str | None = None
) -> int:
    """A live dispatcher still holds these: keep them from looking stale."""
    return await _settle(session, ids, worker, claimed_at=now)


async def mark_delivered(
    session: AsyncSession,
    *,
    ids: Collection[int],
    message_id: int | None,
    sent_at: datetime,
    worker: str | None = None,
    note: str | None = None,
) -> int:
    """One message delivered these reminders. Without `message_id` the delivery is presumed
    (the send's outcome was unknown and it is not tried again); `note` says why."""
    return await _settle(
        session,
        ids,
        worker,
        status=ReminderStatus.SENT,
        sent_at=sent_at,
        sent_message_id=message_id,
        last_error=None if note is None else note[:ERROR_MAX],
        **_UNCLAIMED,
    )


async def release(
    session: AsyncSession,
    *,
    ids: Collection[int],
    due_at: datetime | None = None,
    worker: str | None = None,
) -> int:
    """Not sent and not failed (quiet hours, a paused seller, the bot stopping): pending
    again, at `due_at` when given, and the claim's attempt is not counted."""
    values: dict[str, object] = {
        "status": ReminderStatus.PENDING,
        "attempts": Reminder.attempts - 1,
        **_UNCLAIMED,
    }
    if due_at is not None:
        values["due_at"] = due_at
    return await _settle(session, ids, worker, **values)


async def retry_later(
    session: AsyncSession,
    *,
    ids: Collection[int],
    retry_at: datetime,
    error: str,
    worker: str | None = None,
    unknown_at: datetime | None = None,
) -> int:
    """The send failed for a passing reason: pending again at `retry_at`. With `unknown_at`,
    the failed send may have been delivered (it is then sent again only once)."""
    values: dict[str, object] = {"outcome_unknown_at": unknown_at} if unknown_at else {}
    return await _settle(
        session,
        ids,
        worker,
        status=ReminderStatus.PENDING,
        due_at=retry_at,
        last_error=error[:ERROR_MAX],
        **_UNCLAIMED,
        **values,
    )


async def give_up(
    session: AsyncSession, *, ids: Collection[int], error: str, worker: str | None = None
) -> int:
    """Telegram refused the message itself (400): retrying would fail the same way."""
    return await _settle(
        session,
        ids,
        worker,
        status=ReminderStatus.FAILED,
        last_error=error[:ERROR_MAX],
        **_UNCLAIMED,
    )


async def cancel(session: AsyncSession, *, ids: Collection[int], worker: str | None = None) -> int:
    """Claimed but not worth sending any more (the contact is gone, do not contact)."""
    return await _settle(session, ids, worker, status=ReminderStatus.CANCELLED, **_UNCLAIMED)


async def deactivate_seller(session: AsyncSession, *, seller_id: int) -> None:
    """The seller blocked the bot: pause them until they /start again."""
    await session.execute(
        update(Seller)
        .where(Seller.id == seller_id)
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    await session.flush()
