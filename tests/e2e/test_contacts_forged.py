"""Card, list and undo buttons that were never this seller's, are malformed, or name a contact
deleted since: "no longer available", nothing shown, nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.contacts import actions as card_actions
from bot.meeting import presses as meeting_presses
from bot.meeting import reopen as meeting_reopen
from bot.reminders import presses as reminder_presses
from bot.ui import callbacks
from storage.vocabulary import InteractionKind
from tests.e2e.harness import Prospekt
from tests.e2e.reading import alerted, everything, said
from tests.factories import add_concern, add_contact, add_interaction, schedule_reminder
from tests.fakeapi import PhoneUser

STALE = {
    "en": "That button is no longer available.",
    "nb": "Den knappen er ikke lenger tilgjengelig.",
}


async def first_sellers_book(bot: Prospekt) -> tuple[PhoneUser, dict[str, int]]:
    """Seller 1001: Kari (a concern, a note, a follow-up) and Ola, deleted with an Undo open."""
    seller = bot.user(1001, language_code="en")
    await seller.send("/contacts")
    kari = await add_contact(bot, 1001, "Kari Nordmann", phone="+4791234567")
    ola = await add_contact(bot, 1001, "Ola Hansen")
    concern = await add_concern(bot, 1001, kari, "Secret worry")
    ola_concern = await add_concern(bot, 1001, ola, "Ola's worry")
    await add_interaction(bot, 1001, kari, InteractionKind.NOTE, "Secret note", datetime.now(UTC))
    await schedule_reminder(bot, 1001, kari, datetime.now(UTC) + timedelta(days=3))
    await seller.send("/contacts")
    await seller.press_data(f"c:{ola}")
    await seller.press("🗑 Delete")
    deleted = said(await seller.press("🗑 Yes, delete"))
    undo = int(deleted.callback_data["↩️ Undo"].removeprefix("u:"))
    ids = {"kari": kari, "ola": ola, "concern": concern, "ola_concern": ola_concern, "undo": undo}
    return seller, ids


def forged_presses(ids: dict[str, int]) -> list[str]:
    kari, concern = ids["kari"], ids["concern"]
    return [
        f"c:{kari}",
        f"c:{kari}:card",
        f"c:{kari}:edit",
        f"c:{kari}:ed:phone",
        f"c:{kari}:ed:email",
        f"c:{kari}:clr:phone",
        f"c:{kari}:note",
        f"c:{kari}:addq",
        f"c:{kari}:cq",
        f"c:{kari}:res:{concern}",
        f"c:{kari}:del",
        f"c:{kari}:delok",
        f"m:start:{kari}",
        f"m:mv:{kari}",
        f"m:e:{kari}:follow",
        f"m:e:{kari}:notes",
        f"u:{ids['undo']}",
    ]


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_another_sellers_card_buttons_reveal_and_change_nothing(
    bot: Prospekt, language: str
) -> None:
    _, ids = await first_sellers_book(bot)
    other = bot.user(1002, language_code=language)
    await other.send("/contacts")
    await add_contact(bot, 1002, "Per Persen")
    await other.send("/contacts")
    before = everything(bot)

    for forged in forged_presses(ids):
        assert await other.press_data(forged) == [], forged
        assert alerted(other, STALE[language]), forged

    assert everything(bot) == before
    assert bot.rows("SELECT count(*) FROM conversation_state WHERE seller_id = 1002") == [(0,)]
    for secret in ("Kari", "Ola", "Secret", "4791234567"):
        assert secret not in other.transcript(), secret


@pytest.mark.parametrize(
    "forged",
    [
        "c:",
        "c:abc",
        "c:0",
        "c:-1",
        "c:99999999999999999999",
        "c:{kari}:nope",
        "c:{kari}:ed:name",
        "c:{kari}:ed",
        "c:{kari}:clr:company",
        "c:{kari}:res",
        "c:{kari}:res:abc",
        "c:{kari}:res:{ola_concern}",
        "c:{kari}::",
        "u:",
        "u:abc",
        "u:99999999999",
        "c:²",
        "c:{kari}:res:²",
        "u:²",
    ],
)
async def test_malformed_or_mismatched_card_data_is_refused(bot: Prospekt, forged: str) -> None:
    seller, ids = await first_sellers_book(bot)
    before = everything(bot)

    assert await seller.press_data(forged.format(**ids)) == [], forged

    assert alerted(seller, STALE["en"])
    assert everything(bot) == before


async def test_a_concern_of_another_contact_cannot_be_resolved_through_this_card(
    bot: Prospekt,
) -> None:
    seller, ids = await first_sellers_book(bot)
    await seller.press("↩️ Undo")
    before = everything(bot)

    await seller.press_data(f"c:{ids['kari']}:res:{ids['ola_concern']}")

    assert alerted(seller, STALE["en"])
    assert everything(bot) == before


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_every_button_of_a_deleted_contacts_card_is_no_longer_available(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/contacts")
    kari = await add_contact(bot, 1001, "Kari Nordmann")
    await add_concern(bot, 1001, kari, "Worry")
    await seller.send("/contacts")
    card = said(await seller.press_data(f"c:{kari}"))
    bot.rows("DELETE FROM contact WHERE id = ?", kari)

    for label in card.labels:
        assert await seller.press(label, message=card) == [], label
        assert alerted(seller, STALE[language]), label
    for action in ("card", "edit", "ed:phone", "clr:email", "cq", "delok", "addq"):
        assert await seller.press_data(f"c:{kari}:{action}", message=card) == [], action
        assert alerted(seller, STALE[language]), action

    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]
    assert bot.rows("SELECT count(*) FROM contact") == [(0,)]


async def test_a_question_about_a_contact_deleted_meanwhile_saves_nothing(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/contacts")
    kari = await add_contact(bot, 1001, "Kari Nordmann")
    await seller.send("/contacts")
    await seller.press_data(f"c:{kari}:note")
    bot.rows("DELETE FROM contact WHERE id = ?", kari)

    answer = said(await seller.send("A note for no one"))

    assert answer.text == STALE["en"]
    assert bot.rows("SELECT count(*) FROM interaction") == [(0,)]
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


def every_press_naming(ids: dict[str, int], reminder: int) -> list[str]:
    """Each action every feature registers, aimed at the first seller's rows, with the
    arguments its real buttons carry (and a few they never do): a few hundred presses."""
    targets = [ids["kari"], ids["ola"]]
    args = ["", "y", "n", "s", "follow", "notes", "name", "m:y", "b:n", "note", "phone",
            str(ids["concern"]), str(ids["ola_concern"]), "20270101", "202701", "1w"]  # fmt: skip
    presses = [
        callbacks.meeting(action, target, *filter(None, [arg]))
        for action in [*meeting_presses.ACTIONS, *meeting_reopen.ACTIONS]
        for target in targets
        for arg in args
    ]
    presses += [
        callbacks.card(target, *filter(None, [action, arg]))
        for action in card_actions.ACTIONS
        for target in targets
        for arg in args[:8]
    ]
    presses += [
        callbacks.reminder(reminder, *filter(None, [action])) for action in reminder_presses.ACTIONS
    ]
    presses += [callbacks.brief(target) for target in targets]
    presses += [callbacks.undo(ids["undo"])]
    return list(dict.fromkeys(press for press in presses if callbacks.fits(press)))


async def test_every_registered_action_pressed_by_another_seller_reveals_and_changes_nothing(
    bot: Prospekt,
) -> None:
    _, ids = await first_sellers_book(bot)
    [(reminder,)] = bot.rows("SELECT id FROM reminder WHERE owner_id = 1001 LIMIT 1")
    other = bot.user(1002, language_code="en")
    await other.send("/contacts")
    await add_contact(bot, 1002, "Per Persen")
    await other.send("/contacts")  # a message with buttons to press on
    before = everything(bot)
    presses = every_press_naming(ids, reminder)

    for forged in presses:
        await other.press_data(forged)

    assert len(presses) > 300
    assert everything(bot) == before
    for secret in ("Kari", "Ola", "Secret", "4791234567"):
        assert secret not in other.transcript(), secret
