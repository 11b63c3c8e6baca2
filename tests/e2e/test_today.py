"""/today end to end: one ranked message, each kind of item, one-tap actions, and nothing more."""

from __future__ import annotations

import pytest

from bot.reminders import jobs
from bot.ui.formatting import weekday_in_words
from storage.vocabulary import Answer, Stage
from tests.e2e.harness import Prospekt
from tests.factories import DAY, database, now, oslo_time, oslo_today, seed_contact, seed_seller
from tests.fakeapi import FakeTelegramServer

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
YES, UNKNOWN = Answer.YES, Answer.UNKNOWN
HOSTILE = '<b>&"'

LINES = {
    "en": [
        "🗓 Today, {today}",
        "1. 🎂 Bea Bursdag: turns {age} today!",
        "2. ⏰ Ola Overdue: follow-up overdue since {overdue}",
        "3. ⏰ Åse Øvrebø: follow up today at 23:30",
        "4. 🎂 Ben Birthday: birthday on {soon}",
        '5. 🎯 <b>&": prospect with no next step. Set a follow-up.',
        "6. ❔ Leo Lead: one answer away from prospect. Next time, ask about their budget.",
        "7. 🤝 Kim Kunde (Customer): 75 days since last contact",
    ],
    "nb": [
        "🗓 I dag, {today}",
        "1. 🎂 Bea Bursdag: fyller {age} i dag!",
        "2. ⏰ Ola Overdue: oppfølgingen skulle vært gjort {overdue}",
        "3. ⏰ Åse Øvrebø: følg opp i dag kl. 23:30",
        "4. 🎂 Ben Birthday: har bursdag {soon}",
        '5. 🎯 <b>&": prospekt uten neste steg. Sett en oppfølging.',
        "6. ❔ Leo Lead: mangler ett svar for å bli prospekt. Spør om budsjettet neste gang.",
        "7. 🤝 Kim Kunde (Kunde): 75 dager siden siste kontakt",
    ],
}
LOG = {"en": "📝 Log meeting", "nb": "📝 Logg møte"}
FOLLOW = {"en": "⏰ Set follow-up", "nb": "⏰ Sett oppfølging"}
EMPTY = {"en": "🎉 Nothing needs you today", "nb": "🎉 Ingenting venter på deg i dag"}
MORE = {"en": "…and 3 more after these.", "nb": "…og 3 til etter disse."}


