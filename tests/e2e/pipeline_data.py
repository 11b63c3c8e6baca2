"""Contacts with chosen histories, put straight into the running bot's database.

The pipeline and /today depend on time (days since last contact, due dates, birthdays), so
tests write rows with chosen timestamps through the real query functions instead of
playing months of meetings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, make_sessions
from storage.queries import contacts, interactions, reminders, sellers, stages
from storage.vocabulary import InteractionKind, ReminderKind, Stage
from tests.e2e.harness import Prospekt

OSLO = ZoneInfo("Europe/Oslo")  # a new seller's zone in the tests' settings
DAY = timedelta(days=1)


def now() -> datetime:
    return datetime.now(UTC)


def oslo_today() -> date:
    return now().astimezone(OSLO).date()


def oslo_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO).astimezone(UTC)


@asynccontextmanager
async def database(bot: Prospekt) -> AsyncIterator[AsyncSession]:
    """A transaction on the bot's database file, committed at the end."""
    engine = create_engine(f"sqlite+aiosqlite:///{bot.db_path}")
    try:
        async with make_sessions(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()


async def seller(session: AsyncSession, seller_id: int, language: str) -> None:
    """The seller row, as the bot creates it on the first message."""
    await sellers.get_or_create_seller(
        session, seller_id=seller_id, language=language, timezone="Europe/Oslo"
    )


async def contact(
    session: AsyncSession,
    owner_id: int,
    name: str,
    *,
    path: Sequence[Stage] = (Stage.LEAD,),
    last_contact: datetime | None = None,
    created: datetime | None = None,
    follow_up: datetime | None = None,
    exact: bool = False,
    **fields: Any,
) -> int:
    """A contact that went along `path` (created in the first stage), last met `last_contact`."""
    made = await contacts.create_contact(
        session, owner_id=owner_id, name=name, stage=path[0], **fields
    )
    if created is not None:
        made.created_at = created
    for stage in path[1:]:
        await stages.move_to_stage(session, owner_id=owner_id, contact_id=made.id, stage=stage)
    if last_contact is not None:
        await interactions.add_interaction(
            session,
            owner_id=owner_id,
            contact_id=made.id,
            kind=InteractionKind.MEETING,
            occurred_at=last_contact,
        )
    if follow_up is not None:
        await reminders.schedule_reminder(
            session,
            owner_id=owner_id,
            kind=ReminderKind.FOLLOW_UP,
            due_at=follow_up,
            contact_id=made.id,
            exact_time=exact,
        )
    await session.flush()
    return made.id
