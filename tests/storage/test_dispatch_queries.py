"""The dispatcher's queries, on SQLite and PostgreSQL: claims skip paused sellers and record
when they were taken; settling touches only rows still held; stale claims come back."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder, Seller
from storage.queries import dispatch as q
from storage.vocabulary import ReminderStatus
from tests.factories import T0, make_reminder, make_seller

PENDING, SENDING, SENT = ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT


async def _row(session: AsyncSession, reminder: Reminder) -> Reminder:
    await session.refresh(reminder)
    return reminder


async def test_a_claim_takes_due_rows_of_active_sellers_only(session: AsyncSession) -> None:
    active = await make_seller(session)
    paused = await make_seller(session, active=False)
    due = await make_reminder(session, owner=active, due_at=T0 - timedelta(hours=1))
    await make_reminder(session, owner=active, due_at=T0 + timedelta(seconds=1))
    await make_reminder(session, owner=paused, due_at=T0 - timedelta(days=1))

    claimed = await q.claim_batch(session, now=T0, limit=10)

    assert [r.id for r in claimed] == [due.id]
    row = await _row(session, due)
    assert (row.status, row.attempts, row.claimed_at) == (SENDING, 1, T0)
    assert await q.claim_batch(session, now=T0, limit=10) == []


async def test_a_claim_brings_every_due_row_of_the_sellers_it_took(
    session: AsyncSession,
) -> None:
    first, second = await make_seller(session), await make_seller(session)
    a1 = await make_reminder(session, owner=first, due_at=T0 - timedelta(hours=3))
    b1 = await make_reminder(session, owner=second, due_at=T0 - timedelta(hours=2))
    a2 = await make_reminder(session, owner=first, due_at=T0 - timedelta(hours=1))

    claimed = await q.claim_batch(session, now=T0, limit=1)

    assert [r.id for r in claimed] == [a1.id, a2.id]  # limit 1, but all of that seller's
    assert [r.id for r in await q.claim_batch(session, now=T0, limit=1)] == [b1.id]


async def test_settling_changes_only_rows_still_held(session: AsyncSession) -> None:
    seller = await make_seller(session)
    held = await make_reminder(session, owner=seller, status=SENDING, attempts=1, claimed_at=T0)
    other = await make_reminder(session, owner=seller, status=PENDING)

    count = await q.mark_delivered(session, ids={held.id, other.id}, message_id=77, sent_at=T0)

    assert count == 1
    row = await _row(session, held)
    assert (row.status, row.sent_message_id, row.sent_at, row.claimed_at) == (SENT, 77, T0, None)
    assert (await _row(session, other)).status == PENDING
    assert await q.release(session, ids={held.id}) == 0  # sent stays sent


async def test_release_makes_a_row_pending_again_without_counting_the_attempt(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    reminder = await make_reminder(session, owner=seller)
    [claimed] = await q.claim_batch(session, now=T0, limit=5)
    later = T0 + timedelta(hours=9)

    assert await q.release(session, ids={claimed.id}, due_at=later) == 1

    row = await _row(session, reminder)
    assert (row.status, row.attempts, row.due_at, row.claimed_at) == (PENDING, 0, later, None)


async def test_retry_later_keeps_the_attempt_and_the_error(session: AsyncSession) -> None:
    seller = await make_seller(session)
    reminder = await make_reminder(session, owner=seller)
    await q.claim_batch(session, now=T0, limit=5)

    await q.retry_later(
        session, ids={reminder.id}, retry_at=T0 + timedelta(seconds=30), error="x" * 999
    )

    row = await _row(session, reminder)
    assert (row.status, row.attempts, row.due_at) == (PENDING, 1, T0 + timedelta(seconds=30))
    assert row.last_error == "x" * 255


async def test_give_up_and_cancel_end_a_claim(session: AsyncSession) -> None:
    seller = await make_seller(session)
    refused = await make_reminder(session, owner=seller)
    unwanted = await make_reminder(session, owner=seller)
    await q.claim_batch(session, now=T0, limit=5)

    await q.give_up(session, ids={refused.id}, error="BadRequest: can't parse entities")
    await q.cancel(session, ids={unwanted.id})

    assert (await _row(session, refused)).status == ReminderStatus.FAILED
    assert (await _row(session, unwanted)).status == ReminderStatus.CANCELLED


async def test_stale_claims_come_back_and_fresh_or_renewed_ones_stay(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    old = T0 - timedelta(minutes=10)
    dead = await make_reminder(session, owner=seller, status=SENDING, claimed_at=old)
    legacy = await make_reminder(session, owner=seller, status=SENDING, claimed_at=None)
    renewed = await make_reminder(session, owner=seller, status=SENDING, claimed_at=old)
    fresh = await make_reminder(session, owner=seller, status=SENDING, claimed_at=T0)
    await q.renew_claims(session, ids={renewed.id}, now=T0)

    count = await q.recover_stale(session, claimed_before=T0 - timedelta(minutes=5))

    assert count == 2
    assert (await _row(session, dead)).status == PENDING
    assert (await _row(session, legacy)).status == PENDING
    assert (await _row(session, renewed)).status == SENDING
    assert (await _row(session, fresh)).status == SENDING


async def test_deactivating_a_seller_pauses_their_reminders(session: AsyncSession) -> None:
    seller = await make_seller(session)
    await make_reminder(session, owner=seller)

    await q.deactivate_seller(session, seller_id=seller.id)

    assert (await session.get(Seller, seller.id, populate_existing=True)).active is False  # type: ignore[union-attr]
    assert await q.claim_batch(session, now=T0, limit=5) == []


async def test_claims_record_their_dispatcher_and_only_it_settles_them(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    due = await make_reminder(session, owner=seller)

    await q.claim_batch(session, now=T0, limit=5, worker="host:1:a")

    assert (await _row(session, due)).claimed_by == "host:1:a"
    assert (
        await q.mark_delivered(session, ids={due.id}, message_id=5, sent_at=T0, worker="host:1:b")
        == 0
    )
    assert await q.renew_claims(session, ids={due.id}, now=T0, worker="host:1:b") == 0
    assert (
        await q.mark_delivered(session, ids={due.id}, message_id=5, sent_at=T0, worker="host:1:a")
        == 1
    )
    row = await _row(session, due)
    assert (row.status, row.sent_message_id, row.claimed_by) == (SENT, 5, None)


async def test_the_claims_of_named_dispatchers_come_back_whatever_their_age(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    dead = await make_reminder(session, owner=seller, status=SENDING, claimed_at=T0, claimed_by="d")
    live = await make_reminder(session, owner=seller, status=SENDING, claimed_at=T0, claimed_by="l")
    mine = await make_reminder(session, owner=seller, status=SENDING, claimed_at=T0, claimed_by="m")
    legacy = await make_reminder(session, owner=seller, status=SENDING, claimed_at=T0)
    await make_reminder(session, owner=seller, status=SENT, claimed_by="x")

    assert await q.claim_holders(session, other_than="m") == {"d", "l"}
    assert await q.recover_held_by(session, workers={"d"}) == 1

    row = await _row(session, dead)
    assert (row.status, row.claimed_at, row.claimed_by) == (PENDING, None, None)
    for held in (live, mine, legacy):
        assert (await _row(session, held)).status == SENDING


async def test_a_presumed_delivery_has_no_message_and_says_why(session: AsyncSession) -> None:
    seller = await make_seller(session)
    held = await make_reminder(session, owner=seller, status=SENDING, attempts=1, claimed_at=T0)

    await q.retry_later(
        session, ids={held.id}, retry_at=T0, error="TimedOut", unknown_at=T0 - timedelta(1)
    )
    assert (await _row(session, held)).outcome_unknown_at == T0 - timedelta(1)
    await q.claim_batch(session, now=T0, limit=5)
    await q.mark_delivered(session, ids={held.id}, message_id=None, sent_at=T0, note="unknown")

    row = await _row(session, held)
    assert (row.status, row.sent_message_id, row.last_error) == (SENT, None, "unknown")
