"""/meet, the ways in: the command, a name after it, the menu button, a shared contact card,
a forwarded message; and an existing contact offered before a duplicate is made."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage, PhoneUser

PLUS = "\N{HEAVY PLUS SIGN}"  # the label prefix of "New meeting" / "New contact"

ASK_NAME = {
    "en": "Who did you meet? Type their name. Add the company after a comma if you like: "
    "Kari Nordmann, Acme AS",
    "nb": "Hvem møtte du? Skriv navnet. Legg gjerne til firma etter et komma: "
    "Kari Nordmann, Acme AS",
}
FIRST_QUESTION = {
    "en": "❔ Market fit · ❔ Budget · ❔ Decision-maker\n\n"
    "1/3 Does {name} fit your target market?",
    "nb": "❔ Målgruppe · ❔ Budsjett · ❔ Beslutter\n\n1/3 Er {name} i målgruppen din?",
}
CRITERION_LABELS = {
    "en": ["✅ Yes", "❌ No", "🤷 Not sure", "‹ Back"],
    "nb": ["✅ Ja", "❌ Nei", "🤷 Vet ikke", "‹ Tilbake"],
}
NEW_MEETING = {"en": PLUS + " New meeting", "nb": PLUS + " Nytt møte"}
YES = {"en": "✅ Yes", "nb": "✅ Ja"}
NO_FOLLOW_UP = {"en": "No follow-up", "nb": "Ingen oppfølging"}
SKIP = {"en": "Skip", "nb": "Hopp over"}
ZONE_YES = {"en": "✅ Yes, Europe/Oslo", "nb": "✅ Ja, Europe/Oslo"}
SIMILAR = {
    "en": "You already have contacts like “{name}”. Is it one of them?",
    "nb": "Du har allerede kontakter som ligner på «{name}». Er det en av disse?",
}
NEW_CONTACT = {"en": PLUS + " New contact: {name}", "nb": PLUS + " Ny kontakt: {name}"}
SAME = {
    "en": "You already have {who}. Is it the same person?",
    "nb": "Du har allerede {who}. Er det samme person?",
}
YES_SAME = {"en": "✅ Yes, same person", "nb": "✅ Ja, samme person"}
SOMEONE_NEW = {"en": PLUS + " No, someone new", "nb": PLUS + " Nei, en ny kontakt"}

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])


async def finish_quickly(seller: PhoneUser, language: str) -> str:
    """Yes to all three, no follow-up, no birthday: the summary card's text."""
    for _ in range(3):
        await seller.press(YES[language])
    await seller.press(NO_FOLLOW_UP[language])
    card = said(await seller.press(SKIP[language]))
    return card.text


async def add_contact(bot: Prospekt, seller: PhoneUser, name: str) -> None:
    """A contact the seller already has (a meeting logged and left)."""
    await seller.send(f"/meet {name}")
    await seller.send("/cancel")
    assert bot.rows("SELECT count(*) FROM contact WHERE name = ?", name.split(",")[0]) == [(1,)]


def said(replies: list[BotMessage]) -> BotMessage:
    """What the bot answered: its one new message, or else the edit of the pressed message
    (an edit that only takes the buttons off an older question is not an answer)."""
    new = [message for message in replies if not message.edited]
    assert len(new) <= 1, replies
    assert replies, "the bot said nothing"
    return new[0] if new else replies[0]


# --- /meet and /meet <name> --------------------------------------------------------------


@LANGUAGES
async def test_meet_asks_for_the_name_then_asks_the_first_criterion(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, first_name="Sam", language_code=language)

    ask = said(await seller.send("/meet"))
    question = said(await seller.send("Kari Nordmann, Acme AS"))

    assert ask.text == ASK_NAME[language]
    assert ask.labels == []
    assert question.text == FIRST_QUESTION[language].format(name="Kari Nordmann")
    assert question.labels == CRITERION_LABELS[language]
    assert bot.rows("SELECT name, company, stage, owner_id FROM contact") == [
        ("Kari Nordmann", "Acme AS", "lead", 1001)
    ]
    assert bot.rows("SELECT kind FROM interaction") == [("meeting",)], "the meeting is logged"
    assert bot.rows("SELECT last_contacted_at IS NOT NULL FROM contact") == [(1,)]


