"""One seller's slow line holds up no other seller.

Telegram takes tens of milliseconds to take a reply; a phone on a bad line, or a Telegram
far away, seconds. An update's writes commit with its reply, after it: on SQLite, written
before the reply, they would hold the database's one write lock for that whole round trip,
and every other seller's answer would wait behind it. Here the slow seller's reply is still
on its way while another seller types, and is answered.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.harness import Prospekt
from tests.factories import Person, add_people
from tests.fakeapi import BotMessage, FakeTelegramServer, PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
SLOW, QUICK = 1001, 1002
SLOW_LINE = 3.0  # seconds before Telegram takes a reply to the slow seller
YES = {"en": "yes", "nb": "ja"}
NEW_MEETING = {"en": "➕ New meeting with Åse Ødegård", "nb": "➕ Nytt møte med Åse Ødegård"}


async def while_slowly_answered(
    telegram: FakeTelegramServer, slow: PhoneUser, text: str
) -> asyncio.Task[list[BotMessage]]:
    """`slow` types `text`; returns once the bot's reply to it is on its way, not taken."""
    telegram.answer_slowly(slow.user_id, SLOW_LINE)
    typed = asyncio.create_task(slow.send(text))
    await asyncio.wait_for(telegram.holding_back(slow.user_id).wait(), 10)
    return typed


@LANGUAGES
async def test_a_search_answered_slowly_holds_up_no_other_seller(
    bot: Prospekt, telegram: FakeTelegramServer, language: str
) -> None:
    await add_people(bot, SLOW, language, Person("Kari Nordmann"))
    await add_people(bot, QUICK, language, Person("Ola Hansen"))
    slow = bot.user(SLOW, language_code=language)
    quick = bot.user(QUICK, language_code=language)

    searching = await while_slowly_answered(telegram, slow, "Åse Ødegård")
    [found] = await quick.send("Ola")

    assert not searching.done(), "the quick seller was answered while the slow reply travels"
    assert found.text.splitlines()[0] == "Ola Hansen"
    [offer] = await searching
    assert offer.labels == [NEW_MEETING[language]]
    started = await slow.press(NEW_MEETING[language])
    assert any("Åse Ødegård" in message.text for message in started), "the name was kept"


@LANGUAGES
async def test_a_meeting_answer_taken_slowly_holds_up_no_other_seller(
    bot: Prospekt, telegram: FakeTelegramServer, language: str
) -> None:
    slow = bot.user(SLOW, language_code=language)
    quick = bot.user(QUICK, language_code=language)
    await add_people(bot, SLOW, language)
    await add_people(bot, QUICK, language)
    await slow.send("/meet Åse Ødegård, Fjordlys AS")

    answering = await while_slowly_answered(telegram, slow, YES[language])
    await quick.send("/meet Ola Hansen")
    await quick.send(YES[language])

    assert not answering.done(), "the quick seller got on while the slow reply travels"
    await answering
    fits = bot.rows("SELECT owner_id, name, market_fit FROM contact ORDER BY owner_id")
    assert fits == [(SLOW, "Åse Ødegård", "yes"), (QUICK, "Ola Hansen", "yes")]
