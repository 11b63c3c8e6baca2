"""A seller's contact book written straight into the running bot's database, for search tests.

Through the real query functions (so search keys are kept as the bot keeps them), on the
bot's own SQLite file, in one transaction per call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import create_engine, make_sessions
from storage.queries import concerns, contacts, interactions, reminders, sellers
from storage.vocabulary import InteractionKind, ReminderKind
from tests.e2e.harness import Prospekt


@dataclass
class Person:
    """A contact to add, with notes (text, when), open concerns and a follow-up."""

    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, datetime]] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    follow_up: datetime | None = None


async def add_people(
    bot: Prospekt, seller_id: int, language: str, *people: Person
) -> dict[str, int]:
    """The seller (created if new, in `language`) and their contacts; name -> contact id."""
    engine = create_engine(f"sqlite+aiosqlite:///{bot.db_path}")
    ids: dict[str, int] = {}
    try:
        async with make_sessions(engine).begin() as session:
            await sellers.get_or_create_seller(
                session, seller_id=seller_id, language=language, timezone="Europe/Oslo"
            )
            for person in people:
                contact = await contacts.create_contact(
                    session, owner_id=seller_id, name=person.name, **person.fields
                )
                ids[person.name] = contact.id
                for text, at in person.notes:
                    await interactions.add_interaction(
                        session,
                        owner_id=seller_id,
                        contact_id=contact.id,
                        kind=InteractionKind.NOTE,
                        text=text,
                        occurred_at=at,
                    )
                for text in person.concerns:
                    await concerns.add_concern(
                        session, owner_id=seller_id, contact_id=contact.id, text=text
                    )
                if person.follow_up is not None:
                    await reminders.schedule_reminder(
                        session,
                        owner_id=seller_id,
                        kind=ReminderKind.FOLLOW_UP,
                        due_at=person.follow_up,
                        contact_id=contact.id,
                    )
    finally:
        await engine.dispose()
    return ids


async def remove(bot: Prospekt, seller_id: int, contact_id: int) -> None:
    """Delete a contact as the card's Delete does, cascades included."""
    engine = create_engine(f"sqlite+aiosqlite:///{bot.db_path}")
    try:
        async with make_sessions(engine).begin() as session:
            await contacts.delete_contact(session, owner_id=seller_id, contact_id=contact_id)
    finally:
        await engine.dispose()
