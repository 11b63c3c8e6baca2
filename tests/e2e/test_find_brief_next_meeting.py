"""What the seller needs before the next meeting: in /brief how the last meeting went and what
blocks the sale (over the latest notes), and /find finding a contact by an open concern."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.ui.text_fit import utf16_len
from storage.models import NAME_MAX
from storage.queries import concerns
from storage.vocabulary import Answer, Outcome, Stage
from tests.e2e.harness import Prospekt
from tests.factories import Person, add_concern, add_people, oslo_today, run
from tests.fakeapi import BotMessage

LANGUAGES = ["en", "nb"]
SELLER, OTHER = 1001, 2002
T0 = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
FOLLOW_UP = datetime(2031, 3, 14, 7, 0, tzinfo=UTC)  # Friday, 08:00 in Oslo
MARCH = {"en": "{day} March", "nb": "{day}. mars"}
WORDS = {
    "en": {
        "stage": "Stage: {stage}",
        "lead": "Lead",
        "customer": "Customer",
        "last": "Last meeting: {outcome}",
        "said no, later": "said no, but agreed to be contacted later",
        "said no": "said no",
        "not ready": "not ready yet",
        "bought": "bought",
        "dnc": "🚫 Do not contact",
        "concerns": "⚠️ Open questions",
        "blockers": "🚧 Blockers: {criteria}",
        "budget": "❌ Budget",
        "authority": "❌ Decision-maker",
        "market fit": "❌ Market fit",
        "notes": "📝 Latest notes",
        "no_notes": "No notes yet.",
        "ask": "❔ Ask about: {what}",
        "budget, authority": "budget, decision-maker",
        "follow_up": "⏰ Next follow-up: Friday 14 March 2031, 08:00",
        "no_follow_up": "⏰ No follow-up planned",
        "results": "🔎 Matches for “{query}”:",
        "none": "No contact matches “{query}”. Check the spelling or type part of the name. "
        "Someone new? Add them with /meet.",
        "card": "📇 Open card",
    },
    "nb": {
        "stage": "Fase: {stage}",
        "lead": "Lead",
        "customer": "Kunde",
        "last": "Siste møte: {outcome}",
        "said no, later": "sa nei, men du fikk lov til å ta kontakt igjen senere",
        "said no": "sa nei",
        "not ready": "ikke klar ennå",
        "bought": "kjøpte",
        "dnc": "🚫 Skal ikke kontaktes",
        "concerns": "⚠️ Åpne spørsmål",
        "blockers": "🚧 Hindringer: {criteria}",
        "budget": "❌ Budsjett",
        "authority": "❌ Beslutter",
        "market fit": "❌ Målgruppe",
        "notes": "📝 Siste notater",
        "no_notes": "Ingen notater ennå.",
        "ask": "❔ Spør om: {what}",
        "budget, authority": "budsjett, beslutter",
        "follow_up": "⏰ Neste oppfølging: fredag 14. mars 2031, 08:00",
        "no_follow_up": "⏰ Ingen oppfølging planlagt",
        "results": "🔎 Treff for «{query}»:",
        "none": "Ingen kontakter passer til «{query}». Sjekk stavemåten eller skriv en del av "
        "navnet. Ny kontakt? Legg til med /meet.",
        "card": "📇 Åpne kortet",
    },
}


def march(day: int, language: str) -> str:
    return MARCH[language].format(day=day)


def buttons(message: BotMessage) -> list[tuple[str, str]]:
    """(label, callback data) of each button, top to bottom."""
    return [(b["text"], b["callback_data"]) for row in message.inline_keyboard for b in row]


def kari() -> Person:
    """A lead who fits the market but has no budget and is not the decision-maker; she said
    no at the last meeting and agreed to hear from the seller again."""
    return Person(
        "Kari Nordmann",
        {
            "company": "Acme AS",
            "market_fit": Answer.YES,
            "budget": Answer.NO,
            "authority": Answer.NO,
            "outcome": Outcome.SAID_NO,
        },
        notes=[("Board meets in April", T0 + timedelta(days=2)), ("Budget frees up in Q1", T0)],
        concerns=["Needs approval from the styret in Ålesund"],
        follow_up=FOLLOW_UP,
    )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_brief_says_how_the_last_meeting_went_and_what_blocks_the_sale(
    bot: Prospekt, language: str
) -> None:
    ids = await add_people(bot, SELLER, language, kari())
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [brief] = await seller.send("/brief kari")

    assert brief.text.splitlines() == [
        "📋 Kari Nordmann · Acme AS",
        w["stage"].format(stage=w["lead"]),
        w["last"].format(outcome=w["said no, later"]),
        "",
        w["concerns"],
        "• Needs approval from the styret in Ålesund",
        "",
        w["blockers"].format(criteria=f"{w['budget']} · {w['authority']}"),
        w["notes"],
        f"• {march(12, language)}: Board meets in April",
        f"• {march(10, language)}: Budget frees up in Q1",
        "",
        w["follow_up"],
    ]
    assert brief.callback_data == {w["card"]: f"c:{ids['Kari Nordmann']}"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_no_without_leave_to_call_again_is_just_a_no_beside_do_not_contact(
    bot: Prospekt, language: str
) -> None:
    per = Person(
        "Per Olsen",
        {"outcome": Outcome.SAID_NO, "do_not_contact": True, "market_fit": Answer.NO},
    )
    await add_people(bot, SELLER, language, per)
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [brief] = await seller.send("/brief per olsen")

    assert brief.text.splitlines() == [
        "📋 Per Olsen",
        w["stage"].format(stage=w["lead"]),
        w["last"].format(outcome=w["said no"]),
        w["dnc"],
        "",
        w["blockers"].format(criteria=w["market fit"]),
        w["notes"],
        w["no_notes"],
        "",
        w["ask"].format(what=w["budget, authority"]),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_other_outcomes_are_named_and_a_sale_made_has_no_blockers(
    bot: Prospekt, language: str
) -> None:
    await add_people(
        bot,
        SELLER,
        language,
        Person("Ola Hansen", {"outcome": Outcome.NOT_READY, "budget": Answer.NO}),
        Person(
            "Kim Berg",
            {"outcome": Outcome.BOUGHT, "budget": Answer.NO, "authority": Answer.NO},
            stage=Stage.CUSTOMER,
        ),
        Person("Eva Lie"),
    )
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [ola] = await seller.send("/brief ola hansen")
    [kim] = await seller.send("/brief kim berg")
    [eva] = await seller.send("/brief eva lie")

    assert ola.text.splitlines()[2] == w["last"].format(outcome=w["not ready"])
    assert w["blockers"].format(criteria=w["budget"]) in ola.text.splitlines()
    assert kim.text.splitlines()[:3] == [
        "📋 Kim Berg",
        w["stage"].format(stage=w["customer"]),
        w["last"].format(outcome=w["bought"]),
    ]
    assert "🚧" not in kim.text and "❌" not in kim.text
    assert eva.text.splitlines()[2] == ""  # no meeting logged yet: nothing said about one
    assert "🚧" not in eva.text


async def test_the_fullest_brief_stays_inside_telegrams_limit(bot: Prospekt) -> None:
    """The longest name and company, many long concerns, long notes, every line there is."""
    long = "Ærlig talt 🧾 " * 400
    name = ("Kari " + "Å" * NAME_MAX)[:NAME_MAX]
    person = Person(
        name,
        {
            "company": "🏢" * (NAME_MAX // 2),
            "phone": "+4791234567",
            "budget": Answer.NO,
            "authority": Answer.NO,
            "market_fit": Answer.NO,
            "outcome": Outcome.SAID_NO,
            "birth_day": oslo_today().day,
            "birth_month": oslo_today().month,
        },
        notes=[(long, T0 + timedelta(days=n)) for n in range(5)],
        concerns=[long] * 9,
        follow_up=FOLLOW_UP,
    )
    await add_people(bot, SELLER, "nb", person)

    [brief] = await bot.user(SELLER, language_code="nb").send("/brief kari")

    lines = brief.text.splitlines()
    assert WORDS["nb"]["last"].format(outcome=WORDS["nb"]["said no, later"]) in lines
    assert (
        WORDS["nb"]["blockers"].format(
            criteria=" · ".join(WORDS["nb"][c] for c in ("market fit", "budget", "authority"))
        )
        in lines
    )
    assert utf16_len(brief.text) < 4096


# --- /find by a word of an open concern ------------------------------------------------------

QUESTION = {
    "en": "Needs the board's approval before spring",
    "nb": "Trenger godkjenning fra styret før våren",
}
WORD = {"en": "APPROVAL", "nb": "GODKJENNING"}  # as a seller types it in a hurry
NOTE = {"en": "Ask about approval dates", "nb": "Spør om godkjenning i mars"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_word_of_an_open_concern_finds_the_contact_marked_as_such(
    bot: Prospekt, language: str
) -> None:
    ids = await add_people(
        bot,
        SELLER,
        language,
        Person("Kari Nordmann", {"company": "Acme AS"}, concerns=[QUESTION[language]]),
        Person("Ola Nordmann", {"company": "Nordlys"}, notes=[(NOTE[language], T0)]),
        Person("Per Olsen"),
    )
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [results] = await seller.send(f"/find {WORD[language]}")

    assert results.text == w["results"].format(query=WORD[language])
    assert sorted(buttons(results)) == [
        ("❓ Kari Nordmann · Acme AS", f"c:{ids['Kari Nordmann']}"),
        ("📝 Ola Nordmann · Nordlys", f"c:{ids['Ola Nordmann']}"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_brief_is_found_by_a_word_of_the_open_concern_alone(
    bot: Prospekt, language: str
) -> None:
    await add_people(
        bot,
        SELLER,
        language,
        Person("Kari Nordmann", {"company": "Acme AS"}, concerns=[QUESTION[language]]),
        Person("Per Olsen"),
    )
    seller, w = bot.user(SELLER, language_code=language), WORDS[language]

    [brief] = await seller.send(f"/brief {WORD[language].lower()}")

    lines = brief.text.splitlines()
    assert lines[0] == "📋 Kari Nordmann · Acme AS"
    assert lines[lines.index(w["concerns"]) + 1] == f"• {QUESTION[language]}"


async def test_answered_and_another_sellers_concerns_find_nobody(bot: Prospekt) -> None:
    await add_people(
        bot, OTHER, "en", Person("Kari Hemmelig", concerns=["Secret approval from the board"])
    )
    ids = await add_people(bot, SELLER, "en", Person("Kari Nordmann"), Person("Per Olsen"))
    concern = await add_concern(bot, SELLER, ids["Kari Nordmann"], "Needs approval")
    seller, w = bot.user(SELLER, language_code="en"), WORDS["en"]
    [brief] = await seller.send("/brief approval")

    await run(bot, lambda s: concerns.resolve_concern(s, owner_id=SELLER, concern_id=concern))
    [answered] = await seller.send("/find approval")
    [secret] = await seller.send("/find secret approval")

    assert brief.text.startswith("📋 Kari Nordmann\n")
    assert answered.text == w["none"].format(query="approval")
    assert secret.text == w["none"].format(query="secret approval")
