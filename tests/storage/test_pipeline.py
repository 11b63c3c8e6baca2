"""The pipeline's reads on both databases: counts, conversion from history, quiet contacts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Seller
from storage.queries import pipeline
from storage.queries.pipeline import Reach
from storage.vocabulary import ReminderKind, ReminderStatus, Stage
from tests.factories import (
    T0,
    make_contact,
    make_reminder,
    make_seller,
    make_stage_change,
)

DAY = timedelta(days=1)


async def test_the_book_is_grouped_by_stage_mark_and_outcome_for_the_owner_only(
    session: AsyncSession,
) -> None:
    me, other = await make_seller(session), await make_seller(session)
    for stage in (Stage.LEAD, Stage.LEAD, Stage.PROSPECT, Stage.REPEAT):
        await make_contact(session, owner=me, stage=stage)
    await make_contact(session, owner=me, stage=Stage.LEAD, do_not_contact=True)
    await make_contact(session, owner=other, stage=Stage.CUSTOMER)

    groups = await pipeline.book_groups(session, owner_id=me.id)

    assert sorted(groups, key=str) == sorted(
        [
            (Stage.LEAD, False, None, 2),
            (Stage.LEAD, True, None, 1),
            (Stage.PROSPECT, False, None, 1),
            (Stage.REPEAT, False, None, 1),
        ],
        key=str,
    )


async def _journey(session: AsyncSession, owner: Seller, *stages: Stage) -> None:
    """A contact that went through `stages` in order (the first is where it was created)."""
    contact = await make_contact(session, owner=owner, stage=stages[-1])
    previous = None
    for step, stage in enumerate(stages):
        await make_stage_change(
            session,
            contact=contact,
            from_stage=previous,
            to_stage=stage,
            changed_at=T0 + step * DAY,
        )
        previous = stage


async def test_conversion_counts_who_ever_reached_each_stage(session: AsyncSession) -> None:
    me, other = await make_seller(session), await make_seller(session)
    lead, prospect, customer, repeat = Stage.LEAD, Stage.PROSPECT, Stage.CUSTOMER, Stage.REPEAT
    await _journey(session, me, lead, prospect, customer, repeat)
    await _journey(session, me, lead)
    await _journey(session, me, lead, prospect)
    await _journey(session, me, lead, prospect, lead)  # qualified once, counted once
    await _journey(session, me, prospect, customer)  # never a lead
    await _journey(session, me, customer)  # neither
    await _journey(session, me, lead, customer)  # went further without being a prospect
    await _journey(session, other, lead, prospect, customer)

    reach = await pipeline.funnel_reach(session, owner_id=me.id)

    assert reach == Reach(lead=5, lead_qualified=4, prospect=4, prospect_won=2)


async def test_conversion_of_a_seller_without_history_is_all_zero(session: AsyncSession) -> None:
    me = await make_seller(session)
    assert await pipeline.funnel_reach(session, owner_id=me.id) == Reach(0, 0, 0, 0)


async def test_quiet_contacts_are_those_last_contacted_before_their_stages_cutoff(
    session: AsyncSession,
) -> None:
    me, other = await make_seller(session), await make_seller(session)
    old = T0 - 40 * DAY
    quiet = await make_contact(session, owner=me, stage=Stage.PROSPECT, last_contacted_at=old)
    never = await make_contact(session, owner=me, stage=Stage.PROSPECT, created_at=old - DAY)
    await make_contact(session, owner=me, stage=Stage.PROSPECT, last_contacted_at=T0 - DAY)
    await make_contact(
        session, owner=me, stage=Stage.PROSPECT, last_contacted_at=old, do_not_contact=True
    )
    # Contacted recently although created long ago: the interaction counts.
    await make_contact(
        session, owner=me, stage=Stage.PROSPECT, created_at=old, last_contacted_at=T0
    )
    await make_contact(session, owner=me, stage=Stage.LEAD, last_contacted_at=old)
    await make_contact(session, owner=other, stage=Stage.PROSPECT, last_contacted_at=old)

    page = await pipeline.quiet_contacts(
        session, owner_id=me.id, before={Stage.PROSPECT: T0 - 14 * DAY}
    )

    assert [row.contact_id for row in page.rows] == [never.id, quiet.id]
    assert page.total == 2
    assert page.rows[1].since == old
    assert page.rows[1].stage is Stage.PROSPECT


async def test_quiet_contacts_cap_each_stage_but_count_them_all(session: AsyncSession) -> None:
    me = await make_seller(session)
    for days in range(20, 26):
        await make_contact(
            session, owner=me, stage=Stage.CUSTOMER, last_contacted_at=T0 - days * 10 * DAY
        )
    await make_contact(session, owner=me, stage=Stage.REPEAT, last_contacted_at=T0 - 400 * DAY)

    page = await pipeline.quiet_contacts(
        session, owner_id=me.id, before={Stage.CUSTOMER: T0, Stage.REPEAT: T0}, limit=2
    )

    assert [row.stage for row in page.rows] == [Stage.CUSTOMER, Stage.CUSTOMER, Stage.REPEAT]
    assert page.rows[0].since == T0 - 250 * DAY
    assert page.total == 7


async def test_unplanned_only_leaves_out_contacts_with_a_pending_follow_up(
    session: AsyncSession,
) -> None:
    me = await make_seller(session)
    planned = await make_contact(session, owner=me, stage=Stage.PROSPECT)
    await make_reminder(session, owner=me, contact=planned, due_at=T0 + 30 * DAY)
    done = await make_contact(session, owner=me, stage=Stage.PROSPECT)
    await make_reminder(session, owner=me, contact=done, status=ReminderStatus.DONE)
    birthday_only = await make_contact(session, owner=me, stage=Stage.PROSPECT)
    await make_reminder(session, owner=me, contact=birthday_only, kind=ReminderKind.BIRTHDAY)

    page = await pipeline.quiet_contacts(
        session, owner_id=me.id, before={Stage.PROSPECT: None}, unplanned_only=True
    )
    everyone = await pipeline.quiet_contacts(session, owner_id=me.id, before={Stage.PROSPECT: None})

    assert {row.contact_id for row in page.rows} == {done.id, birthday_only.id}
    assert everyone.total == 3


async def test_keep_in_touch_is_saved_per_stage_and_none_restores_the_default(
    session: AsyncSession,
) -> None:
    me = await make_seller(session)
    await session.commit()

    await pipeline.set_keep_in_touch(session, seller_id=me.id, stage=Stage.PROSPECT, days=7)
    await pipeline.set_keep_in_touch(session, seller_id=me.id, stage=Stage.CUSTOMER, days=90)
    await session.commit()
    session.expunge_all()
    saved = await session.get(Seller, me.id)
    assert saved is not None
    assert saved.keep_in_touch == {"prospect": 7, "customer": 90}

    await pipeline.set_keep_in_touch(session, seller_id=me.id, stage=Stage.PROSPECT, days=None)
    await session.commit()
    session.expunge_all()
    again = await session.get(Seller, me.id)
    assert again is not None
    assert again.keep_in_touch == {"customer": 90}
