"""Everything a seller keeps, read out for /export and /calendar, a chunk at a time.

An account of 20,000 contacts is streamed `CHUNK` rows at a time from one query (a
server-side cursor on PostgreSQL, inside the update's one transaction), as plain rows rather
than ORM objects; what hangs on each chunk (open concerns, the next follow-up, sales, how
many activities) is read with one query each for the whole chunk. One query sorted once, not
a page query per chunk: pages sort the seller's rows again for every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Executable, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern, Contact, Interaction, Reminder, Sale
from storage.queries.pipeline import OPEN_FOLLOW_UP
from storage.vocabulary import Answer, ConcernStatus, InteractionKind, ReminderKind, Stage

CHUNK = 1000


@dataclass(frozen=True)
class ContactLine:
    """One contact and what hangs on it, as the export writes it."""

    contact_id: int
    name: str
    company: str | None
    phone: str | None
    email: str | None
    stage: Stage
    market_fit: Answer
    budget: Answer
    authority: Answer
    do_not_contact: bool
    birth_day: int | None
    birth_month: int | None
    birth_year: int | None
    last_contacted_at: datetime | None
    source: str | None
    created_at: datetime
    next_follow_up: datetime | None
    open_concerns: tuple[str, ...]
    sales: tuple[tuple[str, Decimal], ...]  # (currency, sum), by currency
    interactions: int


@dataclass(frozen=True)
class InteractionLine:
    contact_id: int
    contact: str
    kind: InteractionKind
    occurred_at: datetime
    text: str | None


_CONTACT_COLUMNS = (
    Contact.id,
    Contact.name,
    Contact.company,
    Contact.phone,
    Contact.email,
    Contact.stage,
    Contact.market_fit,
    Contact.budget,
    Contact.authority,
    Contact.do_not_contact,
    Contact.birth_day,
    Contact.birth_month,
    Contact.birth_year,
    Contact.last_contacted_at,
    Contact.source,
    Contact.created_at,
)


async def contact_lines(
    session: AsyncSession, *, owner_id: int, chunk: int = CHUNK
) -> AsyncIterator[ContactLine]:
    """The seller's contacts in id order, each with its concerns, follow-up and sales."""
    rows = await session.stream(
        select(*_CONTACT_COLUMNS)
        .where(Contact.owner_id == owner_id)
        .order_by(Contact.id)
        .execution_options(yield_per=chunk)
    )
    async for part in rows.partitions():
        extra = await _hanging_on(session, owner_id, [row[0] for row in part])
        for row in part:
            yield ContactLine(*row, *(hanging[row[0]] for hanging in extra))


async def _hanging_on(
    session: AsyncSession, owner_id: int, ids: list[int]
) -> tuple[dict[int, Any], ...]:
    """Next follow-up, open concerns, sales and activity count of each contact in `ids`."""
    follow_ups = await _by_contact(
        session,
        select(Reminder.contact_id, func.min(Reminder.due_at))
        .where(
            Reminder.owner_id == owner_id,
            Reminder.contact_id.in_(ids),
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status.in_(OPEN_FOLLOW_UP),
        )
        .group_by(Reminder.contact_id),
    )
    counts = await _by_contact(
        session,
        select(Interaction.contact_id, func.count())
        .where(Interaction.owner_id == owner_id, Interaction.contact_id.in_(ids))
        .group_by(Interaction.contact_id),
    )
    concerns: defaultdict[int, tuple[str, ...]] = defaultdict(tuple)
    for contact_id, text in await session.execute(
        select(Concern.contact_id, Concern.text)
        .where(
            Concern.owner_id == owner_id,
            Concern.contact_id.in_(ids),
            Concern.status == ConcernStatus.OPEN,
        )
        .order_by(Concern.id)
    ):
        concerns[contact_id] += (text,)
    sales: defaultdict[int, tuple[tuple[str, Decimal], ...]] = defaultdict(tuple)
    for contact_id, currency, total in await session.execute(
        select(Sale.contact_id, Sale.currency, func.sum(Sale.amount))
        .where(Sale.owner_id == owner_id, Sale.contact_id.in_(ids))
        .group_by(Sale.contact_id, Sale.currency)
        .order_by(Sale.contact_id, Sale.currency)
    ):
        sales[contact_id] += ((currency, Decimal(total)),)
    return (
        defaultdict(lambda: None, follow_ups),
        concerns,
        sales,
        defaultdict(int, counts),
    )


async def _by_contact(session: AsyncSession, query: Executable) -> dict[int, Any]:
    return {contact_id: value for contact_id, value in await session.execute(query)}


async def interaction_lines(
    session: AsyncSession, *, owner_id: int, chunk: int = CHUNK
) -> AsyncIterator[InteractionLine]:
    """The seller's activities with the contact's name, in id order (the order logged)."""
    rows = await session.stream(
        select(
            Interaction.contact_id,
            Contact.name,
            Interaction.kind,
            Interaction.occurred_at,
            Interaction.text,
        )
        .join(Contact, Contact.id == Interaction.contact_id)
        .where(Interaction.owner_id == owner_id, Contact.owner_id == owner_id)
        .order_by(Interaction.id)
        .execution_options(yield_per=chunk)
    )
    async for part in rows.partitions():
        for row in part:
            yield InteractionLine(*row)


@dataclass(frozen=True)
class FollowUpLine:
    reminder_id: int
    name: str
    company: str | None
    due_at: datetime
    exact_time: bool


@dataclass(frozen=True)
class BirthdayLine:
    contact_id: int
    name: str
    day: int
    month: int
    year: int | None


async def follow_up_lines(session: AsyncSession, *, owner_id: int) -> list[FollowUpLine]:
    """The seller's open follow-ups about a contact, soonest first (for the calendar)."""
    rows = await session.execute(
        select(
            Reminder.id,
            Contact.name,
            Contact.company,
            Reminder.due_at,
            Reminder.exact_time,
        )
        .join(Contact, Contact.id == Reminder.contact_id)
        .where(
            Reminder.owner_id == owner_id,
            Contact.owner_id == owner_id,
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status.in_(OPEN_FOLLOW_UP),
        )
        .order_by(Reminder.due_at, Reminder.id)
    )
    return [FollowUpLine(*row) for row in rows.all()]


async def birthday_lines(session: AsyncSession, *, owner_id: int) -> list[BirthdayLine]:
    """The seller's contacts whose birthday is known (for the calendar)."""
    rows = await session.execute(
        select(Contact.id, Contact.name, Contact.birth_day, Contact.birth_month, Contact.birth_year)
        .where(
            Contact.owner_id == owner_id,
            Contact.birth_day.is_not(None),
            Contact.birth_month.is_not(None),
        )
        .order_by(Contact.id)
    )
    return [
        BirthdayLine(contact_id, name, day, month, year)
        for contact_id, name, day, month, year in rows.all()
        if day is not None and month is not None
    ]
