"""Each button of the contact card: what the seller sees next and what the database keeps."""

from __future__ import annotations

import pytest

from storage.vocabulary import Answer, InteractionKind, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import add_concern, add_contact, add_interaction, now
from tests.fakeapi import BotMessage, PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
WORDS = {
    "en": {
        "note": "✍️ Add note",
        "ask_note": "Type your note about Kari Nordmann. Start with ? for a question or objection "
        "to answer later. /cancel to stop.",
        "note_saved": "📝 Note saved on Kari Nordmann.",
        "concern_saved": "❓ Open question saved on Kari Nordmann.",
        "concerns": "❓ Open questions ({n})",
        "no_concerns": "❓ Open questions",
        "edit": "✏️ Edit",
        "phone": "📞 Phone",
        "email": "✉️ E-mail",
        "ask_phone": "Type the phone number of Kari Nordmann, for example 912 34 567 or "
        "+46 70 123 45 67. /cancel to stop.",
        "bad_phone": "“12” does not look like a phone number. Try 912 34 567 or +47 912 34 567.",
        "phone_saved": "✅ Phone number saved: +4791234567",
        "remove_phone": "🗑 Remove the phone number",
        "phone_removed": "🗑 Phone number removed.",
        "bad_email": "“kari@acme” does not look like an e-mail address. "
        "Try something like kari@firma.no.",
        "email_saved": "✅ E-mail address saved: kari@acme.no",
        "resolved": "✅ Marked as answered",
        "new_concern": "➕ New question",
        "ask_concern": "What question or objection did Kari Nordmann raise? /cancel to stop.",
        "back": "‹ Back",
    },
    "nb": {
        "note": "✍️ Legg til notat",
        "ask_note": "Skriv notatet om Kari Nordmann. Start med ? for et spørsmål eller en "
        "innvending du skal svare på senere. /cancel for å avbryte.",
        "note_saved": "📝 Notat lagret på Kari Nordmann.",
        "concern_saved": "❓ Åpent spørsmål lagret på Kari Nordmann.",
        "concerns": "❓ Åpne spørsmål ({n})",
        "no_concerns": "❓ Åpne spørsmål",
        "edit": "✏️ Endre",
        "phone": "📞 Telefon",
        "email": "✉️ E-post",
        "ask_phone": "Skriv telefonnummeret til Kari Nordmann, for eksempel 912 34 567 eller "
        "+46 70 123 45 67. /cancel for å avbryte.",
        "bad_phone": "«12» ser ikke ut som et telefonnummer. Prøv 912 34 567 eller +47 912 34 567.",
        "phone_saved": "✅ Telefonnummeret er lagret: +4791234567",
        "remove_phone": "🗑 Fjern telefonnummeret",
        "phone_removed": "🗑 Telefonnummeret er fjernet.",
        "bad_email": "«kari@acme» ser ikke ut som en e-postadresse. Prøv noe som kari@firma.no.",
        "email_saved": "✅ E-postadressen er lagret: kari@acme.no",
        "resolved": "✅ Merket som besvart",
        "new_concern": "➕ Nytt spørsmål",
        "ask_concern": "Hvilket spørsmål eller hvilken innvending kom Kari Nordmann med? "
        "/cancel for å avbryte.",
        "back": "‹ Tilbake",
    },
}


async def card_of_kari(bot: Prospekt, language: str = "en", **fields: object) -> PhoneUser:
    """A seller looking at Kari's card (a lead who fits the market and can afford it)."""
    seller = bot.user(1001, language_code=language)
    await seller.send("/contacts")
    fields = {"market_fit": Answer.YES, "budget": Answer.YES, **fields}
    kari = await add_contact(bot, 1001, "Kari Nordmann", **fields)
    await seller.send("/contacts")
    said(await seller.press_data(f"c:{kari}"))
    return seller


def card(seller: PhoneUser) -> BotMessage:
    found = seller.last_message
    assert found is not None
    return found


# --- the meeting's ways in -----------------------------------------------------------------


async def test_log_meeting_starts_the_meeting_and_asks_only_what_is_unknown(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)

    question = said(await seller.press("🤝 Log meeting"))

    assert question.text.endswith("1/1 Can Kari Nordmann make the purchase decision?")
    assert bot.rows("SELECT kind FROM interaction") == [("meeting",)]


async def test_move_stage_asks_how_it_went(bot: Prospekt) -> None:
    seller = await card_of_kari(bot, stage=Stage.PROSPECT, authority=Answer.YES)

    question = said(await seller.press("🔀 Move stage"))
    said(await seller.press("💰 Bought"))

    assert question.text == "How did it go with Kari Nordmann?"
    assert bot.rows("SELECT stage FROM contact") == [("customer",)]


