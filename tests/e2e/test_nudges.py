"""Reminders where they arrive: the nudge and the digest the dispatcher sends, and their buttons.

The application runs on a controllable clock (`AppData.clock`); each test moves it and runs
the dispatcher once, as its job would, so nothing waits for real hours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from storage.queries import contacts as contact_queries
from storage.vocabulary import Answer, InteractionKind, Outcome, ReminderKind, Stage
from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import alerted, everything, said, stored_contact
from tests.factories import add_concern, add_contact, run, schedule_reminder
from tests.fakeapi import BotMessage, PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
OSLO = ZoneInfo("Europe/Oslo")
# Friday 12 March 2027, 08:00 in Oslo: the default digest hour.
DIGEST = datetime(2027, 3, 12, 7, 0, tzinfo=UTC)
SELLER = 1001

WORDS = {
    "en": {
        "title": "🔔 Time to follow up with Kari Nordmann (Acme AS)",
        "done": "✅ Done",
        "tomorrow": "⏭ Tomorrow",
        "next_week": "📅 Next week",
        "pick": "🗓 Pick a date",
        "note": "✍️ Add note",
        "card": "📇 Open card",
        "done_footer": "✅ Done.",
        "outcome": "How did it go with Kari Nordmann?",
        "interested": "🔥 Interested",
        "moved_tomorrow": "Moved to Saturday 13 March 2027, 08:00",
        "moved_week": "Moved to Friday 19 March 2027, 08:00",
        "stale": "That button is no longer available.",
        "digest": "☀️ Your day — Friday 12 March",
        "ask_note": "Type your note about Kari Nordmann.",
    },
    "nb": {
        "title": "🔔 På tide å følge opp Kari Nordmann (Acme AS)",
        "done": "✅ Gjort",
        "tomorrow": "⏭ I morgen",
        "next_week": "📅 Neste uke",
        "pick": "🗓 Velg dato",
        "note": "✍️ Legg til notat",
        "card": "📇 Åpne kortet",
        "done_footer": "✅ Gjort.",
        "outcome": "Hvordan gikk det med Kari Nordmann?",
        "interested": "🔥 Interessert",
        "moved_tomorrow": "Flyttet til lørdag 13. mars 2027, 08:00",
        "moved_week": "Flyttet til fredag 19. mars 2027, 08:00",
        "stale": "Den knappen er ikke lenger tilgjengelig.",
        "digest": "☀️ Dagen din — fredag 12. mars",
        "ask_note": "Skriv notatet om Kari Nordmann.",
    },
}


@pytest.fixture
def now() -> datetime:
    return DIGEST - timedelta(days=1)


async def seller_with_kari(
    bot: Prospekt, language: str, stage: Stage = Stage.PROSPECT, *, concern: bool = True
) -> tuple[PhoneUser, int]:
    """A seller (who has written once) and Kari, qualified, in `stage` (a prospect unless
    said), with an open question unless `concern` is False."""
    seller = bot.user(SELLER, language_code=language)
    await seller.send("/help")
    kari = await add_contact(
        bot,
        SELLER,
        "Kari Nordmann",
        company="Acme AS",
        market_fit=Answer.YES,
        budget=Answer.YES,
        authority=Answer.YES,
        stage=stage,
    )
    if concern:
        await add_concern(bot, SELLER, kari, "Is it too expensive?")
    return seller, kari


async def nudged(bot: Prospekt, clock: Clock, language: str) -> tuple[PhoneUser, int, BotMessage]:
    """Kari's follow-up, due at the digest hour, delivered."""
    seller, kari = await seller_with_kari(bot, language)
    await schedule_reminder(bot, SELLER, kari, DIGEST)
    await clock.run_dispatcher(DIGEST)
    message = seller.last_message
    assert message is not None
    return seller, kari, message


def reminder_rows(bot: Prospekt, contact_id: int) -> list[tuple[Any, ...]]:
    return bot.rows(
        "SELECT id, kind, status, due_at, exact_time FROM reminder WHERE contact_id = ? "
        "ORDER BY id",
        contact_id,
    )


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(OSLO)