@LANGUAGES
async def test_meet_with_a_name_skips_the_name_question(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)

    question = said(await seller.send("/meet Kari Nordmann"))

    assert question.text == FIRST_QUESTION[language].format(name="Kari Nordmann")
    assert bot.rows("SELECT name, company FROM contact") == [("Kari Nordmann", None)]


# --- the persistent "New meeting" button -------------------------------------------------


@LANGUAGES
async def test_new_meeting_button_is_on_the_keyboard_once_onboarding_is_done(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, first_name="Sam", language_code=language)
    await seller.send("/start")
    await seller.press(ZONE_YES[language])

    assert seller.reply_keyboard == [[NEW_MEETING[language]]], seller.transcript()
    ask = said(await seller.tap_reply_button(NEW_MEETING[language]))

    assert ask.text == ASK_NAME[language]


@pytest.mark.parametrize("language", ["nb"])
async def test_help_mentions_meet_and_brings_the_new_meeting_button_back(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)

    help_text = said(await seller.send("/help"))

    assert "/meet" in help_text.text, "the main feature is missing from /help"
    assert seller.reply_keyboard == [[NEW_MEETING[language]]], seller.transcript()


@pytest.mark.parametrize("language", ["nb"])
async def test_the_new_meeting_label_starts_a_meeting_in_either_language(
    bot: Prospekt, language: str
) -> None:
    """What the button sends; the other language's label works too (after a language switch
    the old keyboard may still be on the phone)."""
    seller = bot.user(1001, language_code=language)
    other = "nb" if language == "en" else "en"

    ask = said(await seller.send(NEW_MEETING[language]))
    await seller.send("/cancel")
    again = said(await seller.send(NEW_MEETING[other]))

    assert ask.text == again.text == ASK_NAME[language]


# --- a shared contact card ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en"])
async def test_shared_contact_card_prefills_name_and_phone(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)

    question = said(await seller.share_contact("4791234567", "Kari", "Nordmann", user_id=555))

    assert question.text == FIRST_QUESTION[language].format(name="Kari Nordmann")
    assert bot.rows("SELECT name, phone, source FROM contact") == [
        ("Kari Nordmann", "+4791234567", "contact")
    ]
    card = await finish_quickly(seller, language)
    assert "📞 +4791234567" in card.splitlines()


