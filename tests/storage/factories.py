"""Rows for tests, made directly from the models so tests of a query do not lean on it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern, Contact, Interaction, Reminder, Seller, StageChange
from storage.vocabulary import InteractionKind, ReminderKind, ReminderStatus

T0 = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)
"""A fixed "now" for tests: no test depends on the wall clock."""

_seller_ids = itertools.count(1_000_001)
_names = itertools.count(1)


async def _saved(session: AsyncSession, row: Any) -> Any:
    session.add(row)
    await session.flush()
    return row


async def make_seller(session: AsyncSession, **fields: Any) -> Seller:
    fields.setdefault("id", next(_seller_ids))
    fields.setdefault("language", "en")
    fields.setdefault("timezone", "Europe/Oslo")
    seller: Seller = await _saved(session, Seller(**fields))
    return seller


async def make_contact(session: AsyncSession, *, owner: Seller, **fields: Any) -> Contact:
    fields.setdefault("name", f"Contact {next(_names)}")
    contact: Contact = await _saved(session, Contact(owner_id=owner.id, **fields))
    return contact


async def make_interaction(
    session: AsyncSession, *, contact: Contact, **fields: Any
) -> Interaction:
    fields.setdefault("kind", InteractionKind.MEETING)
    fields.setdefault("occurred_at", T0)
    row = Interaction(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    interaction: Interaction = await _saved(session, row)
    return interaction


async def make_concern(session: AsyncSession, *, contact: Contact, **fields: Any) -> Concern:
    fields.setdefault("text", "Is it too expensive?")
    fields.setdefault("created_at", T0)
    concern: Concern = await _saved(
        session, Concern(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    )
    return concern


async def make_stage_change(
    session: AsyncSession, *, contact: Contact, **fields: Any
) -> StageChange:
    fields.setdefault("to_stage", contact.stage)
    fields.setdefault("changed_at", T0)
    change: StageChange = await _saved(
        session, StageChange(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    )
    return change


async def make_reminder(
    session: AsyncSession,
    *,
    owner: Seller,
    contact: Contact | None = None,
    **fields: Any,
) -> Reminder:
    fields.setdefault("kind", ReminderKind.FOLLOW_UP)
    fields.setdefault("due_at", T0)
    fields.setdefault("status", ReminderStatus.PENDING)
    row = Reminder(owner_id=owner.id, contact_id=contact.id if contact else None, **fields)
    reminder: Reminder = await _saved(session, row)
    return reminder