@LANGUAGES
async def test_a_follow_up_arrives_at_the_digest_hour_with_everything_to_act_on(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    w = WORDS[language]
    seller, kari = await seller_with_kari(bot, language)
    await schedule_reminder(bot, SELLER, kari, DIGEST)

    await clock.run_dispatcher(DIGEST - timedelta(minutes=1))
    before = len(seller.messages)
    await clock.run_dispatcher(DIGEST)

    [nudge] = seller.messages[before:]
    assert nudge.text.splitlines()[0] == w["title"]
    assert "Is it too expensive?" in nudge.text
    assert nudge.buttons == [
        [w["done"]],
        [w["tomorrow"], w["next_week"]],
        [w["pick"], w["note"]],
        [w["card"]],
    ]
    [(_, kind, status, _, _)] = reminder_rows(bot, kari)
    assert (kind, status) == ("follow_up", "sent")


@LANGUAGES
async def test_done_logs_the_contact_and_asks_how_it_went_in_one_tap(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    w = WORDS[language]
    seller, kari, nudge = await nudged(bot, clock, language)

    replies = await seller.press(w["done"], message=nudge)

    edited = [m for m in replies if m.edited]
    [question] = [m for m in replies if not m.edited]
    assert edited[-1].text.endswith(w["done_footer"])
    assert edited[-1].buttons == [[w["card"]]]
    assert question.text == w["outcome"]
    assert w["interested"] in question.labels
    [(_, _, status, _, _)] = reminder_rows(bot, kari)
    assert status == "done"
    kinds = bot.rows("SELECT kind FROM interaction WHERE contact_id = ?", kari)
    assert kinds == [(InteractionKind.CALL.value,)]

    await seller.press(w["interested"], message=question)

    contact = await stored_contact(bot, SELLER, kari)
    assert contact is not None and contact.outcome is Outcome.INTERESTED
    # A second press of the same Done finds the reminder handled.
    await seller.press_data(f"r:{reminder_rows(bot, kari)[0][0]}:d", message=nudge)
    assert alerted(seller, w["stale"])


@LANGUAGES
@pytest.mark.parametrize(
    ("button", "moved", "due"),
    [
        ("tomorrow", "moved_tomorrow", datetime(2027, 3, 13, 7, 0, tzinfo=UTC)),
        ("next_week", "moved_week", datetime(2027, 3, 19, 7, 0, tzinfo=UTC)),
    ],
)
async def test_tomorrow_and_next_week_move_it_to_that_days_digest_hour(
    bot: Prospekt, clock: Clock, language: str, button: str, moved: str, due: datetime
) -> None:
    w = WORDS[language]
    seller, kari, nudge = await nudged(bot, clock, language)
    clock.now = DIGEST + timedelta(hours=2)

    [edited] = await seller.press(w[button], message=nudge)

    assert edited.text.endswith(w[moved] + ".")
    assert edited.buttons == [[w["card"]]]
    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.text == w[moved]
    [(_, _, status, due_at, exact)] = reminder_rows(bot, kari)
    assert (status, local(due_at), exact) == ("pending", due.astimezone(OSLO), 0)

    before = len(seller.messages)
    await clock.run_dispatcher(due)  # and it comes back then
    assert seller.messages[before].text.splitlines()[0] == w["title"]


@LANGUAGES
async def test_open_card_add_note_and_pick_a_date_reuse_the_card_and_the_meeting(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    w = WORDS[language]
    seller, kari, nudge = await nudged(bot, clock, language)

    card = said(await seller.press(w["card"], message=nudge))
    assert card.text.startswith("Kari Nordmann")

    asked = said(await seller.press(w["note"], message=nudge))
    assert asked.text.startswith(w["ask_note"])
    await seller.send("Called, she wants the price list")
    notes = bot.rows("SELECT text FROM interaction WHERE contact_id = ?", kari)
    assert notes == [("Called, she wants the price list",)]

    picked = said(await seller.press(w["pick"], message=nudge))
    assert picked.inline_keyboard, "the follow-up choices of /meet"


@LANGUAGES
async def test_several_due_items_come_as_one_digest_whose_lines_open_each_nudge(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    w = WORDS[language]
    seller, kari = await seller_with_kari(bot, language)
    ola = await add_contact(bot, SELLER, "Ola Hansen")
    for contact in (kari, ola):
        await schedule_reminder(bot, SELLER, contact, DIGEST)

    before = len(seller.messages)
    await clock.run_dispatcher(DIGEST)

    [digest] = seller.messages[before:]
    assert digest.text.startswith(w["digest"])
    assert digest.labels == ["1. Kari Nordmann", "2. Ola Hansen"]

    opened = said(await seller.press("1. Kari Nordmann", message=digest))
    assert opened.text.splitlines()[0] == w["title"]
    await seller.press(w["done"], message=opened)
    assert reminder_rows(bot, kari)[0][2] == "done"
    assert reminder_rows(bot, ola)[0][2] == "sent"


@LANGUAGES
async def test_a_birthday_set_on_the_card_is_planned_and_nudged_with_the_age(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, kari = await seller_with_kari(bot, language)
    await seller.press_data(f"m:e:{kari}:bday", message=await _card(seller, kari))
    await seller.send("17.03.1986")

    rows = [row for row in reminder_rows(bot, kari) if row[2] == "pending"]
    days = [(kind, local(due).date(), local(due).hour) for _, kind, _, due, _ in rows]
    today = datetime.now(UTC).astimezone(OSLO).date()  # a birthday is planned from today
    birthday = date(today.year, 3, 17)
    birthday = birthday if birthday >= today else date(today.year + 1, 3, 17)
    card_day = birthday - timedelta(days=5)
    expected = [("birthday_card", card_day, 8)] if card_day >= today else []
    assert days == [*expected, ("birthday", birthday, 8)]

    first_due = datetime.fromisoformat(rows[0][3]).replace(tzinfo=UTC)
    before = len(seller.messages)
    await clock.run_dispatcher(first_due)
    [nudge] = seller.messages[before:]
    age = birthday.year - 1986
    starts = {"en": f"🎂 Kari Nordmann turns {age}", "nb": f"🎂 Kari Nordmann fyller {age}"}
    assert nudge.text.startswith(starts[language])


async def _card(seller: PhoneUser, kari: int) -> BotMessage:
    await seller.send("/contacts")
    return said(await seller.press_data(f"c:{kari}"))


async def test_do_not_contact_gets_no_nudge(bot: Prospekt, clock: Clock) -> None:
    seller, kari = await seller_with_kari(bot, "en")
    await schedule_reminder(bot, SELLER, kari, DIGEST)
    await run(
        bot,
        lambda s: contact_queries.update_contact(
            s, owner_id=SELLER, contact_id=kari, do_not_contact=True
        ),
    )

    before = len(seller.messages)
    await clock.run_dispatcher(DIGEST)

    assert seller.messages[before:] == []
    assert reminder_rows(bot, kari)[0][2] == "cancelled"


FORGED: list[Callable[[int], str]] = [
    lambda rid: f"r:{rid}",
    lambda rid: f"r:{rid}:d",
    lambda rid: f"r:{rid}:t",
    lambda rid: f"r:{rid}:w",
    lambda rid: f"r:{rid}:x",
    lambda rid: f"r:{rid}:d:extra",
    lambda rid: "r:abc:d",
    lambda rid: "r:99999999999:d",
    lambda rid: "r:²:d",
]


@pytest.mark.parametrize("forge", FORGED)
async def test_forged_reminder_buttons_of_another_seller_change_nothing(
    bot: Prospekt, clock: Clock, forge: Callable[[int], str]
) -> None:
    _, kari, _ = await nudged(bot, clock, "en")
    [(reminder_id, *_)] = reminder_rows(bot, kari)
    other = bot.user(2002, language_code="en")
    target = said(await other.send("/contacts"))
    assert target is not None
    before = everything(bot)

    await other.press_data(forge(reminder_id), message=target.message_id)

    assert alerted(other, WORDS["en"]["stale"])
    assert everything(bot) == before


async def test_a_birthday_nudge_is_not_snoozed_like_a_follow_up(
    bot: Prospekt, clock: Clock
) -> None:
    seller, kari = await seller_with_kari(bot, "en")
    await run(
        bot,
        lambda s: contact_queries.update_contact(
            s, owner_id=SELLER, contact_id=kari, birth_day=12, birth_month=3
        ),
    )
    await schedule_reminder(bot, SELLER, kari, DIGEST, kind=ReminderKind.BIRTHDAY)
    await clock.run_dispatcher(DIGEST)
    nudge = seller.last_message
    assert nudge is not None and nudge.text == "🎂 It's Kari Nordmann's birthday today!"
    birthday_id = reminder_rows(bot, kari)[0][0]

    await seller.press_data(f"r:{birthday_id}:t", message=nudge)

    assert alerted(seller, WORDS["en"]["stale"])


async def test_a_new_digest_hour_or_zone_in_settings_moves_what_is_pending(
    bot: Prospekt, clock: Clock
) -> None:
    seller, kari = await seller_with_kari(bot, "en")
    await schedule_reminder(bot, SELLER, kari, DIGEST)
    menu = said(await seller.send("/settings"))

    await seller.press_data("set:hour:10", message=menu)
    [(_, _, _, due_at, _)] = reminder_rows(bot, kari)
    assert local(due_at).isoformat() == "2027-03-12T10:00:00+01:00"

    await seller.press_data("tz:s:Asia/Tokyo", message=menu)
    [(_, _, _, due_at, _)] = reminder_rows(bot, kari)
    tokyo = datetime.fromisoformat(due_at).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    assert tokyo.isoformat() == "2027-03-12T10:00:00+09:00"