async def test_set_follow_up_asks_when(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)

    question = said(await seller.press("⏰ Set follow-up"))
    said(await seller.press("Tomorrow"))

    assert question.text.endswith("When will you follow up?")
    assert bot.rows("SELECT kind, status FROM reminder") == [("follow_up", "pending")]


async def test_all_notes_shows_every_note_in_full(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)
    await seller.press("✍️ Add note")
    await seller.send("Wants a demo")

    notes = said(await seller.press("📝 All notes"))

    assert notes.text == "📝 Notes about Kari Nordmann (1/1)\nWants a demo"


@pytest.mark.parametrize(
    ("label", "asked"),
    [
        ("✏️ Name", "What should Kari Nordmann be called?"),
        ("✏️ Company", "Which company is Kari Nordmann with?"),
        ("✏️ Birthday", "When is Kari Nordmann's birthday?"),
        ("✏️ Qualification", "1/3 Does Kari Nordmann fit your target market?"),
    ],
)
async def test_edit_offers_the_meetings_own_questions(
    bot: Prospekt, label: str, asked: str
) -> None:
    seller = await card_of_kari(bot)
    menu = said(await seller.press("✏️ Edit"))

    question = said(await seller.press(label))

    assert menu.labels == [
        "✏️ Name",
        "✏️ Company",
        "📞 Phone",
        "✉️ E-mail",
        "✏️ Birthday",
        "✏️ Qualification",
        "‹ Back",
    ]
    assert menu.text.endswith("\n\nWhat do you want to change?")
    assert asked in question.text


async def test_back_from_edit_shows_the_card_again(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)
    before = card(seller)
    await seller.press("✏️ Edit")

    again = said(await seller.press("‹ Back"))

    assert (again.text, again.buttons) == (before.text, before.buttons)
    assert again.message_id == before.message_id


# --- notes and concerns ------------------------------------------------------------------


@LANGUAGES
async def test_add_note_saves_it_and_shows_the_card_with_it(bot: Prospekt, language: str) -> None:
    seller = await card_of_kari(bot, language)
    words = WORDS[language]

    ask = said(await seller.press(words["note"]))
    updated = said(await seller.send("Wants a demo <b>before</b> Friday & more"))

    assert ask.text == words["ask_note"]
    assert updated.text.startswith(words["note_saved"] + "\n\nKari Nordmann\n")
    assert ": Wants a demo <b>before</b> Friday & more" in updated.text
    assert bot.rows("SELECT kind, text FROM interaction") == [
        ("note", "Wants a demo <b>before</b> Friday & more")
    ]
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


@LANGUAGES
async def test_a_note_starting_with_a_question_mark_is_a_concern(
    bot: Prospekt, language: str
) -> None:
    seller = await card_of_kari(bot, language)
    words = WORDS[language]
    await seller.press(words["note"])

    updated = said(await seller.send("?Is shipping included"))

    assert updated.text.startswith(words["concern_saved"])
    assert words["concerns"].format(n=1) in updated.labels
    assert bot.rows("SELECT text, status FROM concern") == [("Is shipping included", "open")]
    assert bot.rows("SELECT count(*) FROM interaction") == [(0,)]


@LANGUAGES
async def test_concerns_are_marked_answered_one_by_one(bot: Prospekt, language: str) -> None:
    seller = await card_of_kari(bot, language)
    words = WORDS[language]
    kari = bot.rows("SELECT id FROM contact")[0][0]
    await add_concern(bot, 1001, kari, "Too expensive?")
    await add_concern(bot, 1001, kari, "Delivery <b>time</b>?")
    await seller.send("/contacts")
    await seller.press_data(f"c:{kari}")

    listed = said(await seller.press(words["concerns"].format(n=2)))
    after = said(await seller.press("✅ 1"))

    assert listed.text.splitlines()[1:3] == ["1. Too expensive?", "2. Delivery <b>time</b>?"]
    assert listed.labels == ["✅ 1", "✅ 2", words["new_concern"], words["back"]]
    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.text == words["resolved"]
    assert after.text.splitlines()[1] == "1. Delivery <b>time</b>?"
    assert bot.rows("SELECT text, status FROM concern ORDER BY id") == [
        ("Too expensive?", "resolved"),
        ("Delivery <b>time</b>?", "open"),
    ]
    back = said(await seller.press(words["back"]))
    assert words["concerns"].format(n=1) in back.labels


async def test_a_new_concern_can_be_added_from_the_list(bot: Prospekt) -> None:
    seller = await card_of_kari(bot, "nb")
    words = WORDS["nb"]
    empty = said(await seller.press(words["no_concerns"]))

    ask = said(await seller.press(words["new_concern"]))
    updated = said(await seller.send("Når kan de levere?"))

    assert empty.text == "Kari Nordmann har ingen åpne spørsmål."
    assert ask.text == words["ask_concern"]
    assert updated.text.startswith(words["concern_saved"])
    assert bot.rows("SELECT text FROM concern") == [("Når kan de levere?",)]


