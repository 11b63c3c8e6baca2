"""The contact book: filtered, paged lists and everything one contact card shows.

Lists sort in SQL and fetch one page (LIMIT/OFFSET over the owner's rows, found through the
owner and owner+stage indexes), so a seller with thousands of contacts never loads them all.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern, Contact, Interaction, Reminder, StageChange
from storage.queries.pipeline import OPEN_FOLLOW_UP
from storage.vocabulary import ConcernStatus, Outcome, ReminderKind, ReminderStatus, Stage


class BookFilter(enum.StrEnum):
    """The lists a seller can open; the value is the short code in callback data."""

    LEADS = "ld"
    PROSPECTS = "pr"
    CUSTOMERS = "cu"
    REPEAT = "rb"
    NOT_READY = "nr"
    DO_NOT_CONTACT = "dn"
    ALL = "all"


_STAGES = {
    BookFilter.LEADS: Stage.LEAD,
    BookFilter.PROSPECTS: Stage.PROSPECT,
    BookFilter.CUSTOMERS: Stage.CUSTOMER,
    BookFilter.REPEAT: Stage.REPEAT,
}
# Directories read best alphabetically; work lists put the next thing to do first.
ALPHABETICAL = frozenset({BookFilter.ALL, BookFilter.DO_NOT_CONTACT})


@dataclass(frozen=True)
class ListRow:
    """One contact as a list shows it."""

    id: int
    name: str
    company: str | None
    stage: Stage
    do_not_contact: bool
    follow_up_at: datetime | None


@dataclass(frozen=True)
class CardData:
    """Everything the contact card shows about one contact."""

    contact: Contact
    in_stage_since: datetime
    concerns: Sequence[Concern]  # open ones, oldest first
    recent: Sequence[Interaction]  # newest first
    follow_up: Reminder | None  # the next follow-up, whatever birthday reminders come sooner


def _condition(book_filter: BookFilter) -> ColumnElement[bool]:
    """Which contacts a list holds. Do-not-contact people live in their own list (and All),
    so the work lists only show people the seller may approach."""
    if book_filter is BookFilter.ALL:
        return true()
    if book_filter is BookFilter.DO_NOT_CONTACT:
        return Contact.do_not_contact.is_(True)
    allowed = Contact.do_not_contact.is_(False)
    if book_filter is BookFilter.NOT_READY:
        return and_(allowed, Contact.outcome == Outcome.NOT_READY)
    return and_(allowed, Contact.stage == _STAGES[book_filter])


def _page_query(owner_id: int, book_filter: BookFilter) -> Select[Any]:
    """The list's rows with each one's next pending follow-up, sorted usefully.

    Work lists: soonest follow-up first (overdue at the top), then those with none planned,
    longest without contact first. Directories (All, Do not contact): by folded name.
    """
    follow = (
        select(Reminder.contact_id, func.min(Reminder.due_at).label("due"))
        .where(
            Reminder.owner_id == owner_id,
            Reminder.status == ReminderStatus.PENDING,
            Reminder.kind == ReminderKind.FOLLOW_UP,
        )
        .group_by(Reminder.contact_id)
        .subquery()
    )
    query = (
        select(
            Contact.id,
            Contact.name,
            Contact.company,
            Contact.stage,
            Contact.do_not_contact,
            follow.c.due,
        )
        .outerjoin(follow, follow.c.contact_id == Contact.id)
        .where(Contact.owner_id == owner_id, _condition(book_filter))
    )
    by_name = (Contact.search_key, Contact.id)
    if book_filter in ALPHABETICAL:
        return query.order_by(*by_name)
    return query.order_by(
        follow.c.due.is_(None),
        follow.c.due,
        Contact.last_contacted_at.is_not(None),
        Contact.last_contacted_at,
        *by_name,
    )


async def list_page(
    session: AsyncSession, *, owner_id: int, book_filter: BookFilter, limit: int, offset: int
) -> list[ListRow]:
    """One page of a list."""
    query = _page_query(owner_id, book_filter).limit(limit).offset(offset)
    return [ListRow(*row) for row in (await session.execute(query)).all()]


def _by_contact(
    table: Any, owner_id: int | BindParameter[int], contact_id: int | BindParameter[int]
) -> ColumnElement[bool]:
    """The contact's rows, still checked against the owner, looked up by the contact's index.

    Without statistics SQLite prefers the owner index (all the seller's rows) or the reminder
    status index (everyone's pending reminders) to the contact index (a handful of rows), and
    a card took 170 ms with 200 sellers. `owner_id + 0` keeps the check but not as an index
    choice; PostgreSQL plans by statistics and finds the same way.
    """
    return and_(table.contact_id == contact_id, (table.owner_id + 0) == owner_id)


def _with_stage_since(owner_id: int, contact_id: int) -> Select[Contact, datetime]:
    """The seller's contact and when it last entered its current stage, in one read (None
    when its history is missing: the card then counts from its creation)."""
    since = (
        select(func.max(StageChange.changed_at))
        .where(
            _by_contact(StageChange, owner_id, contact_id), StageChange.to_stage == Contact.stage
        )
        .scalar_subquery()
    )
    return select(Contact, since).where(Contact.id == contact_id, Contact.owner_id == owner_id)


_OWNER = bindparam("card_owner", type_=Integer)
_CONTACT = bindparam("card_contact", type_=Integer)
_OPEN_CONCERNS = (
    select(Concern)
    .where(_by_contact(Concern, _OWNER, _CONTACT), Concern.status == ConcernStatus.OPEN)
    .order_by(Concern.created_at, Concern.id)
)
_RECENT = (
    select(Interaction)
    .where(_by_contact(Interaction, _OWNER, _CONTACT))
    .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    .limit(bindparam("card_recent"))
)
_REMINDERS = select(Reminder).where(_by_contact(Reminder, _OWNER, _CONTACT))
"""The card's reads, built once: a card is opened on most searches."""


def _next_follow_up(reminders: Sequence[Reminder]) -> Reminder | None:
    """The soonest follow-up still to come (or being sent right now); picked here from the
    contact's few reminders."""
    follow_ups = [
        r for r in reminders if r.kind is ReminderKind.FOLLOW_UP and r.status in OPEN_FOLLOW_UP
    ]
    return min(follow_ups, key=lambda r: (r.due_at, r.id), default=None)


async def contact_card(
    session: AsyncSession, *, owner_id: int, contact_id: int, recent: int = 3
) -> CardData | None:
    """The card's data; None when the contact is not this seller's (or no longer exists)."""
    found = (await session.execute(_with_stage_since(owner_id, contact_id))).first()
    if found is None:
        return None
    contact, since = found
    ids = {"card_owner": owner_id, "card_contact": contact_id}
    return CardData(
        contact=contact,
        in_stage_since=since or contact.created_at,
        concerns=list((await session.scalars(_OPEN_CONCERNS, ids)).all()),
        recent=list((await session.scalars(_RECENT, {**ids, "card_recent": recent})).all()),
        follow_up=_next_follow_up((await session.scalars(_REMINDERS, ids)).all()),
    )
