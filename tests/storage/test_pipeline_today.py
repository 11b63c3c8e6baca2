"""/today's reads on both databases: follow-ups due, birthdays, leads one answer away."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact
from storage.queries import pipeline, today
from storage.vocabulary import Answer, Criterion, ReminderKind, ReminderStatus, Stage
from tests.factories import T0, make_contact, make_reminder, make_seller

DAY = timedelta(days=1)
YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN


async def test_due_follow_ups_are_the_earliest_pending_one_per_contact_before_the_cutoff(
    session: AsyncSession,
) -> None:
    me, other = await make_seller(session), await make_seller(session)
    overdue = await make_contact(session, owner=me, name="Overdue")
    await make_reminder(session, owner=me, contact=overdue, due_at=T0 - 3 * DAY)
    await make_reminder(session, owner=me, contact=overdue, due_at=T0 - DAY)  # a second one
    later = await make_contact(session, owner=me, name="Today at three")
    await make_reminder(
        session, owner=me, contact=later, due_at=T0 + timedelta(hours=3), exact_time=True
    )
    tomorrow = await make_contact(session, owner=me, name="Tomorrow")
    await make_reminder(session, owner=me, contact=tomorrow, due_at=T0 + 2 * DAY)
    done = await make_contact(session, owner=me, name="Done")
    await make_reminder(
        session, owner=me, contact=done, due_at=T0 - DAY, status=ReminderStatus.DONE
    )
    birthday = await make_contact(session, owner=me, name="A birthday reminder")
    await make_reminder(session, owner=me, contact=birthday, kind=ReminderKind.BIRTHDAY)
    barred = await make_contact(session, owner=me, name="Barred", do_not_contact=True)
    await make_reminder(session, owner=me, contact=barred, due_at=T0 - DAY)
    theirs = await make_contact(session, owner=other)
    await make_reminder(session, owner=other, contact=theirs, due_at=T0 - DAY)

    page = await today.due_follow_ups(session, owner_id=me.id, before=T0 + DAY)

    assert [(row.name, row.due_at, row.exact) for row in page.rows] == [
        ("Overdue", T0 - 3 * DAY, False),
        ("Today at three", T0 + timedelta(hours=3), True),
    ]
    assert page.total == 2
    capped = await today.due_follow_ups(session, owner_id=me.id, before=T0 + DAY, limit=1)
    assert (len(capped.rows), capped.total) == (1, 2)


async def test_birthdays_on_the_given_days_leave_out_do_not_contact(session: AsyncSession) -> None:
    me, other = await make_seller(session), await make_seller(session)
    kari = await make_contact(session, owner=me, name="Kari", birth_day=14, birth_month=3)
    leap = await make_contact(
        session, owner=me, name="Leap", birth_day=29, birth_month=2, birth_year=1984
    )
    await make_contact(session, owner=me, name="Far off", birth_day=1, birth_month=9)
    await make_contact(session, owner=me, name="Unknown")
    await make_contact(
        session, owner=me, name="Barred", birth_day=14, birth_month=3, do_not_contact=True
    )
    await make_contact(session, owner=other, name="Theirs", birth_day=14, birth_month=3)

    found = await today.birthdays_on(session, owner_id=me.id, days={(3, 14), (2, 28), (2, 29)})

    assert [(row.contact_id, row.month, row.day, row.year) for row in found] == [
        (leap.id, 2, 29, 1984),
        (kari.id, 3, 14, None),
    ]
    assert await today.birthdays_on(session, owner_id=me.id, days=set()) == []


async def test_leads_one_answer_away_have_two_yes_and_one_unknown(session: AsyncSession) -> None:
    me, other = await make_seller(session), await make_seller(session)

    async def lead(name: str, answers: tuple[Answer, Answer, Answer], **fields: object) -> Contact:
        market_fit, budget, authority = answers
        contact = await make_contact(
            session,
            owner=me,
            name=name,
            market_fit=market_fit,
            budget=budget,
            authority=authority,
            created_at=T0 - 10 * DAY,
            **fields,
        )
        return contact

    budget = await lead("Budget?", (YES, UNKNOWN, YES), last_contacted_at=T0 - 5 * DAY)
    authority = await lead("Authority?", (YES, YES, UNKNOWN))
    await lead("Said no", (YES, NO, UNKNOWN))
    await lead("Two to go", (YES, UNKNOWN, UNKNOWN))
    await lead("Prospect", (YES, YES, YES), stage=Stage.PROSPECT)
    await lead("Barred", (UNKNOWN, YES, YES), do_not_contact=True)
    planned_later = await lead("Planned next month", (UNKNOWN, YES, YES))
    await make_reminder(session, owner=me, contact=planned_later, due_at=T0 + 30 * DAY)
    due_today = await lead("Follow-up due", (UNKNOWN, YES, YES))
    await make_reminder(session, owner=me, contact=due_today, due_at=T0)
    await make_contact(session, owner=other, market_fit=YES, budget=YES)

    page = await today.leads_one_answer_away(session, owner_id=me.id, due_before=T0 + DAY)

    assert [row.contact_id for row in page.rows] == [authority.id, planned_later.id, budget.id]
    assert page.rows[2].answers[Criterion.BUDGET] is UNKNOWN
    assert page.total == 3


async def test_a_nudged_follow_up_stays_due_until_the_seller_acts_on_it(
    session: AsyncSession,
) -> None:
    me = await make_seller(session)
    waiting = await make_contact(session, owner=me, name="Nudged, not acted on")
    await make_reminder(
        session, owner=me, contact=waiting, due_at=T0 - DAY, status=ReminderStatus.SENT
    )
    met = await make_contact(session, owner=me, name="Met since", last_contacted_at=T0)
    await make_reminder(session, owner=me, contact=met, due_at=T0 - DAY, status=ReminderStatus.SENT)
    moved = await make_contact(session, owner=me, name="Given a new date")
    await make_reminder(
        session, owner=me, contact=moved, due_at=T0 - DAY, status=ReminderStatus.SENT
    )
    await make_reminder(session, owner=me, contact=moved, due_at=T0 + 5 * DAY)

    page = await today.due_follow_ups(session, owner_id=me.id, before=T0 + DAY)

    assert [row.name for row in page.rows] == ["Nudged, not acted on"]


async def test_a_follow_up_being_sent_right_now_is_still_due_and_still_a_next_step(
    session: AsyncSession,
) -> None:
    """The dispatcher holds a due follow-up as `sending` for a moment: /today must not lose
    it, nor call its contact one with no next step."""
    me = await make_seller(session)
    sending = ReminderStatus.SENDING
    prospect = await make_contact(session, owner=me, name="Prospect", stage=Stage.PROSPECT)
    await make_reminder(session, owner=me, contact=prospect, due_at=T0 - DAY, status=sending)
    lead = await make_contact(
        session, owner=me, name="Lead", market_fit=YES, budget=YES, authority=UNKNOWN
    )
    await make_reminder(session, owner=me, contact=lead, due_at=T0, status=sending)
    unplanned = await make_contact(session, owner=me, name="Unplanned", stage=Stage.PROSPECT)
    await make_contact(session, owner=me, name="Also a lead", market_fit=YES, budget=YES)

    due = await today.due_follow_ups(session, owner_id=me.id, before=T0 + DAY)
    no_next_step = await pipeline.quiet_contacts(
        session, owner_id=me.id, before={Stage.PROSPECT: None}, unplanned_only=True
    )
    leads = await today.leads_one_answer_away(session, owner_id=me.id, due_before=T0 + DAY)

    assert [(row.contact_id, row.due_at) for row in due.rows] == [
        (prospect.id, T0 - DAY),
        (lead.id, T0),
    ]
    assert [row.contact_id for row in no_next_step.rows] == [unplanned.id]
    assert [row.name for row in leads.rows] == ["Also a lead"]
