"""Reply to add: Telegram's Reply on a card, a brief or a nudge adds the text to that contact,
whatever else is open; a short text that reads as a date is offered as the follow-up."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.e2e.test_nudges import DIGEST, nudged, seller_with_kari
from tests.fakeapi import BotMessage, PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
SAVED = {"en": "📝 Note saved on Kari Nordmann.", "nb": "📝 Notat lagret på Kari Nordmann."}


@pytest.fixture
def now() -> datetime:
    return DIGEST


async def kari_card(seller: PhoneUser) -> BotMessage:
    """Kari's card, found by name (one hit opens it; a list is tapped)."""
    found = said(await seller.send("/find Kari"))
    if found.labels[:1] == ["Kari Nordmann · Acme AS"]:
        found = said(await seller.press(found.labels[0]))
    assert found.text.startswith("Kari Nordmann · Acme AS\n"), found.text
    return found


async def follow_up_replied(
    bot: Prospekt, language: str, typed: str
) -> tuple[PhoneUser, BotMessage, BotMessage]:
    """The seller replies `typed` to Kari's card and takes the follow-up it offers: the
    seller, the offer, and the card after the press."""
    seller, _ = await seller_with_kari(bot, language)
    offer = said(await seller.reply_to(await kari_card(seller), typed))
    return seller, offer, said(await seller.press(offer.labels[0]))


def notes_on(bot: Prospekt) -> list[tuple[str, str]]:
    return bot.rows(
        "SELECT c.name, i.text FROM interaction i JOIN contact c ON c.id = i.contact_id "
        "WHERE i.kind = 'note' ORDER BY i.id"
    )


@LANGUAGES
async def test_a_reply_to_a_card_is_a_note_on_that_contact_even_mid_meeting(
    bot: Prospekt, language: str
) -> None:
    seller, _ = await seller_with_kari(bot, language)
    card = await kari_card(seller)
    await seller.send("/meet Ola Hansen")  # a meeting with someone else is open

    updated = said(await seller.reply_to(card, "Wants a demo for five"))

    assert updated.text.startswith(SAVED[language])
    assert notes_on(bot) == [("Kari Nordmann", "Wants a demo for five")]
    assert bot.rows("SELECT flow FROM conversation_state") == [("meet",)], "Ola's stays open"


@LANGUAGES
async def test_a_reply_to_a_brief_is_a_note_on_that_contact(bot: Prospekt, language: str) -> None:
    seller, _ = await seller_with_kari(bot, language)
    brief = said(await seller.send("/brief Kari"))

    said(await seller.reply_to(brief, "Bring the price list"))

    assert notes_on(bot) == [("Kari Nordmann", "Bring the price list")]


