"""No query lets one seller see or change another seller's data: a foreign id finds nothing."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Concern, Contact, Interaction, Reminder, StageChange
from storage.queries import (
    book,
    concerns,
    contacts,
    exports,
    interactions,
    pipeline,
    reminders,
    sales,
    search,
    stages,
    today,
    undo,
)
from storage.queries.book import BookFilter
from storage.queries.pipeline import Page, Reach
from storage.queries.undo import Undone, UndoStatus
from storage.vocabulary import (
    Answer,
    ConcernStatus,
    InteractionKind,
    ReminderKind,
    ReminderStatus,
    Stage,
)
from tests.factories import (
    T0,
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_seller,
    make_stage_change,
)


@dataclass
class World:
    """Seller A's data, and seller B, who must not reach it."""

    a: int
    b: int
    contact: int
    concern: int
    reminder: int
    interaction: int


Call = Callable[[AsyncSession, World], Awaitable[Any]]

KARI_TELEGRAM_ID = 5_550_001


async def _all(lines: AsyncIterator[Any]) -> list[Any]:
    return [line async for line in lines]


# Every owner-scoped query, called by B with A's ids, and what "nothing" looks like for it.
CALLS: dict[str, tuple[Call, Any]] = {
    "contact_lines": (lambda s, w: _all(exports.contact_lines(s, owner_id=w.b)), []),
    "interaction_lines": (lambda s, w: _all(exports.interaction_lines(s, owner_id=w.b)), []),
    "follow_up_lines": (lambda s, w: exports.follow_up_lines(s, owner_id=w.b), []),
    "birthday_lines": (lambda s, w: exports.birthday_lines(s, owner_id=w.b), []),
    "get_contact": (lambda s, w: contacts.get_contact(s, owner_id=w.b, contact_id=w.contact), None),
    "update_contact": (
        lambda s, w: contacts.update_contact(s, owner_id=w.b, contact_id=w.contact, name="Hacked"),
        None,
    ),
    "delete_contact": (
        lambda s, w: contacts.delete_contact(s, owner_id=w.b, contact_id=w.contact),
        False,
    ),
    "list_contacts": (lambda s, w: contacts.list_contacts(s, owner_id=w.b), []),
    "count_contacts": (lambda s, w: contacts.count_contacts(s, owner_id=w.b), 0),
    "find_similar_by_name": (
        lambda s, w: contacts.find_similar_by_name(s, owner_id=w.b, name="Kari"),
        [],
    ),
    "same_person": (
        lambda s, w: contacts.same_person(
            s,
            owner_id=w.b,
            telegram_user_id=KARI_TELEGRAM_ID,
            phones=["+4791234567"],
            emails=["kari@example.no"],
        ),
        [],
    ),
    "add_interaction": (
        lambda s, w: interactions.add_interaction(
            s, owner_id=w.b, contact_id=w.contact, kind=InteractionKind.CALL, occurred_at=T0
        ),
        None,
    ),
    "recent_interactions": (
        lambda s, w: interactions.recent_interactions(s, owner_id=w.b, contact_id=w.contact),
        [],
    ),
    "notes_for": (
        lambda s, w: interactions.notes_for(s, owner_id=w.b, contact_id=w.contact),
        [],
    ),
    "delete_note": (
        lambda s, w: interactions.delete_note(
            s, owner_id=w.b, contact_id=w.contact, interaction_id=w.interaction
        ),
        None,
    ),
    "add_concern": (
        lambda s, w: concerns.add_concern(s, owner_id=w.b, contact_id=w.contact, text="?"),
        None,
    ),
    "open_concerns": (lambda s, w: concerns.open_concerns(s, owner_id=w.b), []),
    "open_concerns(contact)": (
        lambda s, w: concerns.open_concerns(s, owner_id=w.b, contact_id=w.contact),
        [],
    ),
    "resolve_concern": (
        lambda s, w: concerns.resolve_concern(s, owner_id=w.b, concern_id=w.concern),
        None,
    ),
    "move_to_stage": (
        lambda s, w: stages.move_to_stage(
            s, owner_id=w.b, contact_id=w.contact, stage=Stage.CUSTOMER
        ),
        None,
    ),
    "stage_history": (
        lambda s, w: stages.stage_history(s, owner_id=w.b, contact_id=w.contact),
        [],
    ),
    "schedule_reminder": (
        lambda s, w: reminders.schedule_reminder(
            s, owner_id=w.b, kind=ReminderKind.FOLLOW_UP, due_at=T0, contact_id=w.contact
        ),
        None,
    ),
    "get_reminder": (
        lambda s, w: reminders.get_reminder(s, owner_id=w.b, reminder_id=w.reminder),
        None,
    ),
    "pending_for_contact": (
        lambda s, w: reminders.pending_for_contact(s, owner_id=w.b, contact_id=w.contact),
        [],
    ),
    "next_for_owner": (lambda s, w: reminders.next_for_owner(s, owner_id=w.b), []),
    "cancel_for_contact": (
        lambda s, w: reminders.cancel_for_contact(s, owner_id=w.b, contact_id=w.contact),
        0,
    ),
    "reschedule": (
        lambda s, w: reminders.reschedule(
            s, owner_id=w.b, reminder_id=w.reminder, due_at=T0 + timedelta(days=9)
        ),
        None,
    ),
    "mark_done": (lambda s, w: reminders.mark_done(s, owner_id=w.b, reminder_id=w.reminder), None),
    "search_keys": (lambda s, w: search.search_keys(s, owner_id=w.b), []),
    "contacts_with_notes_containing": (
        lambda s, w: search.contacts_with_notes_containing(s, owner_id=w.b, text="demo"),
        [],
    ),
    "contacts_with_concerns_containing": (
        lambda s, w: search.contacts_with_concerns_containing(s, owner_id=w.b, text="expensive"),
        [],
    ),
    "book_groups": (lambda s, w: pipeline.book_groups(s, owner_id=w.b), []),
    "funnel_reach": (lambda s, w: pipeline.funnel_reach(s, owner_id=w.b), Reach(0, 0, 0, 0)),
    "record_sale": (
        lambda s, w: sales.record_sale(
            s, owner_id=w.b, contact_id=w.contact, amount=Decimal(1), currency="NOK", sold_at=T0
        ),
        None,
    ),
    "won_since": (lambda s, w: sales.won_since(s, owner_id=w.b, since=T0), {}),
    "quiet_contacts": (
        lambda s, w: pipeline.quiet_contacts(s, owner_id=w.b, before=dict.fromkeys(Stage)),
        Page([], 0),
    ),
    "due_follow_ups": (
        lambda s, w: today.due_follow_ups(s, owner_id=w.b, before=T0 + timedelta(days=365)),
        Page([], 0),
    ),
    "birthdays_on": (lambda s, w: today.birthdays_on(s, owner_id=w.b, days={(3, 14)}), []),
    "leads_one_answer_away": (
        lambda s, w: today.leads_one_answer_away(s, owner_id=w.b, due_before=T0),
        Page([], 0),
    ),
    "list_page": (
        lambda s, w: book.list_page(
            s, owner_id=w.b, book_filter=BookFilter.ALL, limit=10, offset=0
        ),
        [],
    ),
    "contact_card": (
        lambda s, w: book.contact_card(s, owner_id=w.b, contact_id=w.contact),
        None,
    ),
    "delete_with_undo": (
        lambda s, w: undo.delete_with_undo(
            s, owner_id=w.b, contact_id=w.contact, now=T0, keep_for=timedelta(minutes=10)
        ),
        None,
    ),
    "undo_delete": (
        lambda s, w: undo.undo_delete(s, owner_id=w.b, undo_id=1, now=T0),
        Undone(UndoStatus.MISSING),
    ),
}


