"""Every row a test seeds comes from here: one way to make each kind of row.

Seeding used to live in a module per test folder or feature, each with its own way to open
the bot's database and its own copy of "a seller", "a contact with a follow-up"; a change to
the schema or to a query's signature had to be made in all of them. Three families:

- `make_*(session, ...)`: rows built straight from the models, with defaults, in the test's
  session. For tests of a storage query, so the rows it reads do not come from the query
  under test.
- Rows written through the bot's own query functions (search keys and stage history kept as
  the bot keeps them), on the running bot's SQLite file (`Prospekt.db_path`). `seed_*` work
  in an open transaction (`database(bot)`); the others take the bot and commit one
  transaction per call.
- `add_sellers`, `add_reminders`: many rows at once through Core inserts, for the
  dispatcher's tests and benchmarks.

Times: `T0` is a fixed "now" for tests that do not read the clock; `now`, `oslo_today` and
`oslo_time` are for tests of the running bot, which does.

Nothing here imports the bot (`Prospekt` only for type checking): the storage tests that
use it run even while the bot package is broken.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Sessions, create_engine, make_sessions
from storage.models import (
    Concern,
    Contact,
    ConversationState,
    Interaction,
    Reminder,
    Sale,
    Seller,
    StageChange,
    UndoItem,
)
from storage.queries import concerns as concern_queries
from storage.queries import contacts, interactions, reminders, sellers, stages
from storage.vocabulary import InteractionKind, ReminderKind, ReminderStatus, Stage

if TYPE_CHECKING:
    from tests.e2e.harness import Prospekt
    from tests.fakeapi import FakeTelegramServer

T = TypeVar("T")

# --- times --------------------------------------------------------------------------------

T0 = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)
"""A fixed "now" for tests: no test depends on the wall clock. 13:00 in Oslo, outside the
default quiet hours (21-08)."""
DAY = timedelta(days=1)
OSLO = ZoneInfo("Europe/Oslo")  # a new seller's zone in the tests' settings


def now() -> datetime:
    """The wall clock in UTC, for rows the running bot (which reads it) will judge."""
    return datetime.now(UTC)


def oslo_today() -> date:
    """Today's date in Oslo, the tests' sellers' zone."""
    return now().astimezone(OSLO).date()


