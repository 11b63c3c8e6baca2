"""Reminder messages and planning on the database: `compose` with a chosen "now", the
birthday rows planned for the seller's local day, and re-planning when settings change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.records.planning import (
    plan_after_delivery,
    plan_birthdays,
    replan_all_birthdays,
    replan_for_settings,
)
from bot.reminders.messages import compose
from storage.models import Contact, Reminder, Seller
from storage.vocabulary import InteractionKind, ReminderKind, ReminderStatus, Stage
from tests.factories import (
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_seller,
)

OSLO = ZoneInfo("Europe/Oslo")
# Friday 12 March 2027, 08:00 in Oslo (CET, UTC+1): the default digest hour.
DIGEST = datetime(2027, 3, 12, 7, 0, tzinfo=UTC)


def oslo(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO).astimezone(UTC)


def labels(keyboard: object) -> list[list[tuple[str, str]]]:
    rows = getattr(keyboard, "inline_keyboard", ())
    return [[(b.text, str(b.callback_data)) for b in row] for row in rows]


async def kari(session: AsyncSession, seller: Seller, **fields: object) -> Contact:
    fields = {"name": "Kari Nordmann", "company": "Acme AS", "stage": Stage.PROSPECT, **fields}
    return await make_contact(session, owner=seller, **fields)


async def rows_of(session: AsyncSession, contact: Contact) -> list[tuple[ReminderKind, datetime]]:
    query = (
        select(Reminder)
        .where(Reminder.contact_id == contact.id, Reminder.status == ReminderStatus.PENDING)
        .order_by(Reminder.due_at)
    )
    return [(r.kind, r.due_at) for r in await session.scalars(query)]


# --- compose: follow-ups -----------------------------------------------------------------------


async def test_one_follow_up_due_at_the_digest_hour_is_a_nudge_of_its_own(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller)
    await make_concern(session, contact=contact, text="Is <it> too expensive?")
    await make_interaction(
        session,
        contact=contact,
        kind=InteractionKind.NOTE,
        text="Wants a demo for the team.",
        occurred_at=oslo(2027, 3, 5, 15, 0),
    )
    due = await make_reminder(session, owner=seller, contact=contact, due_at=DIGEST)

    [message] = await compose(session, seller=seller, reminders=[due], now=DIGEST)

    assert message.reminder_ids == (due.id,)
    assert message.text == (
        "🔔 Time to follow up with <b>Kari Nordmann</b> (Acme AS)\n"
        "Prospect — meets all three\n"
        "❓ Open questions:\n"
        "• Is &lt;it&gt; too expensive?\n"
        "📝 Last note (Friday 5 March): Wants a demo for the team."
    )
    assert labels(message.keyboard) == [
        [("✅ Done", f"r:{due.id}:d")],
        [("⏭ Tomorrow", f"r:{due.id}:t"), ("📅 Next week", f"r:{due.id}:w")],
        [("🗓 Pick a date", f"m:e:{contact.id}:follow"), ("✍️ Add note", f"c:{contact.id}:note")],
        [("📇 Open card", f"c:{contact.id}")],
    ]


async def test_the_nudge_speaks_norwegian_to_a_norwegian_seller(session: AsyncSession) -> None:
    seller = await make_seller(session, language="nb")
    contact = await kari(session, seller, company=None, stage=Stage.CUSTOMER)
    due = await make_reminder(session, owner=seller, contact=contact, due_at=DIGEST)

    [message] = await compose(session, seller=seller, reminders=[due], now=DIGEST)

    assert message.text == "🔔 På tide å følge opp <b>Kari Nordmann</b>\nKunde"
    assert labels(message.keyboard)[0] == [("✅ Gjort", f"r:{due.id}:d")]


async def test_an_exact_time_follow_up_is_always_its_own_message_with_its_time(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    first, second = await kari(session, seller), await kari(session, seller, name="Ola")
    at_two = await make_reminder(
        session, owner=seller, contact=first, due_at=oslo(2027, 3, 12, 14, 0), exact_time=True
    )
    daily = await make_reminder(session, owner=seller, contact=second, due_at=DIGEST)

    messages = await compose(session, seller=seller, reminders=[at_two, daily], now=DIGEST)

    assert [m.reminder_ids for m in messages] == [(at_two.id,), (daily.id,)]
    assert messages[0].text.startswith("🔔 14:00: time to follow up with <b>Kari Nordmann</b>")


async def test_more_than_an_hour_late_says_so_with_the_time_it_was_due(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller)
    due = await make_reminder(session, owner=seller, contact=contact, due_at=DIGEST)

    [on_time] = await compose(
        session, seller=seller, reminders=[due], now=DIGEST + timedelta(minutes=59)
    )
    [late] = await compose(session, seller=seller, reminders=[due], now=DIGEST + timedelta(days=1))

    assert not on_time.text.startswith("⏰")
    assert late.text.startswith("⏰ (late: was due Friday 08:00)\n🔔 Time to follow up")


async def test_several_items_at_the_digest_hour_become_one_digest_with_a_button_each(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    first = await kari(session, seller)
    second = await make_contact(session, owner=seller, name="Ola Hansen")
    birthday = await make_contact(
        session, owner=seller, name="Per Berg", birth_day=17, birth_month=3, birth_year=1986
    )
    earlier = await make_contact(session, owner=seller, name="Lise Lund", company="Lund AS")
    still_open = await make_reminder(
        session,
        owner=seller,
        contact=earlier,
        due_at=DIGEST - timedelta(days=3),
        status=ReminderStatus.SENT,
    )
    handled = await make_contact(session, owner=seller, name="Done Dahl")
    await make_reminder(
        session,
        owner=seller,
        contact=handled,
        due_at=DIGEST - timedelta(days=3),
        status=ReminderStatus.DONE,
    )
    due = [
        await make_reminder(session, owner=seller, contact=first, due_at=DIGEST),
        await make_reminder(session, owner=seller, contact=second, due_at=DIGEST),
        await make_reminder(
            session,
            owner=seller,
            contact=birthday,
            due_at=DIGEST,
            kind=ReminderKind.BIRTHDAY_CARD,
        ),
    ]

    [digest] = await compose(session, seller=seller, reminders=due, now=DIGEST)

    assert digest.reminder_ids == tuple(r.id for r in due)
    assert digest.text == (
        "☀️ <b>Your day — Friday 12 March</b>\n"
        "\n"
        "<b>🔔 Follow-ups</b>\n"
        "1. <b>Kari Nordmann</b> (Acme AS) · Prospect\n"
        "2. <b>Ola Hansen</b> · Lead\n"
        "\n"
        "<b>🎂 Birthdays</b>\n"
        "3. Per Berg turns 41 on Wednesday 17 March — send a card\n"
        "\n"
        "<b>⏰ Still open from before</b>\n"
        "4. <b>Lise Lund</b> (Lund AS) — was due Tuesday 9 March\n"
        "\n"
        "🧭 <b>No next step yet</b>\n"
        "5. Done Dahl · Lead\n"
        "\n"
        "Tap a number below to see it and act on it."
    ), "a lead whose follow-up is done and who has no next one is not dropped"
    assert labels(digest.keyboard) == [
        [("1. Kari Nordmann", f"r:{due[0].id}"), ("2. Ola Hansen", f"r:{due[1].id}")],
        [("3. Per Berg", f"r:{due[2].id}"), ("4. Lise Lund", f"r:{still_open.id}")],
        [("5. Done Dahl", f"c:{handled.id}")],
    ]


async def test_a_follow_up_replaced_or_contacted_since_is_no_longer_overdue(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    replaced, contacted = await kari(session, seller), await kari(session, seller, name="Ola")
    for contact in (replaced, contacted):
        await make_reminder(
            session,
            owner=seller,
            contact=contact,
            due_at=DIGEST - timedelta(days=2),
            status=ReminderStatus.SENT,
        )
    await make_reminder(session, owner=seller, contact=replaced, due_at=DIGEST + timedelta(days=9))
    contacted.last_contacted_at = DIGEST - timedelta(days=1)
    a, b = await kari(session, seller, name="A"), await kari(session, seller, name="B")
    due = [await make_reminder(session, owner=seller, contact=c, due_at=DIGEST) for c in (a, b)]

    [digest] = await compose(session, seller=seller, reminders=due, now=DIGEST)

    assert "Still open" not in digest.text


async def test_a_big_morning_continues_in_a_second_digest_rather_than_losing_items(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    people = [await kari(session, seller, name=f"Person {n}") for n in range(20)]
    due = [await make_reminder(session, owner=seller, contact=c, due_at=DIGEST) for c in people]

    messages = await compose(session, seller=seller, reminders=due, now=DIGEST)

    assert [len(m.reminder_ids) for m in messages] == [15, 5]
    assert {i for m in messages for i in m.reminder_ids} == {r.id for r in due}
    assert messages[1].text.startswith("☀️ <b>Your day — Friday 12 March</b> (2/2)")
    assert "16. <b>Person 15</b>" in messages[1].text


async def test_do_not_contact_and_deleted_contacts_are_left_out(session: AsyncSession) -> None:
    seller = await make_seller(session)
    banned = await kari(session, seller, do_not_contact=True)
    gone = await kari(session, seller, name="Gone")
    rows = [
        await make_reminder(session, owner=seller, contact=banned, due_at=DIGEST),
        await make_reminder(session, owner=seller, contact=gone, due_at=DIGEST),
    ]
    await session.delete(gone)
    await session.flush()

    assert await compose(session, seller=seller, reminders=rows, now=DIGEST) == []


# --- compose: birthdays ------------------------------------------------------------------------


CARD_TEXTS = [
    ("en", 1986, "🎂 <b>Kari Nordmann</b> turns 41 on Wednesday 17 March — time to send a card."),
    ("en", None, "🎂 <b>Kari Nordmann</b> has a birthday on Wednesday 17 March — time to "
     "send a card."),
    ("nb", 1986, "🎂 <b>Kari Nordmann</b> fyller 41 onsdag 17. mars — på tide å sende "
     "et kort."),
    ("nb", None, "🎂 <b>Kari Nordmann</b> har bursdag onsdag 17. mars — på tide å sende "
     "et kort."),
]  # fmt: skip


@pytest.mark.parametrize(("language", "year", "expected"), CARD_TEXTS)
async def test_the_card_nudge_names_the_day_and_the_age_only_when_the_year_is_known(
    session: AsyncSession, language: str, year: int | None, expected: str
) -> None:
    seller = await make_seller(session, language=language)
    contact = await kari(session, seller, birth_day=17, birth_month=3, birth_year=year)
    card = await make_reminder(
        session, owner=seller, contact=contact, due_at=DIGEST, kind=ReminderKind.BIRTHDAY_CARD
    )

    [message] = await compose(session, seller=seller, reminders=[card], now=DIGEST)

    assert message.text == expected
    assert labels(message.keyboard)[0] == [
        ("✅ Done" if language == "en" else "✅ Gjort", f"r:{card.id}:d")
    ]


@pytest.mark.parametrize(
    ("language", "year", "expected"),
    [
        ("en", 1986, "🎂 <b>Kari Nordmann</b> turns 41 today!"),
        ("en", None, "🎂 It's <b>Kari Nordmann</b>'s birthday today!"),
        ("nb", 1986, "🎂 <b>Kari Nordmann</b> fyller 41 i dag!"),
        ("nb", None, "🎂 <b>Kari Nordmann</b> har bursdag i dag!"),
    ],
)
async def test_on_the_day_the_nudge_says_today(
    session: AsyncSession, language: str, year: int | None, expected: str
) -> None:
    seller = await make_seller(session, language=language)
    contact = await kari(session, seller, birth_day=12, birth_month=3, birth_year=year)
    today = await make_reminder(
        session, owner=seller, contact=contact, due_at=DIGEST, kind=ReminderKind.BIRTHDAY
    )

    [message] = await compose(session, seller=seller, reminders=[today], now=DIGEST)

    assert message.text == expected


async def test_composing_a_birthday_nudge_plans_nothing(session: AsyncSession) -> None:
    """The next nudge is planned when the send is recorded, so a failed send plans nothing."""
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=12, birth_month=3, birth_year=1986)
    today = await make_reminder(
        session,
        owner=seller,
        contact=contact,
        due_at=DIGEST,
        kind=ReminderKind.BIRTHDAY,
        status=ReminderStatus.SENDING,
    )

    await compose(session, seller=seller, reminders=[today], now=DIGEST)

    assert await rows_of(session, contact) == []


async def test_after_the_birthday_nudge_next_years_are_planned(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=12, birth_month=3, birth_year=1986)
    today = await make_reminder(
        session,
        owner=seller,
        contact=contact,
        due_at=DIGEST,
        kind=ReminderKind.BIRTHDAY,
        status=ReminderStatus.SENDING,
    )

    await plan_after_delivery(session, owner_id=seller.id, delivered=[today], now=DIGEST)
    await plan_after_delivery(session, owner_id=seller.id, delivered=[today], now=DIGEST)

    assert await rows_of(session, contact) == [
        (ReminderKind.BIRTHDAY_CARD, oslo(2028, 3, 7, 8, 0)),
        (ReminderKind.BIRTHDAY, oslo(2028, 3, 12, 8, 0)),
    ]


async def test_after_the_card_nudge_the_day_itself_stays_planned(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=17, birth_month=3)
    await plan_birthdays(session, contact=contact, now=DIGEST - timedelta(days=1))
    [card, _] = await session.scalars(
        select(Reminder).where(Reminder.contact_id == contact.id).order_by(Reminder.due_at)
    )
    card.status = ReminderStatus.SENDING

    await plan_after_delivery(session, owner_id=seller.id, delivered=[card], now=DIGEST)

    assert await rows_of(session, contact) == [(ReminderKind.BIRTHDAY, oslo(2027, 3, 17, 8, 0))]


# --- planning ----------------------------------------------------------------------------------


async def test_a_birthday_plans_a_card_nudge_lead_days_before_and_one_on_the_day(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=20, birth_month=3)

    await plan_birthdays(session, contact=contact, now=DIGEST)

    assert await rows_of(session, contact) == [
        (ReminderKind.BIRTHDAY_CARD, oslo(2027, 3, 15, 8, 0)),
        (ReminderKind.BIRTHDAY, oslo(2027, 3, 20, 8, 0)),
    ]


async def test_changing_or_removing_the_birthday_replaces_its_nudges(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session, birthday_lead_days=0)
    contact = await kari(session, seller, birth_day=20, birth_month=3)
    await plan_birthdays(session, contact=contact, now=DIGEST)

    contact.birth_day = 21
    await plan_birthdays(session, contact=contact, now=DIGEST)
    assert await rows_of(session, contact) == [(ReminderKind.BIRTHDAY, oslo(2027, 3, 21, 8, 0))]

    contact.birth_day = contact.birth_month = None
    await plan_birthdays(session, contact=contact, now=DIGEST)
    assert await rows_of(session, contact) == []


async def test_do_not_contact_gets_no_birthday_nudges(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=20, birth_month=3, do_not_contact=True)

    assert await plan_birthdays(session, contact=contact, now=DIGEST) == []
    assert await rows_of(session, contact) == []


async def test_a_birthday_later_today_than_the_digest_hour_is_due_now(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=12, birth_month=3)
    now = DIGEST + timedelta(hours=3)

    await plan_birthdays(session, contact=contact, now=now)

    assert await rows_of(session, contact) == [(ReminderKind.BIRTHDAY, now)]


@pytest.mark.parametrize(
    ("now", "card_day", "day"),
    [
        (datetime(2027, 1, 10, 12, tzinfo=UTC), date(2027, 2, 23), date(2027, 2, 28)),
        (datetime(2028, 1, 10, 12, tzinfo=UTC), date(2028, 2, 24), date(2028, 2, 29)),
    ],
    ids=["2027-on-the-28th", "2028-on-the-29th"],
)
async def test_29_february_falls_on_the_28th_in_a_year_without_one(
    session: AsyncSession, now: datetime, card_day: date, day: date
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=29, birth_month=2, birth_year=1988)

    await plan_birthdays(session, contact=contact, now=now)

    assert await rows_of(session, contact) == [
        (ReminderKind.BIRTHDAY_CARD, oslo(card_day.year, card_day.month, card_day.day, 8, 0)),
        (ReminderKind.BIRTHDAY, oslo(day.year, day.month, day.day, 8, 0)),
    ]


@pytest.mark.parametrize(
    ("zone", "utc_day_of", "utc_hour"),
    [
        ("Asia/Tokyo", date(2027, 3, 13), 23),  # 08:00 in Tokyo is 23:00 UTC the day before
        ("America/Los_Angeles", date(2027, 3, 14), 15),  # PDT since 14 March 02:00
        ("Europe/Oslo", date(2027, 3, 28), 6),  # the day summer time starts: CEST
    ],
)
async def test_birthday_nudges_fall_on_the_local_day_east_and_west_of_utc(
    session: AsyncSession, zone: str, utc_day_of: date, utc_hour: int
) -> None:
    seller = await make_seller(session, timezone=zone)
    birthday = utc_day_of + timedelta(days=1) if zone == "Asia/Tokyo" else utc_day_of
    contact = await kari(session, seller, birth_day=birthday.day, birth_month=birthday.month)

    await plan_birthdays(session, contact=contact, now=datetime(2027, 1, 2, tzinfo=UTC))

    rows = await rows_of(session, contact)
    local = [(kind, due.astimezone(ZoneInfo(zone))) for kind, due in rows]
    assert [(kind, at.date(), at.hour) for kind, at in local] == [
        (ReminderKind.BIRTHDAY_CARD, birthday - timedelta(days=5), 8),
        (ReminderKind.BIRTHDAY, birthday, 8),
    ]
    assert (rows[1][1].date(), rows[1][1].hour) == (utc_day_of, utc_hour)


async def test_autumn_dst_day_in_oslo_keeps_the_digest_hour(session: AsyncSession) -> None:
    seller = await make_seller(session, birthday_lead_days=0)
    contact = await kari(session, seller, birth_day=31, birth_month=10)

    await plan_birthdays(session, contact=contact, now=DIGEST)

    assert await rows_of(session, contact) == [
        (ReminderKind.BIRTHDAY, datetime(2027, 10, 31, 7, 0, tzinfo=UTC))  # CET again
    ]


async def test_a_new_digest_hour_moves_pending_daily_reminders_but_not_exact_ones(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller)
    daily = await make_reminder(
        session, owner=seller, contact=contact, due_at=oslo(2027, 3, 15, 8, 0)
    )
    exact = await make_reminder(
        session, owner=seller, contact=contact, due_at=oslo(2027, 3, 16, 14, 30), exact_time=True
    )
    past = await make_reminder(session, owner=seller, contact=contact, due_at=DIGEST)

    seller.digest_hour = 10
    moved = await replan_for_settings(
        session, seller=seller, old_zone="Europe/Oslo", old_digest_hour=8, now=DIGEST
    )

    assert moved == 1
    assert daily.due_at == oslo(2027, 3, 15, 10, 0)
    assert exact.due_at == oslo(2027, 3, 16, 14, 30)
    assert past.due_at == DIGEST  # already due: the dispatcher sends it as it is


async def test_a_new_zone_keeps_each_reminders_local_day_and_wall_time(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=20, birth_month=3)
    daily = await make_reminder(
        session, owner=seller, contact=contact, due_at=oslo(2027, 3, 15, 8, 0)
    )
    exact = await make_reminder(
        session, owner=seller, contact=contact, due_at=oslo(2027, 3, 16, 14, 30), exact_time=True
    )

    seller.timezone = "Asia/Tokyo"
    await replan_for_settings(
        session, seller=seller, old_zone="Europe/Oslo", old_digest_hour=8, now=DIGEST
    )

    tokyo = ZoneInfo("Asia/Tokyo")
    assert daily.due_at.astimezone(tokyo).isoformat() == "2027-03-15T08:00:00+09:00"
    assert exact.due_at.astimezone(tokyo).isoformat() == "2027-03-16T14:30:00+09:00"


async def test_lead_days_zero_turns_card_nudges_off(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller, birth_day=20, birth_month=3)
    await plan_birthdays(session, contact=contact, now=DIGEST)

    seller.birthday_lead_days = 0
    await replan_all_birthdays(session, seller=seller, now=DIGEST)

    assert await rows_of(session, contact) == [(ReminderKind.BIRTHDAY, oslo(2027, 3, 20, 8, 0))]


async def test_a_delivered_follow_up_plans_one_digest_for_tomorrow_morning(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await kari(session, seller)
    nudge = await make_reminder(
        session, owner=seller, contact=contact, due_at=DIGEST, status=ReminderStatus.SENT
    )

    await plan_after_delivery(session, owner_id=seller.id, delivered=[nudge], now=DIGEST)
    await plan_after_delivery(session, owner_id=seller.id, delivered=[nudge], now=DIGEST)

    digests = await session.scalars(
        select(Reminder.due_at).where(
            Reminder.kind == ReminderKind.DIGEST, Reminder.status == ReminderStatus.PENDING
        )
    )
    assert list(digests) == [oslo(2027, 3, 13, 8, 0)], "one, at tomorrow's digest hour"
