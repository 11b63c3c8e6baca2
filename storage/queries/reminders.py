"""Reminders as the seller plans them: schedule, list, cancel, snooze, mark done.

Owner-scoped; functions flush, the caller commits. Sending is the dispatcher's business: it
claims, delivers and settles rows through `storage.queries.dispatch`, never through here.
"""

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
