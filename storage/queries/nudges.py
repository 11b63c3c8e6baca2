"""What the reminder messages read and re-plan: contacts behind a batch, overdue follow-ups,
the seller's upcoming reminders, and the pending rows a settings change moves."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Contact, Interaction, Reminder
from storage.queries.pipeline import first_rows
from storage.vocabulary import ReminderKind, ReminderStatus


async def contacts_by_id(
    session: AsyncSession, *, owner_id: int, contact_ids: Collection[int]
) -> dict[int, Contact]:
    """The seller's contacts among `contact_ids` (others' and deleted ones are simply absent)."""
    if not contact_ids:
        return {}
    query = select(Contact).where(Contact.owner_id == owner_id, Contact.id.in_(list(contact_ids)))
    return {contact.id: contact for contact in await session.scalars(query)}


async def last_note(session: AsyncSession, *, owner_id: int, contact_id: int) -> Interaction | None:
    """The newest interaction with text (a note, or a forwarded message)."""
    query = (
        select(Interaction)
        .where(
            Interaction.owner_id == owner_id,
            Interaction.contact_id == contact_id,
            Interaction.text.is_not(None),
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def overdue_follow_ups(
    session: AsyncSession, *, owner_id: int, before: datetime, limit: int = 10
) -> tuple[list[tuple[Reminder, Contact]], int]:
    """Follow-ups sent before `before` and still open, oldest first, and how many in all.

    Still open: not marked done, the contact's latest follow-up (no newer one was set, by
    Tomorrow, Pick a date or a meeting), not contacted since it was due, and the contact not
    marked do-not-contact.
    """
    newer = aliased(Reminder)
    superseded = exists().where(
        newer.owner_id == owner_id,
        newer.contact_id == Reminder.contact_id,
        newer.kind == ReminderKind.FOLLOW_UP,
        newer.id > Reminder.id,
        newer.status != ReminderStatus.CANCELLED,
    )
    query = (
        select(Reminder, Contact)
        .join(Contact, Contact.id == Reminder.contact_id)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status == ReminderStatus.SENT,
            Reminder.due_at < before,
            Contact.owner_id == owner_id,
            Contact.do_not_contact.is_(False),
            ~superseded,
            or_(Contact.last_contacted_at.is_(None), Contact.last_contacted_at < Reminder.due_at),
        )
        .order_by(Reminder.due_at, Reminder.id)
    )
    rows, total = await first_rows(session, query, limit)
    return [(reminder, contact) for reminder, contact in rows], total


async def upcoming(
    session: AsyncSession, *, owner_id: int, limit: int = 10
) -> tuple[list[tuple[Reminder, Contact | None]], int]:
    """The seller's pending reminders, soonest first (with their contact), and how many."""
    query = (
        select(Reminder, Contact)
        .outerjoin(Contact, and_(Contact.id == Reminder.contact_id, Contact.owner_id == owner_id))
        .where(Reminder.owner_id == owner_id, Reminder.status == ReminderStatus.PENDING)
        .order_by(Reminder.due_at, Reminder.id)
    )
    rows, total = await first_rows(session, query, limit)
    return [(reminder, contact) for reminder, contact in rows], total


async def pending_after(
    session: AsyncSession, *, owner_id: int, after: datetime
) -> Sequence[Reminder]:
    """The seller's pending reminders due after `after`: what a settings change re-plans."""
    query = select(Reminder).where(
        Reminder.owner_id == owner_id,
        Reminder.status == ReminderStatus.PENDING,
        Reminder.due_at > after,
    )
    return (await session.scalars(query.order_by(Reminder.id))).all()


async def contacts_with_birthdays(session: AsyncSession, *, owner_id: int) -> Sequence[Contact]:
    query = select(Contact).where(
        Contact.owner_id == owner_id,
        Contact.birth_day.is_not(None),
        Contact.birth_month.is_not(None),
    )
    return (await session.scalars(query.order_by(Contact.id))).all()


async def has_pending_digest(session: AsyncSession, *, owner_id: int) -> bool:
    """Whether a morning digest of the seller's is already planned."""
    found = await session.scalar(
        select(Reminder.id)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.kind == ReminderKind.DIGEST,
            Reminder.status == ReminderStatus.PENDING,
        )
        .limit(1)
    )
    return found is not None