@pytest.fixture
async def world(session: AsyncSession) -> World:
    a, b = await make_seller(session), await make_seller(session)
    # Two Yes and a birthday on 14 March: the pipeline's and /today's reads would list her.
    contact = await make_contact(
        session,
        owner=a,
        name="Kari Nordmann",
        market_fit=Answer.YES,
        budget=Answer.YES,
        birth_day=14,
        birth_month=3,
        phone="+4791234567",
        email="kari@example.no",
        telegram_user_id=KARI_TELEGRAM_ID,
    )
    interaction = await make_interaction(
        session, contact=contact, text="Wants a demo", search_text="wants a demo"
    )
    await make_stage_change(session, contact=contact, to_stage=Stage.LEAD)
    concern = await make_concern(session, contact=contact)
    reminder = await make_reminder(session, owner=a, contact=contact)
    await session.commit()
    return World(
        a=a.id,
        b=b.id,
        contact=contact.id,
        concern=concern.id,
        reminder=reminder.id,
        interaction=interaction.id,
    )


async def _snapshot(session: AsyncSession, world: World) -> dict[str, Any]:
    """Everything in the database, as plain values, to show B's calls changed nothing."""
    session.expunge_all()
    contact = await session.get_one(Contact, world.contact)
    concern = await session.get_one(Concern, world.concern)
    reminder = await session.get_one(Reminder, world.reminder)
    counts = {
        model.__name__: await session.scalar(select(func.count()).select_from(model))
        for model in (Contact, Interaction, Concern, StageChange, Reminder)
    }
    return {
        "contact": (contact.owner_id, contact.name, contact.stage, contact.last_contacted_at),
        "concern": (concern.status, concern.resolved_at),
        "reminder": (reminder.status, reminder.due_at, reminder.sent_at),
        "counts": counts,
    }


# Takes owner_id but only ever creates rows for that owner: tested on its own below.
CREATES_FOR_CALLER = {"create_contact"}


@pytest.mark.parametrize("query", sorted(CALLS))
async def test_another_sellers_ids_find_nothing_and_change_nothing(
    session: AsyncSession, world: World, query: str
) -> None:
    call, nothing = CALLS[query]
    before = await _snapshot(session, world)

    result = await call(session, world)
    await session.commit()

    assert (list(result) if isinstance(result, list | tuple) else result) == nothing
    assert await _snapshot(session, world) == before
    assert before["contact"][1] == "Kari Nordmann"
    assert before["concern"][0] is ConcernStatus.OPEN
    assert before["reminder"][0] is ReminderStatus.PENDING


async def test_created_contacts_belong_to_the_caller_only(
    session: AsyncSession, world: World
) -> None:
    mine = await contacts.create_contact(session, owner_id=world.b, name="Kari B")

    assert [c.id for c in await contacts.list_contacts(session, owner_id=world.b)] == [mine.id]
    assert [c.id for c in await contacts.list_contacts(session, owner_id=world.a)] == [
        world.contact
    ]


def _public_queries(module: ModuleType) -> set[str]:
    return {
        name
        for name, function in inspect.getmembers(
            module,
            lambda f: inspect.iscoroutinefunction(f) or inspect.isasyncgenfunction(f),
        )
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "owner_id" in inspect.signature(function).parameters
    }


def test_every_owner_scoped_query_is_covered_here() -> None:
    found = set().union(
        *(
            _public_queries(m)
            for m in (
                contacts,
                interactions,
                concerns,
                stages,
                reminders,
                search,
                pipeline,
                today,
                book,
                undo,
                exports,
            )
        )
    )

    assert found <= {name.split("(")[0] for name in CALLS} | CREATES_FOR_CALLER
