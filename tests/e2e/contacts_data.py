"""Contacts put straight into the running bot's database, for tests of the contact book.

Through the real query functions, on the bot's own SQLite file, so hundreds of contacts take
a fraction of a second instead of hundreds of /meet conversations.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, make_sessions
from storage.models import Contact, StageChange, UndoItem
from storage.queries import concerns, contacts, interactions, reminders, stages
from storage.vocabulary import InteractionKind, ReminderKind, Stage
from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage, PhoneUser

T = TypeVar("T")


@asynccontextmanager
async def database(bot: Prospekt) -> AsyncIterator[AsyncSession]:
    """A transaction on the bot's database file, committed at the end."""
    engine = create_engine(f"sqlite+aiosqlite:///{bot.db_path}")
    try:
        async with make_sessions(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()


async def run(bot: Prospekt, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with database(bot) as session:
        return await work(session)


async def add_contacts(
    bot: Prospekt, owner_id: int, names: list[str], stage: Stage = Stage.LEAD, **fields: Any
) -> list[int]:
    """Contacts of `owner_id` (who must have written to the bot once), in one transaction."""

    async def create(session: AsyncSession) -> list[int]:
        made = [
            await contacts.create_contact(
                session, owner_id=owner_id, name=name, stage=stage, **fields
            )
            for name in names
        ]
        return [contact.id for contact in made]

    return await run(bot, create)


async def add_contact(bot: Prospekt, owner_id: int, name: str, **fields: Any) -> int:
    [contact_id] = await add_contacts(bot, owner_id, [name], **fields)
    return contact_id


async def log(
    bot: Prospekt,
    owner_id: int,
    contact_id: int,
    kind: InteractionKind,
    text: str | None,
    at: datetime,
) -> None:
    await run(
        bot,
        lambda s: interactions.add_interaction(
            s, owner_id=owner_id, contact_id=contact_id, kind=kind, text=text, occurred_at=at
        ),
    )


async def add_concern(bot: Prospekt, owner_id: int, contact_id: int, text: str) -> int:
    async def create(session: AsyncSession) -> int:
        concern = await concerns.add_concern(
            session, owner_id=owner_id, contact_id=contact_id, text=text
        )
        assert concern is not None
        return concern.id

    return await run(bot, create)


async def follow_up(bot: Prospekt, owner_id: int, contact_id: int, due: datetime) -> None:
    await run(
        bot,
        lambda s: reminders.schedule_reminder(
            s, owner_id=owner_id, kind=ReminderKind.FOLLOW_UP, due_at=due, contact_id=contact_id
        ),
    )


async def move(bot: Prospekt, owner_id: int, contact_id: int, stage: Stage, at: datetime) -> None:
    await run(
        bot,
        lambda s: stages.move_to_stage(
            s, owner_id=owner_id, contact_id=contact_id, stage=stage, changed_at=at
        ),
    )


async def contact(bot: Prospekt, owner_id: int, contact_id: int) -> Contact | None:
    return await run(
        bot, lambda s: contacts.get_contact(s, owner_id=owner_id, contact_id=contact_id)
    )


def alerted(seller: PhoneUser, text: str) -> bool:
    answer = seller.last_callback_answer
    return answer is not None and answer.show_alert and answer.text == text


def said(replies: list[BotMessage]) -> BotMessage:
    """The bot's one new message, or else the edit of the pressed message."""
    new = [message for message in replies if not message.edited]
    assert len(new) <= 1, replies
    assert replies, "the bot said nothing"
    return new[0] if new else replies[0]


def everything(bot: Prospekt) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a seller's data lives in, to show nothing changed."""
    tables = ["contact", "interaction", "concern", "reminder", "stage_change", "undo_item"]
    return {table: bot.rows(f"SELECT * FROM {table} ORDER BY id") for table in tables}  # noqa: S608


async def backdate_stage(bot: Prospekt, contact_id: int, when: datetime) -> None:
    """Pretend the contact entered its stage at `when` (its whole stage history moves)."""
    await run(
        bot,
        lambda s: s.execute(
            update(StageChange).where(StageChange.contact_id == contact_id).values(changed_at=when)
        ),
    )


async def expire_undo(bot: Prospekt, when: datetime) -> None:
    await run(bot, lambda s: s.execute(update(UndoItem).values(expires_at=when)))