@pytest.fixture(autouse=True)
def no_background_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the reminder dispatcher's job (at start, then every 30 s) off the seeded
    follow-ups: a run landing mid-test would send a nudge into the chat while /today answers,
    or in quiet hours (21-08) move a due follow-up to the morning. /today seeing a follow-up
    the dispatcher is sending right now is tested in tests/storage/test_pipeline_today.py."""

    async def idle(target: object) -> None:
        return None

    monkeypatch.setattr(jobs, "dispatch_once", idle)


async def seed_every_kind(bot: Prospekt, language: str) -> dict[str, int]:
    """One contact per kind of item, and others that must stay off the list.

    Times that a line counts in days are local noons: `now() - 75 * DAY` would be 74 or 76
    calendar days in Oslo when a DST change lies between and the test runs near midnight.
    """
    today, ids = oslo_today(), {}
    soon = today + 3 * DAY
    long_ago = oslo_time(today - 75 * DAY, 12)
    async with database(bot) as session:
        await seed_seller(session, 1001, language)
        await seed_seller(session, 2002, "en")
        ids["overdue"] = await seed_contact(
            session,
            1001,
            "Ola Overdue",
            path=(Stage.PROSPECT,),
            follow_up=oslo_time(today - 3 * DAY, 12),
        )
        ids["today"] = await seed_contact(
            session, 1001, "Åse Øvrebø", follow_up=oslo_time(today, 23, 30), exact=True
        )
        ids["birthday"] = await seed_contact(
            session,
            1001,
            "Bea Bursdag",
            path=(Stage.CUSTOMER,),
            last_contact=now(),
            birth_day=today.day,
            birth_month=today.month,
            birth_year=1980,
        )
        ids["soon"] = await seed_contact(
            session, 1001, "Ben Birthday", birth_day=soon.day, birth_month=soon.month
        )
        ids["unplanned"] = await seed_contact(session, 1001, HOSTILE, path=(Stage.PROSPECT,))
        ids["lead"] = await seed_contact(
            session, 1001, "Leo Lead", market_fit=YES, budget=UNKNOWN, authority=YES
        )
        ids["quiet"] = await seed_contact(
            session, 1001, "Kim Kunde", path=(Stage.CUSTOMER,), last_contact=long_ago
        )
        # Off the list: barred, planned, recently met, or someone else's.
        await seed_contact(
            session,
            1001,
            "Dina Barred",
            path=(Stage.PROSPECT,),
            follow_up=now() - DAY,
            birth_day=today.day,
            birth_month=today.month,
            do_not_contact=True,
        )
        await seed_contact(
            session,
            1001,
            "Paul Planned",
            path=(Stage.CUSTOMER,),
            last_contact=long_ago,
            follow_up=now() + 10 * DAY,
        )
        await seed_contact(
            session,
            1001,
            "Pia Planned",
            path=(Stage.PROSPECT,),
            follow_up=oslo_time(today + DAY, 12),  # tomorrow, not due today
        )
        await seed_contact(session, 1001, "Rita Recent", path=(Stage.CUSTOMER,), last_contact=now())
        await seed_contact(
            session,
            2002,
            "Someone Else",
            path=(Stage.PROSPECT,),
            follow_up=now() - DAY,
            birth_day=today.day,
            birth_month=today.month,
        )
    return ids


@LANGUAGES
async def test_today_lists_each_kind_ranked_with_one_tap_actions(
    bot: Prospekt, telegram: FakeTelegramServer, language: str
) -> None:
    ids = await seed_every_kind(bot, language)
    today = oslo_today()
    expected = [
        line.format(
            today=weekday_in_words(today, language),
            age=today.year - 1980,
            overdue=weekday_in_words(today - 3 * DAY, language),
            soon=weekday_in_words(today + 3 * DAY, language),
        )
        for line in LINES[language]
    ]

    [focus] = await bot.user(1001, language_code=language).send("/today")

    assert focus.text.splitlines() == expected
    order = ["birthday", "overdue", "today", "soon", "unplanned", "lead", "quiet"]
    opens = [row[0]["callback_data"] for row in focus.inline_keyboard]
    actions = [row[1]["callback_data"] for row in focus.inline_keyboard]
    assert opens == [f"c:{ids[key]}" for key in order]
    assert actions == [
        f"m:e:{ids[key]}:follow" if key == "unplanned" else f"m:start:{ids[key]}" for key in order
    ]
    assert focus.buttons[4] == [f"5. {HOSTILE}", FOLLOW[language]]
    assert focus.buttons[0] == ["1. Bea Bursdag", LOG[language]]
    assert "&lt;b&gt;&amp;" in focus.raw_text
    telegram.assert_no_errors()


async def test_the_actions_start_a_meeting_or_the_follow_up_question(bot: Prospekt) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, "en")
        await seed_contact(session, 1001, "Pia Prospect", path=(Stage.PROSPECT,))
        await seed_contact(session, 1001, "Ola Overdue", follow_up=now() - 2 * DAY)
    kari = bot.user(1001, language_code="en")
    [focus] = await kari.send("/today")

    [meeting] = await kari.press("📝 Log meeting", message=focus)
    assert "Ola Overdue" in meeting.text
    await kari.send("/cancel")
    [question] = await kari.press("⏰ Set follow-up", message=focus)

    assert question.text.startswith("Pia Prospect")
    assert "Tomorrow" in question.labels


@LANGUAGES
async def test_nothing_to_do_points_to_meet_and_pipeline(bot: Prospekt, language: str) -> None:
    [reply] = await bot.user(1001, language_code=language).send("/today")
    assert reply.text.startswith(EMPTY[language])
    assert "/meet" in reply.text
    assert "/pipeline" in reply.text
    assert reply.labels == []


@LANGUAGES
async def test_the_list_stops_at_ten_and_says_how_many_more(bot: Prospekt, language: str) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, language)
        for n in range(13):
            await seed_contact(
                session, 1001, f"Prospect {n:02d}", path=(Stage.PROSPECT,), created=now() - n * DAY
            )
    [focus] = await bot.user(1001, language_code=language).send("/today")
    lines = focus.text.splitlines()
    assert len(lines) == 1 + 10 + 1
    assert lines[1].startswith("1. 🎯 Prospect 12")  # the longest without a next step first
    assert lines[-1] == MORE[language]
    assert len(focus.inline_keyboard) == 10


async def test_another_sellers_list_is_their_own(bot: Prospekt) -> None:
    await seed_every_kind(bot, "en")
    [theirs] = await bot.user(2002, language_code="en").send("/today")
    assert [line.split(": ")[0] for line in theirs.text.splitlines()[1:]] == [
        "1. 🎂 Someone Else",
        "2. ⏰ Someone Else",
    ]


async def test_a_logged_meeting_takes_a_quiet_customer_off_the_list(bot: Prospekt) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, "en")
        await seed_contact(
            session,
            1001,
            "Kim Kunde",
            path=(Stage.CUSTOMER,),
            last_contact=oslo_time(oslo_today() - 90 * DAY, 12),
        )
    kari = bot.user(1001, language_code="en")
    [before] = await kari.send("/today")
    assert "Kim Kunde (Customer): 90 days since last contact" in before.text

    await kari.press("📝 Log meeting", message=before)
    await kari.send("/cancel")  # the meeting itself counts as contact
    [after] = await kari.send("/today")

    assert after.text.startswith(EMPTY["en"])
