"""Undo for a deleted contact: a snapshot of the contact and every row hanging on it.

Deleting is a real delete (the database cascades to interactions, concerns, stage history and
reminders), so nothing of a deleted contact lingers in lists, search or reminders. Just before,
all those rows are kept as JSON in `undo_item` for a short while; undoing puts them back with
the same ids, so buttons and references made before the delete work again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Enum, Numeric, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Concern,
    Contact,
    Interaction,
    Reminder,
    Sale,
    StageChange,
    UndoItem,
)
from storage.queries import contacts
from storage.types import UTCDateTime

KIND_CONTACT = "contact"
# What hangs on a contact, in the order it is put back (each row refers to the contact only).
CHILDREN: tuple[type[Base], ...] = (StageChange, Interaction, Concern, Reminder, Sale)
# Expired items are kept a little longer, so a late Undo can say "too late" rather than
# "no longer available"; the next delete clears them.
KEEP_EXPIRED = timedelta(days=1)


class UndoStatus(enum.Enum):
    RESTORED = "restored"
    EXPIRED = "expired"
    MISSING = "missing"  # never this seller's, already undone, or long gone


@dataclass(frozen=True)
class Undone:
    status: UndoStatus
    contact: Contact | None = None


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _encode(row: Base) -> dict[str, Any]:
    """A row as JSON-safe values, column by column."""
    values: dict[str, Any] = {}
    for column in _table(type(row)).columns:
        value = getattr(row, column.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)  # exact, unlike a float
        elif isinstance(value, enum.Enum):
            value = value.value
        values[column.key] = value
    return values


def _decode(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `_encode`: timestamps and enums back to their Python types."""
    decoded: dict[str, Any] = {}
    for column in _table(model).columns:
        if column.key not in values:
            continue
        value = values[column.key]
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Numeric):
            value = Decimal(value)
        elif value is not None and isinstance(column.type, Enum) and column.type.enum_class:
            value = column.type.enum_class(value)
        decoded[column.key] = value
    return decoded


async def _children(session: AsyncSession, owner_id: int, contact_id: int) -> dict[str, Any]:
    """Every row that refers to the contact, encoded, then let go of by the session."""
    snapshot: dict[str, Any] = {}
    for model in CHILDREN:
        table = _table(model)
        query = select(model).where(table.c.owner_id == owner_id, table.c.contact_id == contact_id)
        rows = list((await session.scalars(query.order_by(table.c.id))).all())
        snapshot[table.name] = [_encode(row) for row in rows]
        for row in rows:
            session.expunge(row)  # the cascade removes them; no stale copies stay behind
    return snapshot


async def delete_with_undo(
    session: AsyncSession, *, owner_id: int, contact_id: int, now: datetime, keep_for: timedelta
) -> UndoItem | None:
    """Snapshot the contact with all its rows, then delete it; None when not this seller's."""
    contact = await contacts.get_contact(session, owner_id=owner_id, contact_id=contact_id)
    if contact is None:
        return None
    payload = {"contact": _encode(contact), **await _children(session, owner_id, contact_id)}
    await session.execute(
        delete(UndoItem).where(
            UndoItem.owner_id == owner_id, UndoItem.expires_at < now - KEEP_EXPIRED
        )
    )
    item = UndoItem(
        owner_id=owner_id,
        kind=KIND_CONTACT,
        payload=payload,
        created_at=now,
        expires_at=now + keep_for,
    )
    session.add(item)
    await session.delete(contact)
    await session.flush()
    return item


async def _put_back(
    session: AsyncSession, model: type[Base], rows: list[dict[str, Any]], fixed: dict[str, Any]
) -> list[int]:
    """Insert the rows with their old ids; a row whose id was taken since gets a new one.

    Rows keeping their id go in first: SQLite numbers a new row after the largest id, which
    could otherwise be an old id still to be put back.
    """
    table = _table(model)
    decoded = [_decode(model, row) | fixed for row in rows]
    if not decoded:
        return []
    wanted = [row["id"] for row in decoded]
    taken = set(await session.scalars(select(table.c.id).where(table.c.id.in_(wanted))))
    new_ids: dict[int, int] = {}
    for row in sorted(decoded, key=lambda row: row["id"] in taken):
        old = row["id"]
        if old in taken:
            row.pop("id")
        inserted = await session.execute(insert(table).values(row).returning(table.c.id))
        new_ids[old] = inserted.scalar_one()
    return [new_ids[old] for old in wanted]


async def undo_delete(
    session: AsyncSession, *, owner_id: int, undo_id: int, now: datetime
) -> Undone:
    """Put a deleted contact back with all its rows, if the undo is the seller's and in time.

    The item is claimed by deleting it (one statement), so a double tap restores once.
    """
    claimed = await session.execute(
        delete(UndoItem)
        .where(
            UndoItem.id == undo_id,
            UndoItem.owner_id == owner_id,
            UndoItem.kind == KIND_CONTACT,
            UndoItem.expires_at > now,
        )
        .returning(UndoItem.payload)
        .execution_options(synchronize_session=False)
    )
    payload = claimed.scalar_one_or_none()
    if payload is None:
        expired = await session.scalar(
            select(UndoItem.id).where(UndoItem.id == undo_id, UndoItem.owner_id == owner_id)
        )
        return Undone(UndoStatus.EXPIRED if expired else UndoStatus.MISSING)
    [contact_id] = await _put_back(session, Contact, [payload["contact"]], {"owner_id": owner_id})
    for model in CHILDREN:
        rows = payload.get(_table(model).name, [])
        await _put_back(session, model, rows, {"owner_id": owner_id, "contact_id": contact_id})
    await session.flush()
    contact = await contacts.get_contact(session, owner_id=owner_id, contact_id=contact_id)
    return Undone(UndoStatus.RESTORED, contact)
