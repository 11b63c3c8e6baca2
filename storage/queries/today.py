"""The day's focus: follow-ups due, birthdays coming, leads one answer from qualifying.

Owner-scoped reads for /today, mapped to plain rows; do-not-contact contacts never appear.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Contact, Reminder
from storage.queries.pipeline import (
    ANSWERS,
    OPEN_FOLLOW_UP,
    Page,
    first_rows,
    follow_up_pending,
    reachable,
    since,
)
from storage.vocabulary import Answer, Criterion, ReminderKind, ReminderStatus, Stage


@dataclass(frozen=True)
class DueFollowUp:
    contact_id: int
    name: str
    due_at: datetime
    exact: bool


@dataclass(frozen=True)
class BirthdayContact:
    contact_id: int
    name: str
    month: int
    day: int
    year: int | None


@dataclass(frozen=True)
class AlmostProspect:
    """A lead with two Yes answers and one still unknown."""

    contact_id: int
    name: str
    since: datetime
    answers: dict[Criterion, Answer]


async def due_follow_ups(
    session: AsyncSession, *, owner_id: int, before: datetime, limit: int = 10
) -> Page[DueFollowUp]:
    """Contacts whose earliest open follow-up is due before `before`, most overdue first.

    Open: still pending, being sent right now (the dispatcher holds it as `sending` for a
    moment; it must not blink off /today), or nudged already but not acted on (not done, not
    replaced by a newer follow-up, no contact logged since it was due), so a sent nudge stays.
    """
    newer = aliased(Reminder)
    replaced = exists().where(
        newer.owner_id == owner_id,
        newer.contact_id == Reminder.contact_id,
        newer.kind == ReminderKind.FOLLOW_UP,
        newer.id > Reminder.id,
        newer.status != ReminderStatus.CANCELLED,
    )
    ranked = (
        select(
            Reminder.contact_id,
            Reminder.due_at,
            Reminder.exact_time,
            func.row_number()
            .over(partition_by=Reminder.contact_id, order_by=(Reminder.due_at, Reminder.id))
            .label("n"),
        )
        .join(Contact, Contact.id == Reminder.contact_id)
        .where(
            Reminder.owner_id == owner_id,
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.due_at < before,
            or_(
                Reminder.status.in_(OPEN_FOLLOW_UP),
                and_(
                    Reminder.status == ReminderStatus.SENT,
                    ~replaced,
                    or_(
                        Contact.last_contacted_at.is_(None),
                        Contact.last_contacted_at < Reminder.due_at,
                    ),
                ),
            ),
        )
        .subquery()
    )
    query = (
        select(Contact.id, Contact.name, ranked.c.due_at, ranked.c.exact_time)
        .join(ranked, ranked.c.contact_id == Contact.id)
        .where(ranked.c.n == 1, reachable(owner_id))
        .order_by(ranked.c.due_at, Contact.id)
    )
    rows, total = await first_rows(session, query, limit)
    return Page([DueFollowUp(*row) for row in rows], total)


async def birthdays_on(
    session: AsyncSession, *, owner_id: int, days: Collection[tuple[int, int]], limit: int = 100
) -> list[BirthdayContact]:
    """Contacts (not do-not-contact) whose birthday falls on one of the (month, day) pairs."""
    if not days:
        return []
    on_day = [
        and_(Contact.birth_month == month, Contact.birth_day == day) for month, day in sorted(days)
    ]
    query = (
        select(Contact.id, Contact.name, Contact.birth_month, Contact.birth_day, Contact.birth_year)
        .where(reachable(owner_id), or_(*on_day))
        .order_by(Contact.birth_month, Contact.birth_day, Contact.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [
        BirthdayContact(id_, name, month or 0, day or 0, year)
        for id_, name, month, day, year in rows
    ]


async def leads_one_answer_away(
    session: AsyncSession, *, owner_id: int, due_before: datetime, limit: int = 10
) -> Page[AlmostProspect]:
    """Leads with two Yes and one unknown answer, leaving out those with a follow-up due."""
    two_yes_one_unknown = [
        and_(*(column == (Answer.UNKNOWN if column is open_ else Answer.YES) for column in ANSWERS))
        for open_ in ANSWERS
    ]
    query = (
        select(Contact.id, Contact.name, since(), *ANSWERS)
        .where(
            reachable(owner_id),
            Contact.stage == Stage.LEAD,
            or_(*two_yes_one_unknown),
            ~follow_up_pending(owner_id, due_before),
        )
        .order_by(since(), Contact.id)
    )
    rows, total = await first_rows(session, query, limit)
    return Page(
        [
            AlmostProspect(id_, name, at, dict(zip(Criterion, answers, strict=True)))
            for id_, name, at, *answers in rows
        ],
        total,
    )
