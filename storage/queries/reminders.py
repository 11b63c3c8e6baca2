"""Reminders: rows the dispatcher claims atomically, so no nudge is sent twice or lost."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder
from storage.queries.contacts import get_contact
from storage.vocabulary import ReminderKind, ReminderStatus


async def schedule_reminder(
    session: AsyncSession,
    *,
    owner_id: int,
    kind: ReminderKind,
    due_at: datetime,
    contact_id: int | None = None,
    exact_time: bool = False,
) -> Reminder | None:
    """A pending reminder; None when `contact_id` is given but is not this seller's contact."""
    if contact_id is not None and (
        await get_contact(session, owner_id=owner_id, contact_id=contact_id) is None
    ):
        return None
    reminder = Reminder(
        owner_id=owner_id, contact_id=contact_id, kind=kind, due_at=due_at, exact_time=exact_time
    )
    session.add(reminder)
    await session.flush()
    return reminder


async def get_reminder(
    session: AsyncSession, *, owner_id: int, reminder_id: int
) -> Reminder | None:
    return await session.scalar(
        select(Reminder).where(Reminder.id == reminder_id, Reminder.owner_id == owner_id)
    )


async def pending_for_contact(
    session: AsyncSession, *, owner_id: int, contact_id: int
) -> Sequence[Reminder]:
    query = (
        select(Reminder)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.contact_id == contact_id,
            Reminder.status == ReminderStatus.PENDING,
        )
        .order_by(Reminder.due_at, Reminder.id)
    )
    return (await session.scalars(query)).all()


async def next_for_owner(
    session: AsyncSession, *, owner_id: int, limit: int = 5
) -> Sequence[Reminder]:
    """The seller's soonest pending reminders, for /today and the digest."""
    query = (
        select(Reminder)
        .where(Reminder.owner_id == owner_id, Reminder.status == ReminderStatus.PENDING)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def cancel_for_contact(
    session: AsyncSession,
    *,
    owner_id: int,
    contact_id: int,
    kinds: Iterable[ReminderKind] | None = None,
) -> int:
    """Cancel the contact's pending reminders (optionally only some kinds); how many."""
    query = (
        update(Reminder)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.contact_id == contact_id,
            Reminder.status == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    )
    if kinds is not None:
        query = query.where(Reminder.kind.in_(list(kinds)))
    result = await session.execute(query)
    await session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


async def reschedule(
    session: AsyncSession, *, owner_id: int, reminder_id: int, due_at: datetime
) -> Reminder | None:
    """Snooze: make the reminder pending again at `due_at`; None when not this seller's."""
    reminder = await get_reminder(session, owner_id=owner_id, reminder_id=reminder_id)
    if reminder is None:
        return None
    reminder.due_at, reminder.status, reminder.last_error = due_at, ReminderStatus.PENDING, None
    await session.flush()
    return reminder


async def mark_done(session: AsyncSession, *, owner_id: int, reminder_id: int) -> Reminder | None:
    """The seller acted on the reminder; None when not this seller's."""
    reminder = await get_reminder(session, owner_id=owner_id, reminder_id=reminder_id)
    if reminder is None:
        return None
    reminder.status = ReminderStatus.DONE
    await session.flush()
    return reminder


async def claim_due(session: AsyncSession, *, now: datetime, limit: int = 50) -> list[Reminder]:
    """Atomically take up to `limit` due reminders for sending, soonest first.

    One statement: `WITH due AS MATERIALIZED (SELECT id ... LIMIT n FOR UPDATE SKIP LOCKED)
    UPDATE reminder ... WHERE id IN (SELECT id FROM due) RETURNING ...`. On PostgreSQL
    concurrent claimers skip each other's rows; SQLite drops the lock clause, but it runs one
    writer at a time, so the statement is atomic there too. Claimed rows are `sending` with
    `attempts` bumped; the caller commits, sends, then calls `mark_sent` or `mark_failed`.

    Not the shorter `WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`: PostgreSQL may
    re-run such a subquery while updating, and each re-run skips the rows just updated and
    locks further ones, so one call took 200 rows with `limit=120`. The materialized CTE is
    evaluated exactly once.
    """
    due = (
        select(Reminder.id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    claim = (
        update(Reminder)
        .where(Reminder.id.in_(select(due.c.id)), Reminder.status == ReminderStatus.PENDING)
        .values(status=ReminderStatus.SENDING, attempts=Reminder.attempts + 1)
        .returning(Reminder)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    claimed = list((await session.scalars(claim)).all())
    claimed.sort(key=lambda reminder: (reminder.due_at, reminder.id))
    return claimed


async def mark_sent(
    session: AsyncSession,
    *,
    reminder_id: int,
    sent_at: datetime,
    message_id: int | None = None,
    owner_id: int | None = None,
) -> bool:
    """Record a delivered reminder (by id for the dispatcher, or also by owner); True if found."""
    query = (
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(
            status=ReminderStatus.SENT, sent_at=sent_at, sent_message_id=message_id, last_error=None
        )
        .execution_options(synchronize_session="fetch")
    )
    if owner_id is not None:
        query = query.where(Reminder.owner_id == owner_id)
    result = await session.execute(query)
    await session.flush()
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_failed(
    session: AsyncSession, *, reminder_id: int, error: str, retry_at: datetime | None = None
) -> bool:
    """A send failed: pending again at `retry_at`, or `failed` for good when there is none."""
    values: dict[str, object] = {"last_error": error[:255]}
    if retry_at is None:
        values["status"] = ReminderStatus.FAILED
    else:
        values.update(status=ReminderStatus.PENDING, due_at=retry_at)
    query = (
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    result = await session.execute(query)
    await session.flush()
    return bool(result.rowcount)  # type: ignore[attr-defined]