# --- phone and e-mail --------------------------------------------------------------------


@LANGUAGES
async def test_a_phone_number_is_checked_and_kept_in_international_form(
    bot: Prospekt, language: str
) -> None:
    seller = await card_of_kari(bot, language)
    words = WORDS[language]
    await seller.press(words["edit"])

    ask = said(await seller.press(words["phone"]))
    wrong = said(await seller.send("12"))
    saved = said(await seller.send("912 34 567"))

    assert ask.text == words["ask_phone"]
    assert ask.labels == [], "nothing to remove yet"
    assert wrong.text == words["bad_phone"]
    assert saved.text.startswith(words["phone_saved"] + "\n\n")
    assert "📞 +4791234567" in saved.text.splitlines()
    assert bot.rows("SELECT phone FROM contact") == [("+4791234567",)]


async def test_a_phone_number_can_be_removed(bot: Prospekt) -> None:
    seller = await card_of_kari(bot, "nb", phone="+4791234567")
    words = WORDS["nb"]
    await seller.press(words["edit"])

    ask = said(await seller.press(words["phone"]))
    removed = said(await seller.press(words["remove_phone"]))

    assert ask.text == words["ask_phone"] + "\nNå: +4791234567"
    assert removed.message_id == ask.message_id
    assert removed.text.startswith(words["phone_removed"] + "\n\nKari Nordmann\n")
    assert bot.rows("SELECT phone FROM contact") == [(None,)]
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)], "no longer asked"


@LANGUAGES
async def test_an_email_address_is_checked_simply(bot: Prospekt, language: str) -> None:
    seller = await card_of_kari(bot, language)
    words = WORDS[language]
    await seller.press(words["edit"])
    await seller.press(words["email"])

    wrong = said(await seller.send("kari@acme"))
    saved = said(await seller.send("kari@acme.no"))

    assert wrong.text == words["bad_email"]
    assert saved.text.startswith(words["email_saved"])
    assert saved.text.splitlines()[-1] == "✉️ kari@acme.no"
    assert bot.rows("SELECT email FROM contact") == [("kari@acme.no",)]


async def test_an_email_address_can_be_removed(bot: Prospekt) -> None:
    seller = await card_of_kari(bot, email="kari@acme.no")
    await seller.press("✏️ Edit")
    await seller.press("✉️ E-mail")

    removed = said(await seller.press("🗑 Remove the e-mail address"))

    assert removed.text.startswith("🗑 E-mail address removed.")
    assert bot.rows("SELECT email FROM contact") == [(None,)]


# --- a card question and other conversations ------------------------------------------------


async def test_cancel_stops_the_question_and_the_next_text_is_not_saved(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)
    await seller.press("✍️ Add note")

    stopped = said(await seller.send("/cancel"))
    await seller.send("Just thinking aloud")

    assert stopped.text == "Stopped. Everything you saved before is kept."
    assert bot.rows("SELECT count(*) FROM interaction") == [(0,)]


async def test_a_note_from_a_card_mid_meeting_leaves_the_meeting_open(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)
    kari = bot.rows("SELECT id FROM contact")[0][0]
    await seller.send("/meet Ola Hansen")
    await seller.press("✅ Yes")
    await seller.press_data(f"c:{kari}:note")

    updated = said(await seller.send("Call back about pricing"))

    assert updated.text.endswith("The meeting with Ola Hansen is still open: just carry on typing.")
    assert bot.rows(
        "SELECT c.name, i.text FROM interaction i JOIN contact c "
        "ON c.id = i.contact_id WHERE i.kind = 'note'"
    ) == [("Kari Nordmann", "Call back about pricing")]
    resumed = said(await seller.send("yes"))
    assert resumed.text.endswith("3/3 Can Ola Hansen make the purchase decision?")


async def test_a_long_history_of_notes_comes_as_one_file_not_a_flood(bot: Prospekt) -> None:
    seller = await card_of_kari(bot)
    [(kari,)] = bot.rows("SELECT id FROM contact")
    for n in range(40):
        await add_interaction(
            bot, 1001, kari, InteractionKind.NOTE, f"Note {n}: " + "long words " * 60, now()
        )
    card = said(await seller.send("/find Kari Nordmann"))

    sent = await seller.press("📝 All notes", message=card)

    assert len(sent) == 1, "one message, whatever the history"
    [document] = sent
    assert document.file is not None and document.file.file_name == f"notes-{kari}.txt"
    assert document.text == "📝 All 40 notes about Kari Nordmann, newest first, in one file."
    assert document.file.data.decode().count("Note ") == 40
