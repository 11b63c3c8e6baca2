"""A search that settles it: one match opens its card at once; none offers the meeting with
the name typed, one tap away (the name waits in the seller's row, the button carries a code)."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Prospekt
from tests.factories import Person, add_people
from tests.fakeapi import BotMessage

LANGUAGES = ["en", "nb"]
SELLER, FRESH = 1001, 1009
NEW_MEETING = {"en": "➕ New meeting with {name}", "nb": "➕ Nytt møte med {name}"}
BOOK = [
    Person("Kari Nordmann", {"company": "Acme AS"}),
    Person("Ola Nordmann", {"company": "Nordlys"}),
    Person("Per Olsen"),
]


def card_of(message: BotMessage) -> int | None:
    """The contact whose card the message is (its Log meeting button names it), else None."""
    data = [b["callback_data"] for row in message.inline_keyboard for b in row]
    return int(data[0].removeprefix("m:start:")) if data[:1] and data[0].startswith("m:") else None


def contact_names(bot: Prospekt) -> list[str]:
    return [name for (name,) in bot.rows("SELECT name FROM contact ORDER BY id")]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_one_match_opens_its_card_at_once(bot: Prospekt, language: str) -> None:
    ids = await add_people(bot, SELLER, language, *BOOK)
    seller = bot.user(SELLER, language_code=language)

    [by_command] = await seller.send("/find acme")
    [by_text] = await seller.send("Per")
    [several] = await seller.send("/find nordmann")

    assert card_of(by_command) == ids["Kari Nordmann"]
    assert by_command.text.splitlines()[0] == "Kari Nordmann · Acme AS"
    assert card_of(by_text) == ids["Per Olsen"]
    assert by_text.text.splitlines()[0] == "Per Olsen"
    assert card_of(several) is None, "two matches are still a list to choose from"
    assert len(several.labels) == 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["/find Nina Berg", "Nina Berg"])
async def test_no_match_offers_a_new_meeting_with_the_name_typed(
    bot: Prospekt, language: str, typed: str
) -> None:
    await add_people(bot, SELLER, language, *BOOK)
    seller = bot.user(SELLER, language_code=language)
    [none] = await seller.send(typed)
    label = NEW_MEETING[language].format(name="Nina Berg")
    assert none.labels == [label]

    started = await seller.press(label)

    by_meet = await bot.user(FRESH, language_code=language).send("/meet Nina Berg")
    assert [m.text for m in started if not m.edited] == [m.text for m in by_meet]
    pressed = next(m for m in seller.messages if m.message_id == none.message_id)
    assert pressed.labels == [], "one tap: the button goes once pressed"
    assert contact_names(bot).count("Nina Berg") == 2, "one for each seller"


async def test_an_older_search_keeps_its_own_name(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")
    [nina] = await seller.send("Nina Berg")
    [tor] = await seller.send("Tor Dahl")

    await seller.press(NEW_MEETING["en"].format(name="Nina Berg"), message=nina)

    assert contact_names(bot) == ["Nina Berg"]
    assert tor.labels == [NEW_MEETING["en"].format(name="Tor Dahl")]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_button_is_stale_once_the_seller_moved_on(bot: Prospekt, language: str) -> None:
    seller = bot.user(SELLER, language_code=language)
    [none] = await seller.send("Nina Berg")
    await seller.send("/today")

    await seller.press(NEW_MEETING[language].format(name="Nina Berg"), message=none)

    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.show_alert
    assert contact_names(bot) == []


async def test_what_is_typed_after_a_search_is_searched_again(bot: Prospekt) -> None:
    ids = await add_people(bot, SELLER, "nb", *BOOK)
    seller = bot.user(SELLER, language_code="nb")
    await seller.send("Nina Berg")

    [card] = await seller.send("Per")
    [stopped] = await seller.send("/cancel")

    [nothing] = await bot.user(FRESH, language_code="nb").send("/cancel")
    assert card_of(card) == ids["Per Olsen"], "the kept name asks no question"
    assert stopped.text == nothing.text, "no conversation was open"
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


async def test_a_number_that_finds_nobody_offers_no_meeting(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")

    [none] = await seller.send("/find 987 65 432")

    assert none.labels == []
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


async def test_a_long_name_is_kept_whole_though_the_label_is_short(bot: Prospekt) -> None:
    name = "Anne-Kristine Ødegård-Bjørnstad Holmsen-Kjærgaard Sæther Åsen"
    seller = bot.user(SELLER, language_code="nb")
    [none] = await seller.send(f"/find {name}")

    await seller.press(none.labels[0])

    assert len(name.encode()) > 64, "more than callback data can carry"
    assert none.labels[0].endswith("…")
    assert contact_names(bot) == [name]
