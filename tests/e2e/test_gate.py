"""The gate fails closed: a refusal that cannot be sent still stops the update and stores
nothing; the CRM answers only in a private chat; edits and business messages are left alone;
a seller taken off the allow-list is paused and goes on when put back."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest

from tests.e2e.clock import Clock
from tests.e2e.conftest import MakeBot
from tests.e2e.harness import Prospekt
from tests.factories import T0, schedule_reminder
from tests.fakeapi import FakeTelegramServer

PRIVATE_ONLY = {
    "en": "I keep your contacts private, so I only work in a private chat with you. "
    "Open a chat with me to use me.",
    "nb": "Kontaktene dine er private, så jeg jobber bare i en privat chat med deg. "
    "Åpne en chat med meg for å bruke meg.",
}


def sends_to(telegram: FakeTelegramServer, chat_id: int) -> list[str]:
    return [
        str(call.params.get("text"))
        for call in telegram.calls
        if call.method == "sendMessage" and str(call.params.get("chat_id")) == str(chat_id)
    ]


def everything(bot: Prospekt) -> list[Any]:
    return [
        bot.rows(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        for table in ("seller", "contact", "interaction", "concern", "reminder")
    ]


async def handled(telegram: FakeTelegramServer, update: dict[str, Any]) -> None:
    """Push a raw update and wait until the bot is done with it (or Telegram dropped it)."""
    await telegram.wait_handled(telegram.push_update(update), "a raw update")


def message(chat: dict[str, Any], text: str, user_id: int = 1001) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 77,
        "from": {"id": user_id, "is_bot": False, "first_name": "Siri", "language_code": "en"},
        "chat": chat,
        "date": int(time.time()),
        "text": text,
    }
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return body


async def test_a_refusal_that_fails_with_502_still_answers_nothing_and_stores_nothing(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot(allowed_user_ids=frozenset({1001}))
    stranger = bot.user(2002, first_name="Stranger", language_code="en")
    telegram.fail_next(1, status=502)

    got = await stranger.send("/contacts")
    await stranger.send("Kari Nordmann")  # a name: would be a search for a seller

    assert got == []
    assert everything(bot) == [[(0,)]] * 5
    assert all("Kari" not in text for text in sends_to(telegram, 2002))


async def test_an_outsider_who_blocked_the_bot_leaves_nothing_behind(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot(allowed_user_ids=frozenset({1001}))
    stranger = bot.user(2002, language_code="en")
    telegram.block(2002)

    await stranger.send("/meet Kari Nordmann")
    await stranger.send("Wants a demo")

    assert everything(bot) == [[(0,)]] * 5


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_a_group_is_told_once_that_the_crm_works_in_private(
    make_bot: MakeBot, telegram: FakeTelegramServer, language: str
) -> None:
    """(The fake Telegram knows only private chats: it answers the group's one send with
    "chat not found", which is why this test reads what the bot tried to send.)"""
    bot = await make_bot()
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann")
    group = {"id": -100777, "type": "supergroup", "title": "Sales team"}
    said = message(group, "/contacts")
    said["from"]["language_code"] = language

    await handled(telegram, {"message": said})
    await handled(telegram, {"message": {**said, "message_id": 78, "text": "Kari"}})

    assert sends_to(telegram, -100777) == [PRIVATE_ONLY[language]]
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)], "nothing changed by the group"


async def test_a_channel_post_gets_nothing(bot: Prospekt, telegram: FakeTelegramServer) -> None:
    channel = {"id": -100888, "type": "channel", "title": "News"}
    post = message(channel, "/contacts")
    post.pop("from")

    await handled(telegram, {"channel_post": post})

    assert sends_to(telegram, -100888) == []


async def test_business_messages_are_left_unanswered(
    bot: Prospekt, telegram: FakeTelegramServer
) -> None:
    customer = {"id": 5005, "type": "private", "first_name": "Customer"}
    text = message(customer, "Hei, har dere åpent i dag?", user_id=5005)
    text["business_connection_id"] = "conn-1"

    await handled(telegram, {"business_message": text})

    assert sends_to(telegram, 5005) == []
    assert bot.rows("SELECT count(*) FROM seller") == [(0,)]


async def test_an_edited_message_is_never_handled_again(
    bot: Prospekt, telegram: FakeTelegramServer
) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")
    for _ in range(3):
        await seller.press("✅ Yes")
    await seller.send("Wants a demo")
    private = {"id": 1001, "type": "private", "first_name": "Siri"}
    edit = message(private, "Wants a demo for five")
    edit["edit_date"] = int(time.time())

    await handled(telegram, {"edited_message": edit})

    assert bot.rows("SELECT text FROM interaction WHERE kind = 'note'") == [("Wants a demo",)]


@pytest.mark.parametrize("now", [T0])  # 13:00 in Oslo: outside quiet hours, whenever CI runs
async def test_a_seller_taken_off_the_list_is_paused_and_goes_on_when_put_back(
    make_bot: MakeBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    first = await make_bot()
    seller = first.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")
    [(kari,)] = first.rows("SELECT id FROM contact")
    await first.stop()
    paused = await make_bot(allowed_user_ids=frozenset({4242}))
    await schedule_reminder(paused, 1001, kari, clock.now - timedelta(minutes=1))

    await paused.dispatch()
    assert paused.rows("SELECT status FROM reminder") == [("pending",)], "paused, not sent"
    await paused.stop()
    back = await make_bot(allowed_user_ids=frozenset({1001}))
    await back.dispatch()

    assert back.rows("SELECT status FROM reminder WHERE kind = 'follow_up'") == [("sent",)]
