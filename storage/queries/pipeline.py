"""The pipeline and the day's focus: owner-scoped aggregate reads, mapped to plain rows.

"Since" is a contact's last logged interaction, or its creation when none was logged yet.
Cut-off instants (who counts as stuck, what is due) are worked out by the caller's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, Reminder, Seller, StageChange
from storage.vocabulary import Criterion, Outcome, ReminderKind, ReminderStatus, Stage

ANSWERS = tuple(getattr(Contact, criterion.value) for criterion in Criterion)  # a column each
OPEN_FOLLOW_UP = (ReminderStatus.PENDING, ReminderStatus.SENDING)
"""A follow-up still ahead of the seller: planned, or being sent right now (the dispatcher
holds it as `sending` for a moment, until it is sent, pending again, failed or cancelled)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """The first rows of a list, and how long the whole list is."""

    rows: list[T]
    total: int


@dataclass(frozen=True)
class QuietContact:
    contact_id: int
    name: str
    stage: Stage
    since: datetime


@dataclass(frozen=True)
class Reach:
    """How many contacts ever reached each point of the funnel (stage history)."""

    lead: int  # were ever a lead
    lead_qualified: int  # ... and were ever a prospect, customer or repeat buyer
    prospect: int  # were ever a prospect
    prospect_won: int  # ... and were ever a customer or repeat buyer


async def book_groups(
    session: AsyncSession, *, owner_id: int
) -> list[tuple[Stage, bool, Outcome | None, int]]:
    """The seller's contacts grouped by stage, do-not-contact and last outcome, with how many
    each: every number on every screen is counted from these (`bot.rules.counting`)."""
    query = (
        select(Contact.stage, Contact.do_not_contact, Contact.outcome, func.count())
        .where(Contact.owner_id == owner_id)
        .group_by(Contact.stage, Contact.do_not_contact, Contact.outcome)
    )
    return [
        (stage, bool(dnc), outcome, int(n))
        for stage, dnc, outcome, n in (await session.execute(query)).all()
    ]


def _ever(*stages: Stage) -> Any:
    """1 when any of the contact's history rows moved it into one of `stages`, else 0."""
    return func.max(case((StageChange.to_stage.in_(stages), 1), else_=0))


async def funnel_reach(session: AsyncSession, *, owner_id: int) -> Reach:
    """Who ever reached which stage, from the stage history of the seller's current contacts."""
    per_contact = (
        select(
            _ever(Stage.LEAD).label("lead"),
            _ever(Stage.PROSPECT).label("prospect"),
            _ever(Stage.PROSPECT, Stage.CUSTOMER, Stage.REPEAT).label("qualified"),
            _ever(Stage.CUSTOMER, Stage.REPEAT).label("won"),
        )
        .where(StageChange.owner_id == owner_id)
        .group_by(StageChange.contact_id)
        .subquery()
    )
    c = per_contact.c
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(c.lead), 0),
                func.coalesce(func.sum(c.lead * c.qualified), 0),
                func.coalesce(func.sum(c.prospect), 0),
                func.coalesce(func.sum(c.prospect * c.won), 0),
            )
        )
    ).one()
    return Reach(*(int(value) for value in row))


def since() -> ColumnElement[datetime]:
    """The last contact, or the creation of a contact never contacted."""
    return func.coalesce(Contact.last_contacted_at, Contact.created_at)


def follow_up_pending(owner_id: int, due_before: datetime | None = None) -> ColumnElement[bool]:
    """The contact has a follow-up still to come, a next step (due before `due_before`, when
    given): pending, or being sent right now (`OPEN_FOLLOW_UP`).

    Uncorrelated (`id IN (...)`): the seller's follow-ups are read once, not per contact.
    """
    planned = select(Reminder.contact_id).where(
        Reminder.owner_id == owner_id,
        Reminder.kind == ReminderKind.FOLLOW_UP,
        Reminder.status.in_(OPEN_FOLLOW_UP),
        Reminder.contact_id.is_not(None),
    )
    if due_before is not None:
        planned = planned.where(Reminder.due_at < due_before)
    return Contact.id.in_(planned)


def reachable(owner_id: int) -> ColumnElement[bool]:
    return and_(Contact.owner_id == owner_id, Contact.do_not_contact.is_(False))


async def first_rows(
    session: AsyncSession, query: Select[*tuple[Any, ...]], limit: int
) -> tuple[list[Any], int]:
    """The first `limit` rows and the full count, in one statement (a window count)."""
    rows = (await session.execute(query.add_columns(func.count().over()).limit(limit))).all()
    return [row[:-1] for row in rows], int(rows[0][-1]) if rows else 0


async def quiet_contacts(
    session: AsyncSession,
    *,
    owner_id: int,
    before: Mapping[Stage, datetime | None],
    limit: int = 10,
    unplanned_only: bool = False,
) -> Page[QuietContact]:
    """Per stage named, contacts last contacted before its cut-off (None: any time), longest
    quiet first, up to `limit` of each; `unplanned_only` leaves out those with a follow-up
    pending. Do-not-contact contacts are never listed."""
    found: list[QuietContact] = []
    total = 0
    for stage, cutoff in before.items():
        query = select(Contact.id, Contact.name, Contact.stage, since()).where(
            reachable(owner_id), Contact.stage == stage
        )
        if cutoff is not None:
            query = query.where(since() < cutoff)
        if unplanned_only:
            query = query.where(~follow_up_pending(owner_id))
        rows, count = await first_rows(session, query.order_by(since(), Contact.id), limit)
        found += [QuietContact(*row) for row in rows]
        total += count
    return Page(found, total)


async def set_keep_in_touch(
    session: AsyncSession, *, seller_id: int, stage: Stage, days: int | None
) -> Seller:
    """Set one stage's keep-in-touch period; None returns it to the default."""
    seller = await session.get(Seller, seller_id)
    if seller is None:
        raise LookupError(f"no seller {seller_id}")
    periods = dict(seller.keep_in_touch or {})
    periods.pop(stage.value, None)
    if days is not None:
        periods[stage.value] = days
    seller.keep_in_touch = periods  # a new dict: the JSON column tracks assignment, not edits
    await session.flush()
    return seller
