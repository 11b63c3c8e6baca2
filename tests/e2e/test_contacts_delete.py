"""Deleting from the card: a confirmation, a real delete of everything the contact had, and
a short Undo that puts every row back as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.vocabulary import InteractionKind, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import alerted, everything, said
from tests.factories import (
    add_concern,
    add_contact,
    add_interaction,
    expire_undo,
    move_stage,
    schedule_reminder,
)
from tests.fakeapi import PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
STALE = {
    "en": "That button is no longer available.",
    "nb": "Den knappen er ikke lenger tilgjengelig.",
}
WORDS = {
    "en": {
        "delete": "🗑 Delete",
        "confirm": "Delete Kari Nordmann with all notes, open questions and reminders? "
        "You can undo it for 10 minutes.",
        "yes": "🗑 Yes, delete",
        "back": "‹ Back",
        "deleted": "🗑 Kari Nordmann · Acme AS is deleted. Changed your mind? "
        "Tap Undo within 10 minutes.",
        "undo": "↩️ Undo",
        "restored": "↩️ Restored, with all notes, open questions and reminders.",
        "too_late": "Too late to undo: the contact is deleted for good.",
    },
    "nb": {
        "delete": "🗑 Slett",
        "confirm": "Slette Kari Nordmann med alle notater, åpne spørsmål og påminnelser? "
        "Du kan angre i 10 minutter.",
        "yes": "🗑 Ja, slett",
        "back": "‹ Tilbake",
        "deleted": "🗑 Kari Nordmann · Acme AS er slettet. Angrer du? "
        "Trykk Angre innen 10 minutter.",
        "undo": "↩️ Angre",
        "restored": "↩️ Gjenopprettet, med alle notater, åpne spørsmål og påminnelser.",
        "too_late": "For sent å angre: kontakten er slettet for godt.",
    },
}
KARIS_TABLES = ("contact", "interaction", "concern", "reminder", "stage_change")


async def kari_with_history(bot: Prospekt, language: str = "en") -> tuple[PhoneUser, int]:
    """Kari with notes, a concern, a follow-up and a stage move, her card on screen."""
    seller = bot.user(1001, language_code=language)
    await seller.send("/contacts")
    kari = await add_contact(bot, 1001, "Kari Nordmann", company="Acme AS")
    now = datetime.now(UTC)
    await move_stage(bot, 1001, kari, Stage.PROSPECT, now)
    await add_interaction(bot, 1001, kari, InteractionKind.MEETING, None, now - timedelta(days=3))
    await add_interaction(
        bot, 1001, kari, InteractionKind.NOTE, "Wants a demo", now - timedelta(days=1)
    )
    await add_concern(bot, 1001, kari, "Too expensive?")
    await schedule_reminder(bot, 1001, kari, now + timedelta(days=7))
    await seller.send("/contacts")
    await seller.press_data(f"c:{kari}")
    return seller, kari


def karis_rows(bot: Prospekt) -> dict[str, list[tuple[object, ...]]]:
    rows = everything(bot)
    return {table: rows[table] for table in KARIS_TABLES}


@LANGUAGES
async def test_delete_asks_first_and_back_keeps_everything(bot: Prospekt, language: str) -> None:
    seller, _ = await kari_with_history(bot, language)
    words, before = WORDS[language], everything(bot)
    shown = seller.last_message
    assert shown is not None

    confirm = said(await seller.press(words["delete"]))
    back = said(await seller.press(words["back"]))

    assert confirm.text == words["confirm"]
    assert confirm.labels == [words["yes"], words["back"]]
    assert (back.text, back.buttons) == (shown.text, shown.buttons)
    assert everything(bot) == before


@LANGUAGES
async def test_delete_takes_every_row_and_undo_puts_them_back_with_the_same_ids(
    bot: Prospekt, language: str
) -> None:
    seller, _ = await kari_with_history(bot, language)
    words, before = WORDS[language], karis_rows(bot)
    shown = seller.last_message
    assert shown is not None
    await seller.press(words["delete"])

    deleted = said(await seller.press(words["yes"]))

    assert deleted.text == words["deleted"]
    assert deleted.labels == [words["undo"]]
    assert all(rows == [] for rows in karis_rows(bot).values()), karis_rows(bot)

    restored = said(await seller.press(words["undo"]))

    assert karis_rows(bot) == before
    assert restored.message_id == deleted.message_id
    assert restored.text == words["restored"] + "\n\n" + shown.text
    assert restored.buttons == shown.buttons
    assert bot.rows("SELECT count(*) FROM undo_item") == [(0,)]


async def test_undo_after_ten_minutes_is_too_late(bot: Prospekt) -> None:
    seller, _ = await kari_with_history(bot, "nb")
    await seller.press("🗑 Slett")
    deleted = said(await seller.press("🗑 Ja, slett"))
    await expire_undo(bot, datetime.now(UTC) - timedelta(seconds=1))

    edits = await seller.press("↩️ Angre")

    assert alerted(seller, WORDS["nb"]["too_late"])
    assert [(m.message_id, m.labels) for m in edits] == [(deleted.message_id, [])]
    assert bot.rows("SELECT count(*) FROM contact") == [(0,)]


async def test_undo_works_once(bot: Prospekt) -> None:
    seller, _ = await kari_with_history(bot)
    await seller.press("🗑 Delete")
    deleted = said(await seller.press("🗑 Yes, delete"))
    undo = deleted.callback_data["↩️ Undo"]
    await seller.press("↩️ Undo")
    before = everything(bot)

    assert await seller.press_data(undo) == []

    assert alerted(seller, STALE["en"])
    assert everything(bot) == before
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]


async def test_the_list_counts_follow_a_delete_and_its_undo(bot: Prospekt) -> None:
    seller, _ = await kari_with_history(bot)
    await seller.press("🗑 Delete")
    await seller.press("🗑 Yes, delete")
    gone = said(await seller.send("/contacts"))
    await seller.press("↩️ Undo", message=seller.messages[-2])

    back = said(await seller.send("/contacts"))

    assert gone.text.startswith("You have no contacts yet.")
    assert back.text.startswith("Your contacts: 1\n")


async def test_deleting_ends_an_open_question_about_the_contact(bot: Prospekt) -> None:
    seller, kari = await kari_with_history(bot)
    card = seller.last_message
    assert card is not None
    await seller.press("✍️ Add note")
    await seller.press("🗑 Delete", message=card)
    await seller.press("🗑 Yes, delete", message=card)

    await seller.send("A note for no one")

    assert bot.rows("SELECT flow FROM conversation_state") == [("kept_names",)], (
        "no question open: the text was searched, and its name kept for New meeting"
    )
    assert bot.rows("SELECT count(*) FROM interaction WHERE contact_id = ?", kari) == [(0,)]


async def test_a_double_tap_on_yes_delete_deletes_once_without_an_apology(bot: Prospekt) -> None:
    seller, _ = await kari_with_history(bot)
    asked = said(await seller.press("🗑 Delete"))
    confirm = asked.callback_data["🗑 Yes, delete"]

    await seller.press_data(confirm, message=asked)
    second = await seller.press_data(confirm, message=asked)  # the same tap, a moment later

    assert all(message.edited for message in second), "no new message"
    assert not any("went wrong" in message.text for message in seller.messages)
    assert bot.rows("SELECT count(*) FROM contact") == [(0,)]
    assert bot.rows("SELECT count(*) FROM undo_item") == [(1,)]
    await seller.press("↩️ Undo", message=asked)
    assert bot.rows("SELECT name FROM contact") == [("Kari Nordmann",)]
