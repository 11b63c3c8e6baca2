"""Contacts from a file, many at a time: one statement per table per batch, not per person.

A batch of new contacts is three inserts (the contacts, their first stage, their notes);
twenty thousand people go in in seconds where one `create_contact` each would take minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, Interaction, Reminder, StageChange
from storage.queries.contacts import search_key_of
from storage.vocabulary import Answer, InteractionKind, ReminderKind, Stage, fold


@dataclass(frozen=True)
class NewContact:
    """One person to add, or to fill in an existing contact with."""

    name: str
    company: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None
    birth_day: int | None = None
    birth_month: int | None = None
    birth_year: int | None = None
    note: str | None = None
    # New contacts start as leads with every criterion unknown, unless the file is our own
    # export, which says where each one was.
    stage: Stage = Stage.LEAD
    market_fit: Answer = Answer.UNKNOWN
    budget: Answer = Answer.UNKNOWN
    authority: Answer = Answer.UNKNOWN


_IDENTITY = ("name", "company", "phone", "email", "birth_day", "birth_month", "birth_year")


class ExistingKey(NamedTuple):
    """What tells whether a person from a file is already one of the seller's contacts."""

    id: int
    name: str
    phone: str | None
    email: str | None


async def existing_keys(session: AsyncSession, *, owner_id: int) -> list[ExistingKey]:
    """Every contact of the seller, four columns each: one read, compared in Python."""
    rows = await session.execute(
        select(Contact.id, Contact.name, Contact.phone, Contact.email).where(
            Contact.owner_id == owner_id
        )
    )
    return [ExistingKey(*row) for row in rows]


async def add_contacts(
    session: AsyncSession,
    *,
    owner_id: int,
    people: Sequence[NewContact],
    source: str,
    now: datetime,
) -> list[int]:
    """New contacts (leads with criteria unknown, unless the person says otherwise), each
    with its first stage and its note; their ids, in the order given."""
    if not people:
        return []
    rows = [
        {
            "owner_id": owner_id,
            "name": p.name,
            "company": p.company,
            "phone": p.phone,
            "email": p.email,
            "birth_day": p.birth_day,
            "birth_month": p.birth_month,
            "birth_year": p.birth_year,
            "stage": p.stage,
            "market_fit": p.market_fit,
            "budget": p.budget,
            "authority": p.authority,
            "source": source,
            "search_key": search_key_of(p.name, p.company, p.email, p.phone),
            "created_at": now,
            "updated_at": now,
        }
        for p in people
    ]
    # RETURNING in the order given would make SQLite insert one row per statement; rows
    # are told apart by what was inserted instead (two rows alike in all of it are alike).
    table = cast(Table, Contact.__table__)
    columns = [table.c.id, *(table.c[name] for name in _IDENTITY)]
    result = await session.execute(insert(table).returning(*columns), rows)
    waiting: dict[tuple[Any, ...], list[int]] = {}
    for row in result:
        waiting.setdefault(tuple(row[1:]), []).append(row[0])
    ids = [waiting[tuple(getattr(p, name) for name in _IDENTITY)].pop() for p in people]
    await session.execute(
        insert(StageChange),
        [
            {
                "owner_id": owner_id,
                "contact_id": contact_id,
                "from_stage": None,
                "to_stage": person.stage,
                "changed_at": now,
            }
            for contact_id, person in zip(ids, people, strict=True)
        ],
    )
    await add_notes(
        session,
        owner_id=owner_id,
        notes=[(i, p.note) for i, p in zip(ids, people, strict=True) if p.note],
        now=now,
    )
    return ids


async def add_notes(
    session: AsyncSession, *, owner_id: int, notes: Sequence[tuple[int, str]], now: datetime
) -> None:
    """A note on each contact (ids already known to be the seller's). An imported note is
    no contact with the person: `last_contacted_at` stays as it was."""
    if not notes:
        return
    await session.execute(
        insert(Interaction),
        [
            {
                "owner_id": owner_id,
                "contact_id": contact_id,
                "kind": InteractionKind.NOTE,
                "text": text,
                "search_text": fold(text),
                "occurred_at": now,
                "created_at": now,
            }
            for contact_id, text in notes
        ],
    )


async def fill_in(
    session: AsyncSession,
    *,
    owner_id: int,
    people: Sequence[tuple[int, NewContact]],
    now: datetime,
) -> tuple[int, list[Contact]]:
    """Fill the empty fields of existing contacts, never overwriting one the seller set, and
    add each note: how many were found (a contact deleted since is not), and those whose
    birthday was filled in (to plan its nudges)."""
    wanted = {contact_id: person for contact_id, person in people}
    if not wanted:
        return 0, []
    found = await session.scalars(
        select(Contact).where(Contact.owner_id == owner_id, Contact.id.in_(list(wanted)))
    )
    with_birthday: list[Contact] = []
    notes: list[tuple[int, str]] = []
    count = 0
    for contact in found:
        count += 1
        person = wanted[contact.id]
        fields: dict[str, Any] = {
            "company": person.company,
            "phone": person.phone,
            "email": person.email,
        }
        for name, value in fields.items():
            if value and not getattr(contact, name):
                setattr(contact, name, value)
        if contact.birth_month is None and person.birth_month is not None:
            contact.birth_day, contact.birth_month = person.birth_day, person.birth_month
            contact.birth_year = person.birth_year
            with_birthday.append(contact)
        contact.search_key = search_key_of(
            contact.name, contact.company, contact.email, contact.phone
        )
        contact.updated_at = now
        if person.note:
            notes.append((contact.id, person.note))
    await session.flush()
    await add_notes(session, owner_id=owner_id, notes=notes, now=now)
    return count, with_birthday


async def add_reminders(
    session: AsyncSession,
    *,
    owner_id: int,
    planned: Sequence[tuple[int, ReminderKind, datetime]],
) -> None:
    """Pending reminders (contact id, kind, due), for contacts known to be the seller's."""
    if not planned:
        return
    await session.execute(
        insert(Reminder),
        [
            {"owner_id": owner_id, "contact_id": contact_id, "kind": kind, "due_at": due}
            for contact_id, kind, due in planned
        ],
    )
