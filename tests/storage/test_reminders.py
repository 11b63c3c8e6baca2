"""Reminder queries: scheduling, listing, cancelling, and the dispatcher's claim cycle."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.reminders import (
    cancel_for_contact,
    claim_due,
    mark_done,
    mark_failed,
    mark_sent,
    next_for_owner,
    pending_for_contact,
    reschedule,
    schedule_reminder,
)
from storage.vocabulary import ReminderKind, ReminderStatus
from tests.storage.factories import T0, make_contact, make_reminder, make_seller

HOUR = timedelta(hours=1)


async def test_scheduled_reminders_are_pending_soonest_first(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    for hours in (3, 1, 2):
        await schedule_reminder(
            session,
            owner_id=seller.id,
            contact_id=contact.id,
            kind=ReminderKind.FOLLOW_UP,
            due_at=T0 + hours * HOUR,
        )

    pending = await pending_for_contact(session, owner_id=seller.id, contact_id=contact.id)

    assert [r.due_at for r in pending] == [T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]
    assert all(r.status is ReminderStatus.PENDING and r.attempts == 0 for r in pending)


async def test_next_for_owner_lists_only_pending_reminders_up_to_the_limit(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    await make_reminder(session, owner=seller, due_at=T0, status=ReminderStatus.SENT)
    digest = await make_reminder(session, owner=seller, due_at=T0 + HOUR, kind=ReminderKind.DIGEST)
    later = await make_reminder(session, owner=seller, due_at=T0 + 2 * HOUR)
    await make_reminder(session, owner=seller, due_at=T0 + 3 * HOUR)

    upcoming = await next_for_owner(session, owner_id=seller.id, limit=2)

    assert [r.id for r in upcoming] == [digest.id, later.id]


async def test_cancelling_affects_only_the_contacts_pending_reminders_of_the_given_kinds(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact, other = (
        await make_contact(session, owner=seller),
        await make_contact(session, owner=seller),
    )
    card = await make_reminder(
        session, owner=seller, contact=contact, kind=ReminderKind.BIRTHDAY_CARD
    )
    follow = await make_reminder(session, owner=seller, contact=contact)
    sent = await make_reminder(session, owner=seller, contact=contact, status=ReminderStatus.SENT)
    others = await make_reminder(session, owner=seller, contact=other)

    birthday_kinds = [ReminderKind.BIRTHDAY_CARD, ReminderKind.BIRTHDAY]
    assert (
        await cancel_for_contact(
            session, owner_id=seller.id, contact_id=contact.id, kinds=birthday_kinds
        )
        == 1
    )
    assert await cancel_for_contact(session, owner_id=seller.id, contact_id=contact.id) == 1

    statuses = [r.status for r in (card, follow, sent, others)]
    assert statuses == [
        ReminderStatus.CANCELLED,
        ReminderStatus.CANCELLED,
        ReminderStatus.SENT,
        ReminderStatus.PENDING,
    ]


async def test_claiming_takes_due_pending_reminders_soonest_first_once(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    second = await make_reminder(session, owner=seller, due_at=T0 - HOUR)
    first = await make_reminder(session, owner=seller, due_at=T0 - 2 * HOUR)
    third = await make_reminder(session, owner=seller, due_at=T0)
    await make_reminder(session, owner=seller, due_at=T0 + timedelta(seconds=1))
    await make_reminder(session, owner=seller, due_at=T0 - HOUR, status=ReminderStatus.CANCELLED)

    claimed = await claim_due(session, now=T0, limit=2)
    rest = await claim_due(session, now=T0, limit=10)
    none_left = await claim_due(session, now=T0, limit=10)

    assert [r.id for r in claimed] == [first.id, second.id]
    assert [r.id for r in rest] == [third.id]
    assert none_left == []
    assert all(r.status is ReminderStatus.SENDING and r.attempts == 1 for r in claimed + rest)


async def test_a_sent_reminder_records_the_message_and_time(session: AsyncSession) -> None:
    seller = await make_seller(session)
    reminder = await make_reminder(session, owner=seller, due_at=T0)
    await claim_due(session, now=T0)

    assert await mark_sent(session, reminder_id=reminder.id, sent_at=T0 + HOUR, message_id=77)

    assert (reminder.status, reminder.sent_at, reminder.sent_message_id) == (
        ReminderStatus.SENT,
        T0 + HOUR,
        77,
    )
    assert not await mark_sent(session, reminder_id=reminder.id + 1000, sent_at=T0)


async def test_a_failed_send_is_retried_later_or_given_up(session: AsyncSession) -> None:
    seller = await make_seller(session)
    retried = await make_reminder(session, owner=seller, due_at=T0)
    given_up = await make_reminder(session, owner=seller, due_at=T0)
    await claim_due(session, now=T0)

    await mark_failed(session, reminder_id=retried.id, error="timeout", retry_at=T0 + HOUR)
    await mark_failed(session, reminder_id=given_up.id, error="blocked by user " * 30)

    assert (retried.status, retried.due_at, retried.last_error) == (
        ReminderStatus.PENDING,
        T0 + HOUR,
        "timeout",
    )
    assert given_up.status is ReminderStatus.FAILED
    assert given_up.last_error is not None and len(given_up.last_error) == 255
    assert [r.id for r in await claim_due(session, now=T0 + HOUR)] == [retried.id]
    assert retried.attempts == 2


async def test_snoozing_makes_a_reminder_pending_again_and_done_ends_it(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    reminder = await make_reminder(session, owner=seller, due_at=T0, status=ReminderStatus.SENT)

    snoozed = await reschedule(
        session, owner_id=seller.id, reminder_id=reminder.id, due_at=T0 + timedelta(days=1)
    )
    assert snoozed is not None
    assert (snoozed.status, snoozed.due_at) == (ReminderStatus.PENDING, T0 + timedelta(days=1))

    done = await mark_done(session, owner_id=seller.id, reminder_id=reminder.id)
    assert done is not None and done.status is ReminderStatus.DONE
    assert await next_for_owner(session, owner_id=seller.id) == []