@LANGUAGES
async def test_a_reply_to_a_nudge_is_a_note_on_that_contact(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, _, nudge = await nudged(bot, clock, language)

    updated = said(await seller.reply_to(nudge, "Called, no answer"))

    assert updated.text.startswith(SAVED[language])
    assert notes_on(bot) == [("Kari Nordmann", "Called, no answer")]


@LANGUAGES
async def test_a_reply_that_reads_as_a_date_is_offered_as_the_follow_up(
    bot: Prospekt, language: str
) -> None:
    typed = {"en": "next friday 10am", "nb": "neste fredag kl 10"}[language]

    _, offer, dated = await follow_up_replied(bot, language, typed)

    when = {"en": "Friday 19 March 2027, 10:00", "nb": "fredag 19. mars 2027, 10:00"}[language]
    assert offer.labels[0].endswith(when)
    follow = {"en": "✅ Follow-up with Kari Nordmann: ", "nb": "✅ Oppfølging av Kari Nordmann: "}
    assert dated.text.startswith(follow[language] + when)
    assert bot.rows(
        "SELECT due_at, exact_time FROM reminder WHERE kind = 'follow_up' AND status = 'pending'"
    ) == [("2027-03-19 09:00:00.000000", 1)]
    assert notes_on(bot) == []


async def test_the_date_can_be_kept_as_a_note_instead(bot: Prospekt) -> None:
    seller, _ = await seller_with_kari(bot, "en")
    card = await kari_card(seller)

    offer = said(await seller.reply_to(card, "next friday 10am"))
    said(await seller.press(offer.labels[1]))

    assert notes_on(bot) == [("Kari Nordmann", "next friday 10am")]


ANSWERS = {"en": {"yes": "Yes", "no": "no"}, "nb": {"yes": "Ja", "no": "nei"}}


def pending_follow_ups(bot: Prospekt) -> list[tuple[str]]:
    return bot.rows("SELECT due_at FROM reminder WHERE kind = 'follow_up' AND status = 'pending'")


@LANGUAGES
@pytest.mark.parametrize("answer", ["yes", "no"])
async def test_the_date_question_is_answered_by_typing_yes_or_no(
    bot: Prospekt, language: str, answer: str
) -> None:
    typed = {"en": "next friday 10am", "nb": "neste fredag kl 10"}[language]
    seller, _ = await seller_with_kari(bot, language)
    before = pending_follow_ups(bot)
    offer = said(await seller.reply_to(await kari_card(seller), typed))

    answered = said(await seller.send(ANSWERS[language][answer]))
    asked = next(m for m in seller.messages if m.message_id == offer.message_id)
    assert asked.labels == [], "answered: the question's buttons are gone"
    after = pending_follow_ups(bot), notes_on(bot)
    said(await seller.send(ANSWERS[language][answer]))  # the question was answered: a search

    if answer == "yes":
        follow = {
            "en": "✅ Follow-up with Kari Nordmann: ",
            "nb": "✅ Oppfølging av Kari Nordmann: ",
        }
        assert answered.text.startswith(follow[language])
        assert after == ([("2027-03-19 09:00:00.000000",)], [])
    else:
        assert answered.text.startswith(SAVED[language])
        assert after == (before, [("Kari Nordmann", typed)])
    assert (pending_follow_ups(bot), notes_on(bot)) == after, "answered once"


async def test_a_text_other_than_yes_or_no_goes_on_as_without_the_question(bot: Prospekt) -> None:
    seller, _ = await seller_with_kari(bot, "en")
    before = pending_follow_ups(bot)
    offer = said(await seller.reply_to(await kari_card(seller), "next friday 10am"))

    found = said(await seller.send("Kari"))
    said(await seller.send("yes"))  # too late: the question ended with the search

    assert found.text.startswith("Kari Nordmann · Acme AS"), "searched, as ever"
    assert (pending_follow_ups(bot), notes_on(bot)) == (before, [])
    said(await seller.press(offer.labels[0], message=offer))
    assert pending_follow_ups(bot) == [("2027-03-19 09:00:00.000000",)], "its buttons still work"


@LANGUAGES
async def test_a_replied_date_on_a_weekend_is_flagged_with_a_one_tap_move(
    bot: Prospekt, language: str
) -> None:
    typed = {"en": "sunday", "nb": "søndag"}[language]

    seller, _, flagged = await follow_up_replied(bot, language, typed)
    weekend = {"en": "⚠️ Sunday 14 March is on a weekend.", "nb": "⚠️ søndag 14. mars er i helgen."}
    move = {"en": "➡️ Move to Monday 15 March", "nb": "➡️ Flytt til mandag 15. mars"}
    assert weekend[language] in flagged.text.splitlines()
    assert flagged.labels[0] == move[language]
    moved = said(await seller.press(move[language]))

    assert bot.rows(
        "SELECT due_at FROM reminder WHERE kind = 'follow_up' AND status = 'pending'"
    ) == [("2027-03-15 07:00:00.000000",)]
    assert move[language] not in moved.labels
    assert {"en": "🗑 Delete", "nb": "🗑 Slett"}[language] in moved.labels, "still the card"
    assert moved.text.splitlines()[0].startswith(
        {"en": "✅ Follow-up", "nb": "✅ Oppfølging"}[language]
    )
