"""The contact book's reads: list counts, list pages in a useful order, and the card's data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules.counting import BookCounts, Group, count_book
from storage.models import Seller
from storage.queries.book import BookFilter, contact_card, list_page
from storage.queries.contacts import create_contact
from storage.queries.pipeline import book_groups
from storage.vocabulary import (
    ConcernStatus,
    InteractionKind,
    Outcome,
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


async def _names(
    session: AsyncSession, seller: Seller, book_filter: BookFilter, limit: int = 50, offset: int = 0
) -> list[str]:
    rows = await list_page(
        session, owner_id=seller.id, book_filter=book_filter, limit=limit, offset=offset
    )
    return [row.name for row in rows]


async def test_counts_per_list_keep_do_not_contact_people_apart(session: AsyncSession) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    for stage, outcome, dnc in [
        (Stage.LEAD, None, False),
        (Stage.LEAD, None, True),
        (Stage.PROSPECT, None, False),
        (Stage.PROSPECT, Outcome.NOT_READY, False),
        (Stage.PROSPECT, Outcome.NOT_READY, True),
        (Stage.CUSTOMER, None, False),
        (Stage.REPEAT, Outcome.BOUGHT, False),
    ]:
        await make_contact(session, owner=seller, stage=stage, outcome=outcome, do_not_contact=dnc)
    await make_contact(session, owner=other, stage=Stage.LEAD)

    counts = count_book(Group(*g) for g in await book_groups(session, owner_id=seller.id))
    listed = {
        f: len(await list_page(session, owner_id=seller.id, book_filter=f, limit=50, offset=0))
        for f in BookFilter
    }

    assert counts == BookCounts(
        {Stage.LEAD: 1, Stage.PROSPECT: 2, Stage.CUSTOMER: 1, Stage.REPEAT: 1},
        not_ready=1,
        do_not_contact=2,
    )
    assert counts.total == 7
    assert listed == {
        BookFilter.LEADS: 1,
        BookFilter.PROSPECTS: 2,
        BookFilter.CUSTOMERS: 1,
        BookFilter.REPEAT: 1,
        BookFilter.NOT_READY: 1,
        BookFilter.DO_NOT_CONTACT: 2,
        BookFilter.ALL: 7,
    }, "each list holds exactly what its count says"


async def test_counts_of_a_seller_without_contacts_are_zero(session: AsyncSession) -> None:
    seller = await make_seller(session)

    counts = count_book(Group(*g) for g in await book_groups(session, owner_id=seller.id))

    assert (counts.total, counts.active, counts.not_ready, counts.do_not_contact) == (0, 0, 0, 0)


async def test_directories_sort_by_name_as_typed_without_norwegian_letters(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    for name in ["Ørjan", "bjørn", "Åse", "Anne", "Ola"]:
        await create_contact(session, owner_id=seller.id, name=name)

    assert await _names(session, seller, BookFilter.ALL) == ["Anne", "Åse", "bjørn", "Ola", "Ørjan"]


async def test_work_lists_put_the_soonest_follow_up_first_then_who_waited_longest(
    session: AsyncSession,
) -> None:
    seller, other = await make_seller(session), await make_seller(session)

    async def prospect(name: str, **fields: object) -> int:
        contact = await make_contact(
            session,
            owner=seller,
            name=name,
            search_key=name.lower(),
            stage=Stage.PROSPECT,
            **fields,
        )
        return contact.id

    soon = await prospect("Soon", last_contacted_at=T0)
    later = await prospect("Later")
    await prospect("Never")
    await prospect("Long ago", last_contacted_at=T0 - timedelta(days=60))
    await prospect("Lately", last_contacted_at=T0 - timedelta(days=1))
    done = await prospect("Done follow-up", last_contacted_at=T0 - timedelta(days=30))
    for contact_id, due, status, kind in [
        (soon, T0 + timedelta(days=1), ReminderStatus.PENDING, ReminderKind.FOLLOW_UP),
        (later, T0 + timedelta(days=9), ReminderStatus.PENDING, ReminderKind.FOLLOW_UP),
        (later, T0 + timedelta(days=20), ReminderStatus.PENDING, ReminderKind.FOLLOW_UP),
        (done, T0, ReminderStatus.DONE, ReminderKind.FOLLOW_UP),
        (done, T0, ReminderStatus.PENDING, ReminderKind.BIRTHDAY_CARD),
    ]:
        row = await make_reminder(session, owner=seller, due_at=due, status=status, kind=kind)
        row.contact_id = contact_id
    foreign = await make_contact(session, owner=other, stage=Stage.PROSPECT)
    await make_reminder(session, owner=other, contact=foreign, due_at=T0 - timedelta(days=99))
    await session.flush()

    rows = await list_page(
        session, owner_id=seller.id, book_filter=BookFilter.PROSPECTS, limit=10, offset=0
    )

    assert [row.name for row in rows] == [
        "Soon",
        "Later",
        "Never",
        "Long ago",
        "Done follow-up",
        "Lately",
    ]
    assert [row.follow_up_at for row in rows[:3]] == [
        T0 + timedelta(days=1),
        T0 + timedelta(days=9),
        None,
    ]


async def test_pages_follow_each_other_without_gaps_or_repeats(session: AsyncSession) -> None:
    seller = await make_seller(session)
    for n in range(25):
        await create_contact(session, owner_id=seller.id, name=f"Lead {n:02d}")

    pages = [await _names(session, seller, BookFilter.LEADS, 10, offset) for offset in (0, 10, 20)]

    assert [len(page) for page in pages] == [10, 10, 5]
    assert [name for page in pages for name in page] == [f"Lead {n:02d}" for n in range(25)]
    assert await _names(session, seller, BookFilter.LEADS, 10, 30) == []


async def test_the_card_has_the_stage_date_open_concerns_latest_three_and_next_follow_up(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller, stage=Stage.LEAD, created_at=T0)
    await make_stage_change(session, contact=contact, to_stage=Stage.LEAD, changed_at=T0)
    await make_stage_change(
        session, contact=contact, to_stage=Stage.PROSPECT, changed_at=T0 + timedelta(days=1)
    )
    back_to_lead = T0 + timedelta(days=2)
    await make_stage_change(session, contact=contact, to_stage=Stage.LEAD, changed_at=back_to_lead)
    for day, kind in enumerate(InteractionKind):
        await make_interaction(
            session, contact=contact, kind=kind, occurred_at=T0 + timedelta(days=day)
        )
    await make_concern(session, contact=contact, text="Answered", status=ConcernStatus.RESOLVED)
    await make_concern(session, contact=contact, text="First", created_at=T0)
    await make_concern(session, contact=contact, text="Second", created_at=T0 + timedelta(hours=1))
    soonest = T0 + timedelta(days=3)
    for due, status in [
        (T0 + timedelta(days=1), ReminderStatus.CANCELLED),
        (T0 + timedelta(days=5), ReminderStatus.PENDING),
        (soonest, ReminderStatus.PENDING),
    ]:
        await make_reminder(session, owner=seller, contact=contact, due_at=due, status=status)

    card = await contact_card(session, owner_id=seller.id, contact_id=contact.id)

    assert card is not None
    assert card.contact.id == contact.id
    assert card.in_stage_since == back_to_lead
    assert [c.text for c in card.concerns] == ["First", "Second"]
    assert [i.kind for i in card.recent] == [
        InteractionKind.NOTE,
        InteractionKind.MESSAGE,
        InteractionKind.CALL,
    ]
    assert card.follow_up is not None
    assert card.follow_up.due_at == soonest


async def test_the_card_without_stage_history_counts_from_creation(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller, created_at=T0)

    card = await contact_card(session, owner_id=seller.id, contact_id=contact.id)

    assert card is not None
    assert (card.in_stage_since, card.recent, card.concerns, card.follow_up) == (
        T0,
        [],
        [],
        None,
    )


async def test_the_card_shows_the_follow_up_even_when_a_birthday_reminder_comes_first(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    follow_up_at = T0 + timedelta(days=10)
    await make_reminder(
        session, owner=seller, contact=contact, kind=ReminderKind.BIRTHDAY_CARD, due_at=T0
    )
    await make_reminder(session, owner=seller, contact=contact, due_at=follow_up_at)

    card = await contact_card(session, owner_id=seller.id, contact_id=contact.id)

    assert card is not None and card.follow_up is not None
    assert (card.follow_up.kind, card.follow_up.due_at) == (ReminderKind.FOLLOW_UP, follow_up_at)
