"""/find and bare typed names: one message of buttons to the right cards, best match first
(one match opens its card at once, see also test_find_new_meeting.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.harness import Prospekt
from tests.factories import Person, add_people
from tests.fakeapi import BotMessage, PhoneUser

LANGUAGES = ["en", "nb"]
SELLER, OTHER = 1001, 2002
WORDS = {
    "en": {
        "results": "🔎 Matches for “{query}”:",
        "more": "🔎 The best 8 of {total} matches for “{query}”. Type more to narrow it down.",
        "none": "No contact matches “{query}”. Check the spelling or type part of the name. "
        "Someone new? Add them with /meet.",
        "none_bare": "No contact matches “{query}”. /meet adds someone new; "
        "/help lists what I can do.",
        "ask": "Who are you looking for? Type a name, company, phone number, e-mail "
        "or a word from your notes or open questions.",
        "usage": "To search, type /find and what you remember, for example /find Kari.",
        "stray": "I'm not sure what to do with that. /help lists what I can do.",
    },
    "nb": {
        "results": "🔎 Treff for «{query}»:",
        "more": "🔎 De 8 beste av {total} treff for «{query}». Skriv mer for å snevre inn.",
        "none": "Ingen kontakter passer til «{query}». Sjekk stavemåten eller skriv en del av "
        "navnet. Ny kontakt? Legg til med /meet.",
        "none_bare": "Ingen kontakter passer til «{query}». Med /meet legger du til en ny; "
        "/help viser hva jeg kan.",
        "ask": "Hvem leter du etter? Skriv et navn, firma, telefonnummer, e-post "
        "eller et ord fra notatene eller de åpne spørsmålene dine.",
        "usage": "Skriv /find og det du husker for å søke, for eksempel /find Kari.",
        "stray": "Det vet jeg ikke hva jeg skal gjøre med. /help viser hva jeg kan.",
    },
}
NEW_MEETING = {"en": "➕ New meeting with {name}", "nb": "➕ Nytt møte med {name}"}
T0 = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BOOK = [
    Person(
        "Kari Nordmann",
        {"company": "Acme AS", "phone": "+4791234567", "email": "kari@acme.no"},
        notes=[("Bekymret for prisen på lisensene", T0)],
    ),
    Person("Ola Nordmann", {"company": "Nordlys"}),
    Person("Kåre Ødegård", {"company": "Fjordkraft"}),
    Person("Per Olsen"),
]


async def book(bot: Prospekt, language: str) -> tuple[PhoneUser, dict[str, int]]:
    ids = await add_people(bot, SELLER, language, *BOOK)
    return bot.user(SELLER, language_code=language), ids


def buttons(message: BotMessage) -> list[tuple[str, str]]:
    """(label, callback data) of each button, top to bottom."""
    return [(b["text"], b["callback_data"]) for row in message.inline_keyboard for b in row]


def first_contact(message: BotMessage) -> int:
    """The contact a reply leads to: the card's own (its Log meeting button names it), or
    the best match of a list."""
    data = buttons(message)[0][1]
    return int(data.removeprefix("m:start:") if data.startswith("m:") else data.removeprefix("c:"))


def card_of(message: BotMessage) -> int | None:
    """The contact whose card the message is, None for anything else."""
    data = buttons(message)[0][1] if message.inline_keyboard else ""
    return int(data.removeprefix("m:start:")) if data.startswith("m:start:") else None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_find_lists_matches_as_card_buttons_best_first(bot: Prospekt, language: str) -> None:
    seller, ids = await book(bot, language)

    [results] = await seller.send("/find nordman")

    assert results.text == WORDS[language]["results"].format(query="nordman")
    assert buttons(results) == [
        ("Kari Nordmann · Acme AS", f"c:{ids['Kari Nordmann']}"),
        ("Ola Nordmann · Nordlys", f"c:{ids['Ola Nordmann']}"),
    ]
    assert [len(row) for row in results.inline_keyboard] == [1, 1]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Kari Nordmnn", "Kari Nordmann"),
        ("kare odegard", "Kåre Ødegård"),
        ("Ødegaard", "Kåre Ødegård"),
        ("912 34 567", "Kari Nordmann"),
        ("acme", "Kari Nordmann"),
        ("kari@acme.no", "Kari Nordmann"),
    ],
)
async def test_a_bare_typed_name_is_searched_like_find(
    bot: Prospekt, typed: str, first: str
) -> None:
    seller, ids = await book(bot, "en")

    [by_text] = await seller.send(typed)
    [by_command] = await seller.send(f"/find {typed}")

    assert first_contact(by_text) == ids[first]
    assert (by_text.text, buttons(by_text)) == (by_command.text, buttons(by_command))


async def test_a_word_from_the_notes_finds_the_contact_marked_as_a_note_match(
    bot: Prospekt,
) -> None:
    ids = await add_people(bot, SELLER, "nb", *BOOK, Person("Line Prisen"))
    seller = bot.user(SELLER, language_code="nb")

    [results] = await seller.send("/find PRISEN")

    assert sorted(buttons(results)) == [
        ("Line Prisen", f"c:{ids['Line Prisen']}"),
        ("📝 Kari Nordmann · Acme AS", f"c:{ids['Kari Nordmann']}"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_nothing_found_says_so_with_a_hint(bot: Prospekt, language: str) -> None:
    seller, _ = await book(bot, language)

    [by_command] = await seller.send("/find Zyxwvu")
    [by_text] = await seller.send("Zyxwvu")

    assert by_command.text == WORDS[language]["none"].format(query="Zyxwvu")
    assert by_text.text == WORDS[language]["none_bare"].format(query="Zyxwvu")
    assert [label for label, _ in buttons(by_command) + buttons(by_text)] == [
        NEW_MEETING[language].format(name="Zyxwvu")
    ] * 2


async def test_html_in_names_and_queries_is_shown_as_typed(bot: Prospekt) -> None:
    hostile = '<b>&"'
    ids = await add_people(bot, SELLER, "en", Person(hostile, {"company": "<i>AS</i>"}))
    seller = bot.user(SELLER, language_code="en")

    [card] = await seller.send(f"/find {hostile}")
    [none] = await seller.send("/find <u>Zyxwvu&")

    assert card.text.splitlines()[0] == f"{hostile} · <i>AS</i>"
    assert card_of(card) == ids[hostile]
    assert none.text == WORDS["en"]["none"].format(query="<u>Zyxwvu&")
    assert buttons(none)[0][0] == NEW_MEETING["en"].format(name="<u>Zyxwvu&")


async def test_another_sellers_contacts_and_notes_never_appear(bot: Prospekt) -> None:
    await add_people(
        bot,
        OTHER,
        "en",
        Person("Kari Hemmelig", {"phone": "+4798765432"}, notes=[("Secret price deal", T0)]),
    )
    seller, ids = await book(bot, "en")

    [kari] = await seller.send("/find kari")
    [surname] = await seller.send("/find Hemmelig")
    [phone] = await seller.send("/find 987 65 432")
    [note] = await seller.send("/find secret price")

    assert buttons(kari)[0] == ("Kari Nordmann · Acme AS", f"c:{ids['Kari Nordmann']}")
    assert {data for _, data in buttons(kari)} <= {f"c:{i}" for i in ids.values()}
    assert surname.text == WORDS["en"]["none"].format(query="Hemmelig")
    assert phone.text == WORDS["en"]["none"].format(query="987 65 432")
    assert note.text == WORDS["en"]["none"].format(query="secret price")


async def test_many_matches_show_the_best_eight_and_how_many_there_are(bot: Prospekt) -> None:
    people = [Person(f"Hansen {n:02d}") for n in range(12)] + [Person("Kari Hansen")]
    ids = await add_people(bot, SELLER, "en", *people)
    seller = bot.user(SELLER, language_code="en")

    [results] = await seller.send("/find kari hansen")
    [many] = await seller.send("/find hansen")

    assert buttons(results)[0] == ("Kari Hansen", f"c:{ids['Kari Hansen']}")
    assert many.text == WORDS["en"]["more"].format(total=13, query="hansen")
    assert len(buttons(many)) == 8


@pytest.mark.parametrize("language", LANGUAGES)
async def test_find_alone_asks_and_the_answer_is_searched(bot: Prospekt, language: str) -> None:
    seller, ids = await book(bot, language)

    await seller.send("/find")
    [question] = await seller.send("/find")
    [results] = await seller.send("Per")
    [again] = await seller.send("Per")

    assert question.text == WORDS[language]["ask"]
    assert card_of(results) == ids["Per Olsen"], "the one match opens at once"
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]
    assert buttons(again) == buttons(results)


async def test_find_alone_during_a_meeting_moves_on_to_the_search(bot: Prospekt) -> None:
    """A new command closes the meeting (everything in it is saved) and does its own job."""
    seller, _ = await book(bot, "en")
    await seller.send("/meet")

    [ask] = await seller.send("/find")

    assert ask.text == WORDS["en"]["ask"]
    assert bot.rows("SELECT flow FROM conversation_state") == [("find",)]


async def test_a_long_message_is_not_taken_for_a_name(bot: Prospekt) -> None:
    seller, _ = await book(bot, "nb")

    [pointer] = await seller.send("Husk å ringe tilbake om prisen på lisensene neste uke")
    [two_lines] = await seller.send("Kari\nNordmann")

    assert pointer.text == two_lines.text == WORDS["nb"]["stray"]
