"""Reminder queries: scheduling, listing, cancelling, snoozing, and what the dispatcher claims."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries import dispatch
from storage.queries.reminders import (
    cancel_for_contact,
    mark_done,
    next_for_owner,
    pending_for_contact,
    reschedule,
    schedule_reminder,
)
from storage.vocabulary import ReminderKind, ReminderStatus
from tests.factories import T0, make_contact, make_reminder, make_seller

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


async def test_the_dispatcher_claims_only_pending_reminders_that_are_due_soonest_first(
    session: AsyncSession,
) -> None:
    """Cancelled, done, sent, failed or already claimed: never claimed (so never sent) again."""
    seller = await make_seller(session)
    due_now = await make_reminder(session, owner=seller, due_at=T0)
    overdue = await make_reminder(session, owner=seller, due_at=T0 - HOUR)
    await make_reminder(session, owner=seller, due_at=T0 + timedelta(seconds=1))
    for status in ReminderStatus:
        if status is not ReminderStatus.PENDING:
            await make_reminder(session, owner=seller, due_at=T0 - 2 * HOUR, status=status)

    claimed = await dispatch.claim_batch(session, now=T0, limit=10)

    assert [r.id for r in claimed] == [overdue.id, due_now.id]
    assert await dispatch.claim_batch(session, now=T0, limit=10) == []


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