def oslo_time(day: date, hour: int, minute: int = 0) -> datetime:
    """`hour`:`minute` in Oslo on `day`, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO).astimezone(UTC)


def oslo_days_ago(days: int) -> datetime:
    """Noon in Oslo `days` calendar days ago: n times 24 h back can be a day less across a
    clock change, and the bot counts days as the seller lives them."""
    return oslo_time(oslo_today() - timedelta(days=days), 12)


# --- rows from the models, for tests of storage queries --------------------------------------

_seller_ids = itertools.count(1_000_001)
_names = itertools.count(1)


async def _saved(session: AsyncSession, row: Any) -> Any:
    session.add(row)
    await session.flush()
    return row


async def make_seller(session: AsyncSession, **fields: Any) -> Seller:
    """A seller with a fresh id, English, in Oslo, unless `fields` say otherwise."""
    fields.setdefault("id", next(_seller_ids))
    fields.setdefault("language", "en")
    fields.setdefault("timezone", "Europe/Oslo")
    seller: Seller = await _saved(session, Seller(**fields))
    return seller


async def make_contact(session: AsyncSession, *, owner: Seller, **fields: Any) -> Contact:
    """A contact of `owner` with a numbered name; no stage history, no search key."""
    fields.setdefault("name", f"Contact {next(_names)}")
    contact: Contact = await _saved(session, Contact(owner_id=owner.id, **fields))
    return contact


async def make_interaction(
    session: AsyncSession, *, contact: Contact, **fields: Any
) -> Interaction:
    """A meeting with `contact` at `T0`."""
    fields.setdefault("kind", InteractionKind.MEETING)
    fields.setdefault("occurred_at", T0)
    row = Interaction(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    interaction: Interaction = await _saved(session, row)
    return interaction


async def make_concern(session: AsyncSession, *, contact: Contact, **fields: Any) -> Concern:
    """An open concern of `contact`, raised at `T0`."""
    fields.setdefault("text", "Is it too expensive?")
    fields.setdefault("created_at", T0)
    concern: Concern = await _saved(
        session, Concern(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    )
    return concern


async def make_stage_change(
    session: AsyncSession, *, contact: Contact, **fields: Any
) -> StageChange:
    """A move of `contact` into its current stage at `T0`."""
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
    """A pending follow-up of `owner` (about `contact`, if given) due at `T0`."""
    fields.setdefault("kind", ReminderKind.FOLLOW_UP)
    fields.setdefault("due_at", T0)
    fields.setdefault("status", ReminderStatus.PENDING)
    row = Reminder(owner_id=owner.id, contact_id=contact.id if contact else None, **fields)
    reminder: Reminder = await _saved(session, row)
    return reminder


async def make_sale(session: AsyncSession, *, contact: Contact, **fields: Any) -> Sale:
    """A sale of 10 000 NOK to `contact` at `T0`."""
    fields.setdefault("amount", Decimal("10000.00"))
    fields.setdefault("currency", "NOK")
    fields.setdefault("sold_at", T0)
    row = Sale(owner_id=contact.owner_id, contact_id=contact.id, **fields)
    sale: Sale = await _saved(session, row)
    return sale


async def make_conversation_state(
    session: AsyncSession, *, owner: Seller, **fields: Any
) -> ConversationState:
    """`owner` at the first step of /meet, with nothing typed yet."""
    fields.setdefault("flow", "meet")
    fields.setdefault("step", "name")
    state: ConversationState = await _saved(
        session, ConversationState(seller_id=owner.id, **fields)
    )
    return state


async def make_undo_item(session: AsyncSession, *, owner: Seller, **fields: Any) -> UndoItem:
    """A deleted contact `owner` may take back for a day after `T0` (its rows in `payload`)."""
    fields.setdefault("kind", "contact")
    fields.setdefault("payload", {})
    fields.setdefault("created_at", T0)
    fields.setdefault("expires_at", T0 + DAY)
    item: UndoItem = await _saved(session, UndoItem(owner_id=owner.id, **fields))
    return item


# --- rows through the bot's queries, on the running bot's database file -----------------------


@asynccontextmanager
async def database(bot: Prospekt) -> AsyncIterator[AsyncSession]:
    """A transaction on the bot's database, committed at the end."""
    engine = create_engine(bot.settings.database_url)
    try:
        async with make_sessions(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()


async def run(bot: Prospekt, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` in a transaction of its own on the bot's database; what it returned."""
    async with database(bot) as session:
        return await work(session)


async def seed_seller(session: AsyncSession, seller_id: int, language: str) -> None:
    """The seller row as the bot creates it on the first message (nothing if it exists)."""
    await sellers.get_or_create_seller(
        session, seller_id=seller_id, language=language, timezone="Europe/Oslo"
    )


async def seed_contact(
    session: AsyncSession,
    owner_id: int,
    name: str,
    *,
    path: Sequence[Stage] = (Stage.LEAD,),
    created: datetime | None = None,
    last_contact: datetime | None = None,
    notes: Sequence[tuple[str, datetime]] = (),
    concerns: Sequence[str] = (),
    follow_up: datetime | None = None,
    exact: bool = False,
    **fields: Any,
) -> int:
    """A contact of `owner_id` and its history; its id.

    Created in `path[0]` (at `created`, else now) and moved along the rest of `path`; a
    meeting at `last_contact`; notes as (text, when); open concerns; a pending follow-up due
    at `follow_up` (at that exact time when `exact`). `fields` are the contact's columns.
    """
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
    for text, at in notes:
        await interactions.add_interaction(
            session,
            owner_id=owner_id,
            contact_id=made.id,
            kind=InteractionKind.NOTE,
            text=text,
            occurred_at=at,
        )
    for text in concerns:
        await concern_queries.add_concern(session, owner_id=owner_id, contact_id=made.id, text=text)
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


@dataclass
class Person:
    """A contact for `add_people`: its columns, stage, notes (text, when), open concerns and
    a follow-up."""

    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, datetime]] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    follow_up: datetime | None = None
    stage: Stage = Stage.LEAD


async def add_people(
    bot: Prospekt, seller_id: int, language: str, *people: Person
) -> dict[str, int]:
    """The seller (created if new, in `language`) and their contacts; name -> contact id."""
    ids: dict[str, int] = {}
    async with database(bot) as session:
        await seed_seller(session, seller_id, language)
        for person in people:
            ids[person.name] = await seed_contact(
                session,
                seller_id,
                person.name,
                path=(person.stage,),
                notes=person.notes,
                concerns=person.concerns,
                follow_up=person.follow_up,
                **person.fields,
            )
    return ids


async def add_contacts(
    bot: Prospekt, owner_id: int, names: Sequence[str], stage: Stage = Stage.LEAD, **fields: Any
) -> list[int]:
    """Contacts of `owner_id` (who must have written to the bot once) in `stage`; their ids.

    `fields`: their columns, or `seed_contact`'s history options, the same for each.
    """

    async def create(session: AsyncSession) -> list[int]:
        return [
            await seed_contact(session, owner_id, name, path=(stage,), **fields) for name in names
        ]

    return await run(bot, create)


async def add_contact(bot: Prospekt, owner_id: int, name: str, **fields: Any) -> int:
    """One contact, as `add_contacts` makes them; its id."""
    [contact_id] = await add_contacts(bot, owner_id, [name], **fields)
    return contact_id


async def add_interaction(
    bot: Prospekt,
    owner_id: int,
    contact_id: int,
    kind: InteractionKind,
    text: str | None,
    at: datetime,
) -> None:
    """A meeting, call or note with the contact at `at`."""
    await run(
        bot,
        lambda s: interactions.add_interaction(
            s, owner_id=owner_id, contact_id=contact_id, kind=kind, text=text, occurred_at=at
        ),
    )


async def add_concern(bot: Prospekt, owner_id: int, contact_id: int, text: str) -> int:
    """An open concern of the contact; its id."""

    async def create(session: AsyncSession) -> int:
        concern = await concern_queries.add_concern(
            session, owner_id=owner_id, contact_id=contact_id, text=text
        )
        assert concern is not None
        return concern.id

    return await run(bot, create)


async def schedule_reminder(
    bot: Prospekt,
    owner_id: int,
    contact_id: int,
    due: datetime,
    *,
    kind: ReminderKind = ReminderKind.FOLLOW_UP,
    exact: bool = False,
) -> None:
    """A pending reminder about the contact (a follow-up unless `kind`) due at `due`."""
    await run(
        bot,
        lambda s: reminders.schedule_reminder(
            s,
            owner_id=owner_id,
            kind=kind,
            due_at=due,
            contact_id=contact_id,
            exact_time=exact,
        ),
    )


async def move_stage(
    bot: Prospekt, owner_id: int, contact_id: int, stage: Stage, at: datetime
) -> None:
    """Move the contact to `stage` at `at`, recorded in its stage history."""
    await run(
        bot,
        lambda s: stages.move_to_stage(
            s, owner_id=owner_id, contact_id=contact_id, stage=stage, changed_at=at
        ),
    )


async def backdate_stage(bot: Prospekt, contact_id: int, when: datetime) -> None:
    """Pretend the contact entered its stage at `when` (its whole stage history moves)."""
    await run(
        bot,
        lambda s: s.execute(
            update(StageChange).where(StageChange.contact_id == contact_id).values(changed_at=when)
        ),
    )


async def expire_undo(bot: Prospekt, when: datetime) -> None:
    """Make every undo item expire at `when`."""
    await run(bot, lambda s: s.execute(update(UndoItem).values(expires_at=when)))


# --- many rows at once, for the dispatcher ---------------------------------------------------


async def add_sellers(
    sessions: Sessions,
    server: FakeTelegramServer,
    seller_ids: Collection[int],
    **fields: Any,
) -> None:
    """Sellers (each a chat on the fake Telegram) with the bot's defaults."""
    rows = [
        {
            "id": seller_id,
            "language": "en",
            "timezone": "Europe/Oslo",
            "timezone_confirmed": True,
            **fields,
        }
        for seller_id in seller_ids
    ]
    async with sessions.begin() as session:
        await session.execute(insert(Seller), rows)
    for seller_id in seller_ids:
        server.user(seller_id, language_code="en")


async def add_reminders(
    sessions: Sessions, owners: Sequence[int], due_at: datetime, **fields: Any
) -> list[int]:
    """One pending reminder per entry of `owners` (repeat an owner for several); their ids."""
    rows = [_reminder_row(owner, due_at, fields) for owner in owners]
    async with sessions.begin() as session:
        ids = list(await session.scalars(insert(Reminder).returning(Reminder.id), rows))
    return ids


async def add_follow_ups(
    sessions: Sessions, owners: Sequence[int], due_at: datetime, **fields: Any
) -> dict[str, int]:
    """Per entry of `owners` a contact of its own (named `Kunde <n>`, at Fjord AS) and a
    pending follow-up about it: what the real `compose` sends a nudge for. Reminder ids by
    contact name (the name is in the nudge's text)."""
    contact_rows = [
        {"owner_id": owner, "name": f"Kunde {number}", "company": "Fjord AS"}
        for number, owner in enumerate(owners, start=1)
    ]
    async with sessions.begin() as session:
        contact_ids = await session.scalars(
            insert(Contact).returning(Contact.id, sort_by_parameter_order=True), contact_rows
        )
        rows = [
            _reminder_row(owner, due_at, {"contact_id": contact_id, **fields})
            for owner, contact_id in zip(owners, contact_ids, strict=True)
        ]
        ids = await session.scalars(
            insert(Reminder).returning(Reminder.id, sort_by_parameter_order=True), rows
        )
        return {
            str(contact["name"]): reminder_id
            for contact, reminder_id in zip(contact_rows, ids, strict=True)
        }


def _reminder_row(owner: int, due_at: datetime, fields: dict[str, Any]) -> dict[str, Any]:
    """A pending follow-up due at `due_at`, unless `fields` say otherwise."""
    return {
        "owner_id": owner,
        "kind": ReminderKind.FOLLOW_UP,
        "due_at": due_at,
        "status": ReminderStatus.PENDING,
        "exact_time": False,
        "attempts": 0,
        "created_at": due_at - timedelta(days=1),
        **fields,
    }
