"""/brief before a meeting: concerns first, the latest notes, what to ask, what is coming up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.queries import contacts
from storage.vocabulary import Answer, Stage
from tests.e2e.harness import Prospekt
from tests.factories import Person, add_people, run

SELLER, OTHER = 1001, 2002
OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
FOLLOW_UP = datetime(2031, 3, 14, 7, 0, tzinfo=UTC)  # Friday, 08:00 in Oslo
# fmt: off
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"],
}
# fmt: on
WORDS = {
    "en": {
        "stage": "Stage: {stage}",
        "lead": "Lead",
        "customer": "Customer",
        "concerns": "⚠️ Open questions",
        "notes": "📝 Latest notes",
        "no_notes": "No notes yet.",
        "ask": "❔ Ask about: {what}",
        "budget, authority": "budget, decision-maker",
        "all three": "market fit, budget, decision-maker",
        "birthday": "🎂 Birthday in 3 days ({day})",
        "follow_up": "⏰ Next follow-up: Friday 14 March 2031, 08:00",
        "no_follow_up": "⏰ No follow-up planned",
        "choose": "Several contacts match “{query}”. Who are you meeting?",
        "card": "📇 Open card",
        "not_found": "That contact was not found. It may have been deleted.",
        "question": "Who are you meeting? Type their name.",
        "none": "No contact matches “{query}”. Check the spelling or type part of the name. "
        "Someone new? Add them with /meet.",
    },
    "nb": {
        "stage": "Fase: {stage}",
        "lead": "Lead",
        "customer": "Kunde",
        "concerns": "⚠️ Åpne spørsmål",
        "notes": "📝 Siste notater",
        "no_notes": "Ingen notater ennå.",
        "ask": "❔ Spør om: {what}",
        "budget, authority": "budsjett, beslutter",
        "all three": "målgruppe, budsjett, beslutter",
        "birthday": "🎂 Bursdag om 3 dager ({day})",
        "follow_up": "⏰ Neste oppfølging: fredag 14. mars 2031, 08:00",
        "no_follow_up": "⏰ Ingen oppfølging planlagt",
        "choose": "Flere kontakter passer til «{query}». Hvem skal du møte?",
        "card": "📇 Åpne kortet",
        "not_found": "Fant ikke den kontakten. Kanskje den er slettet.",
        "question": "Hvem skal du møte? Skriv navnet.",
        "none": "Ingen kontakter passer til «{query}». Sjekk stavemåten eller skriv en del av "
        "navnet. Ny kontakt? Legg til med /meet.",
    },
}


def short_day(day: date, language: str) -> str:
    month = MONTHS[language][day.month - 1]
    return f"{day.day}. {month}" if language == "nb" else f"{day.day} {month}"


def kari() -> Person:
    """A lead who fits the market, with two open concerns, four notes and a birthday soon."""
    birthday = datetime.now(OSLO).date() + timedelta(days=3)
    return Person(
        "Kari Nordmann",
        {
            "company": "Acme AS",
            "phone": "+4791234567",
            "market_fit": Answer.YES,
            "birth_day": birthday.day,
            "birth_month": birthday.month,
        },
        notes=[(f"Note {n}", T0 + timedelta(days=n)) for n in range(1, 5)],
        concerns=["Is it <too> expensive?", "Needs board approval"],
        follow_up=FOLLOW_UP,
    )


OLA = Person("Ola Nordmann", {"company": "Nordlys"})


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_a_clear_match_gets_the_brief_at_once(bot: Prospekt, language: str) -> None:
    ids = await add_people(bot, SELLER, language, kari(), OLA)
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]
    birthday = datetime.now(OSLO).date() + timedelta(days=3)

    [brief] = await seller.send("/brief kari nordmann")

    assert brief.text.splitlines() == [
        "📋 Kari Nordmann · Acme AS",
        w["stage"].format(stage=w["lead"]),
        "📞 +4791234567",
        "",
        w["concerns"],
        "• Is it <too> expensive?",
        "• Needs board approval",
        "",
        w["notes"],
        f"• {short_day(date(2027, 3, 14), language)}: Note 4",
        f"• {short_day(date(2027, 3, 13), language)}: Note 3",
        f"• {short_day(date(2027, 3, 12), language)}: Note 2",
        "",
        w["ask"].format(what=w["budget, authority"]),
        w["birthday"].format(day=short_day(birthday, language)),
        w["follow_up"],
    ]
    assert brief.callback_data == {w["card"]: f"c:{ids['Kari Nordmann']}"}


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_several_matches_offer_a_choice_and_the_pick_becomes_the_brief(
    bot: Prospekt, language: str
) -> None:
    ids = await add_people(bot, SELLER, language, kari(), OLA)
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [choice] = await seller.send("/brief nordmann")
    [brief] = await seller.press("Ola Nordmann · Nordlys")

    assert choice.text == w["choose"].format(query="nordmann")
    assert choice.callback_data == {
        "Kari Nordmann · Acme AS": f"b:{ids['Kari Nordmann']}",
        "Ola Nordmann · Nordlys": f"b:{ids['Ola Nordmann']}",
    }
    assert brief.edited and brief.message_id == choice.message_id
    assert brief.text.splitlines() == [
        "📋 Ola Nordmann · Nordlys",
        w["stage"].format(stage=w["lead"]),
        "",
        w["notes"],
        w["no_notes"],
        "",
        w["ask"].format(what=w["all three"]),
        w["no_follow_up"],
    ]


async def test_a_customers_brief_asks_nothing_more(bot: Prospekt) -> None:
    await add_people(bot, SELLER, "en", Person("Per Olsen", stage=Stage.CUSTOMER))

    [brief] = await bot.user(SELLER, language_code="en").send("/brief per")

    assert brief.text.splitlines()[1] == "Stage: Customer"
    assert not any(line.startswith("❔") for line in brief.text.splitlines())


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_forged_and_stale_brief_buttons_find_nothing_and_reveal_nothing(
    bot: Prospekt, language: str
) -> None:
    theirs = await add_people(bot, OTHER, "en", Person("Kari Hemmelig"))
    ids = await add_people(bot, SELLER, language, kari(), OLA)
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]
    [choice] = await seller.send("/brief nordmann")
    await run(  # as the card's Delete does, cascades included
        bot, lambda s: contacts.delete_contact(s, owner_id=SELLER, contact_id=ids["Ola Nordmann"])
    )

    for data in (
        f"b:{theirs['Kari Hemmelig']}",
        f"b:{ids['Ola Nordmann']}",
        "b:x",
        "b:" + "9" * 12,
    ):
        assert await seller.press_data(data, message=choice) == []
        answer = seller.last_callback_answer
        assert answer is not None and answer.show_alert
        assert answer.text == w["not_found"]
    assert seller.chat.find(choice.message_id) == choice


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_brief_alone_asks_for_the_name(bot: Prospekt, language: str) -> None:
    await add_people(bot, SELLER, language, kari(), OLA)
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [question] = await seller.send("/brief")
    [brief] = await seller.send("Kari")
    [nobody] = await seller.send("/brief Zyxwvu")

    assert question.text == w["question"]
    assert brief.text.startswith("📋 Kari Nordmann · Acme AS\n")
    assert nobody.text == w["none"].format(query="Zyxwvu")
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]