async def test_shared_card_of_a_known_person_adds_the_phone_to_the_existing_contact(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    await add_contact(bot, seller, "Kari Nordmann")

    offer = said(await seller.share_contact("+47 912 34 567", "Kari", "Nordmann"))
    assert offer.text == SAME["en"].format(who="Kari Nordmann")
    question = said(await seller.press(YES_SAME["en"]))

    assert question.edited
    assert question.text.endswith("1/3 Does Kari Nordmann fit your target market?")
    assert bot.rows("SELECT name, phone FROM contact") == [("Kari Nordmann", "+4791234567")]


async def test_shared_card_with_an_unusable_number_still_starts_the_meeting(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")

    question = said(await seller.share_contact("12", "Kari"))

    assert question.text == FIRST_QUESTION["en"].format(name="Kari")
    assert bot.rows("SELECT name, phone FROM contact") == [("Kari", None)]


# --- a forwarded message -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en"])
async def test_forwarded_message_prefills_the_name_and_keeps_the_text(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    words = "Can you send me the price list? <b>Before</b> Friday & not later"

    question = said(await seller.forward_from(words, first_name="Ola", last_name="Hansen"))

    assert question.text == FIRST_QUESTION[language].format(name="Ola Hansen")
    assert bot.rows("SELECT name, source FROM contact") == [("Ola Hansen", "forward")]
    assert bot.rows("SELECT kind, text FROM interaction ORDER BY id") == [
        ("meeting", None),
        ("message", words),
    ]
    card = await finish_quickly(seller, language)
    assert f"· Message: {words}" in card, "shown exactly as written"


async def test_forward_from_a_hidden_account_uses_the_name_telegram_shows(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="nb")

    forwarded = seller.forward_from("Ring meg i morgen", first_name="Per Persen", hidden=True)
    question = said(await forwarded)

    assert question.text == FIRST_QUESTION["nb"].format(name="Per Persen")
    assert bot.rows(
        "SELECT c.name, i.text FROM contact c JOIN interaction i "
        "ON i.contact_id = c.id WHERE i.kind = 'message'"
    ) == [("Per Persen", "Ring meg i morgen")]


async def test_forward_from_a_known_person_keeps_the_text_on_the_chosen_contact(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    await add_contact(bot, seller, "Ola Hansen")

    offer = said(await seller.forward_from("Still thinking", first_name="Ola", last_name="Hansen"))
    assert offer.text == SAME["en"].format(who="Ola Hansen")
    assert offer.labels == [YES_SAME["en"], SOMEONE_NEW["en"]]
    await seller.press(YES_SAME["en"])

    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]
    assert bot.rows("SELECT text FROM interaction WHERE kind = 'message'") == [("Still thinking",)]


# --- a similar contact is offered before a duplicate is made -----------------------------


@LANGUAGES
async def test_a_similar_name_offers_the_existing_contact_first(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await add_contact(bot, seller, "Kari Nordmann, Acme AS")
    await seller.send("/meet")

    offer = said(await seller.send("Kari"))

    assert offer.text == SAME[language].format(who="Kari Nordmann · Acme AS")
    assert offer.labels == [YES_SAME[language], SOMEONE_NEW[language]]
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)], "nothing created yet"


@LANGUAGES
async def test_several_close_names_are_listed_to_pick_from(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)
    await add_contact(bot, seller, "Kari Nordmann, Acme AS")
    await seller.send("/meet Kari Hansen")  # a look-alike of Kari Nordmann: made on purpose
    await seller.press(NEW_CONTACT[language].format(name="Kari Hansen"))
    await seller.send("/cancel")

    offer = said(await seller.send("/meet Kari"))

    assert offer.text == SIMILAR[language].format(name="Kari")
    assert offer.labels == [
        "Kari Hansen",
        "Kari Nordmann · Acme AS",
        NEW_CONTACT[language].format(name="Kari"),
    ]


async def test_choosing_new_contact_creates_a_second_one(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await add_contact(bot, seller, "Kari Nordmann, Acme AS")
    await seller.send("/meet Kari")

    question = said(await seller.press(SOMEONE_NEW["en"]))

    assert question.edited
    assert question.text == FIRST_QUESTION["en"].format(name="Kari")
    assert bot.rows("SELECT name, company FROM contact ORDER BY id") == [
        ("Kari Nordmann", "Acme AS"),
        ("Kari", None),
    ]


async def test_choosing_the_existing_contact_creates_none(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="nb")
    await add_contact(bot, seller, "Kari Nordmann, Acme AS")
    await seller.send("/meet Kari")

    question = said(await seller.press(YES_SAME["nb"]))

    assert question.text == FIRST_QUESTION["nb"].format(name="Kari Nordmann")
    assert bot.rows("SELECT name FROM contact") == [("Kari Nordmann",)]
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'meeting'") == [(2,)]


async def test_another_sellers_contacts_are_never_offered(bot: Prospekt) -> None:
    first = bot.user(1001, language_code="en")
    await add_contact(bot, first, "Kari Nordmann, Acme AS")
    second = bot.user(1002, language_code="en")

    question = said(await second.send("/meet Kari"))

    assert question.text == FIRST_QUESTION["en"].format(name="Kari")
    assert "Nordmann" not in second.transcript()
