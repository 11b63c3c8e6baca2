"""Webhook mode, and two workers on one PostgreSQL sharing nothing else.

Telegram posts each update to a worker with the secret header; the worker answers only once
the update is kept. Here the test posts as Telegram would, to one worker or another.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.context import BotApp
from bot.reminders.jobs import dispatch_once, dispatcher_for
from bot.webhook import SECRET_HEADER, running
from storage.db import create_engine
from storage.models import InboxUpdate, Seller
from tests.e2e.harness import free_port
from tests.factories import T0, add_reminders, add_sellers, make_contact, make_reminder
from tests.fakeapi import DEFAULT_TOKEN, FakeTelegramServer, PhoneUser
from tests.storage.databases import ONLY_POSTGRES

SECRET = "prospekt-webhook_secret-0123456789"
TYPED = {
    "en": ["yes", "no", "yes", "Vil ha demo, æøå", "in 2 weeks", "skip"],
    "nb": ["ja", "nei", "ja", "Vil ha demo, æøå", "om 2 uker", "hopp over"],
}


class Worker:
    """One bot process's application in webhook mode, on a port of its own."""

    def __init__(self, telegram: FakeTelegramServer, database_url: str) -> None:
        self.port = free_port()
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=SecretStr(DEFAULT_TOKEN),
            telegram_api_url=telegram.url,
            database_url=database_url,
            webhook_url="https://prospekt.example.no/telegram",
            webhook_secret=SecretStr(SECRET),
            listen="127.0.0.1",
            port=self.port,
        )
        self.app: BotApp = build_application(self.settings)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        url = f"http://127.0.0.1:{self.port}/telegram"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            return response.status


@asynccontextmanager
async def workers(
    telegram: FakeTelegramServer, database_url: str, count: int
) -> AsyncIterator[list[Worker]]:
    started = [Worker(telegram, database_url) for _ in range(count)]
    async with AsyncExitStack() as stack:
        for worker in started:
            await stack.enter_async_context(running(worker.app, ALLOWED_UPDATES))
        yield started


def message_update(seller: PhoneUser, text: str) -> dict[str, Any]:
    """The update Telegram would post for `text` typed by `seller` (also put in the chat)."""
    return {"update_id": next(_update_ids), **seller.typed(text)}


_update_ids = itertools.count(700_001)  # increasing, as Telegram gives them


async def answered(seller: PhoneUser, mark: int, within: float = 15) -> list[str]:
    """The bot's messages in the chat since event `mark`, once there is one."""
    deadline = time.monotonic() + within
    while True:
        replies = [e.text for e in seller.chat.events[mark:] if e.prefix == "< bot"]
        if replies or time.monotonic() > deadline:
            return replies
        await asyncio.sleep(0.02)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'prospekt.sqlite3'}"


async def test_the_webhook_is_registered_with_its_secret_and_refuses_calls_without_it(
    telegram: FakeTelegramServer, sqlite_url: str
) -> None:
    seller = telegram.user(1001, language_code="nb")
    async with workers(telegram, sqlite_url, 1) as [worker]:
        assert telegram.state.webhook == {
            "url": "https://prospekt.example.no/telegram",
            "secret_token": SECRET,
            "allowed_updates": ALLOWED_UPDATES,
        }
        forged = message_update(seller, "/contacts")
        statuses = [
            await worker.post(forged, secret=None),
            await worker.post(forged, secret="not-the-secret"),
        ]
        await asyncio.sleep(0.3)
        refused_replies = telegram.calls_to("sendMessage")

        mark = len(seller.chat.events)
        status = await worker.post(message_update(seller, "/help"))
        replies = await answered(seller, mark)

    assert statuses == [403, 403]
    assert refused_replies == [], "nothing handled without the secret"
    assert status == 200
    assert replies and replies[0].startswith("Prospekt")
    telegram.assert_no_errors()


@ONLY_POSTGRES
async def test_one_sellers_meeting_alternating_between_two_workers_makes_one_contact(
    telegram: FakeTelegramServer, database_url: str
) -> None:
    seller = telegram.user(1001, language_code="nb")
    async with workers(telegram, database_url, 2) as pair:
        for turn, text in enumerate(["/meet Åse Ødegård, Bæ AS", *TYPED["nb"]]):
            mark = len(seller.chat.events)
            assert await pair[turn % 2].post(message_update(seller, text)) == 200
            assert await answered(seller, mark), f"no answer to {text!r}"
        engine_url = database_url
    rows = await _rows(
        engine_url,
        "SELECT name, market_fit, budget, authority FROM contact",
        "SELECT text FROM interaction WHERE kind = 'note'",
        "SELECT count(*) FROM reminder WHERE kind = 'follow_up'",
        "SELECT count(*) FROM conversation_state",
    )
    assert rows == [
        [("Åse Ødegård", "yes", "no", "yes")],
        [("Vil ha demo, æøå",)],
        [(1,)],
        [(0,)],
    ]
    telegram.assert_no_errors()


@ONLY_POSTGRES
async def test_the_same_update_posted_to_both_workers_at_once_is_handled_once(
    telegram: FakeTelegramServer, database_url: str
) -> None:
    seller = telegram.user(1001, language_code="en")
    async with workers(telegram, database_url, 2) as (first, second):
        mark = len(seller.chat.events)
        await first.post(message_update(seller, "/meet Åse Ødegård"))
        await answered(seller, mark)
        mark = len(seller.chat.events)
        note = message_update(seller, "Wants a demo")  # Telegram retrying a slow answer
        statuses = await asyncio.gather(first.post(note), second.post(note), first.post(note))
        await asyncio.sleep(1.0)
        replies = [e.text for e in seller.chat.events[mark:] if e.prefix == "< bot"]
    stored = await _rows(database_url, "SELECT text FROM interaction WHERE kind = 'note'")

    assert list(statuses) == [200, 200, 200]
    assert stored == [[("Wants a demo",)]]
    assert len(replies) <= 1, replies


def press_update(telegram: FakeTelegramServer, seller: PhoneUser, label: str) -> dict[str, Any]:
    """The update Telegram would post when `seller` taps `label` on the bot's latest buttons."""
    target = next(m for m in reversed(seller.messages) if m.inline_keyboard)
    button = target.button(label)
    assert button is not None, (label, target.labels)
    data = button["callback_data"]
    query_id = telegram.state.new_callback_query(seller.chat, target.message_id, data)
    query = {
        "id": query_id,
        "from": seller.chat.user.to_api(),
        "message": target.to_api(seller.chat.to_api(), telegram.state.bot_user),
        "chat_instance": f"-{seller.chat.id}",
        "data": data,
    }
    return {"update_id": next(_update_ids), "callback_query": query}


async def shown_after(worker: Worker, seller: PhoneUser, update: dict[str, Any]) -> str:
    """Post `update`; once its handling has committed, the text of the bot message it sent
    or edited (replies go out before the update's one transaction commits)."""
    mark = len(seller.chat.events)
    assert await worker.post(update) == 200
    sessions = worker.app.bot_data.sessions
    assert sessions is not None
    deadline = time.monotonic() + 15
    while True:
        async with sessions() as session:
            state = await session.scalar(
                select(InboxUpdate.state).where(InboxUpdate.update_id == update["update_id"])
            )
        shown = [e.message for e in seller.chat.events[mark:] if e.message is not None]
        if shown and state == "done":
            return shown[-1].text
        assert time.monotonic() < deadline, "no answer"
        await asyncio.sleep(0.02)


async def feed(worker: Worker, path: str) -> tuple[int, str, str]:
    """GET `path` from the worker: status, content type, body."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{worker.port}{path}") as response,
    ):
        return response.status, response.content_type, await response.text()


async def test_a_private_calendar_link_serves_the_feed_until_renewed_or_turned_off(
    telegram: FakeTelegramServer, database_url: str
) -> None:
    seller = telegram.user(1001, language_code="en")
    async with workers(telegram, database_url, 1) as [worker]:
        await shown_after(worker, seller, message_update(seller, "/settings"))
        none = await shown_after(worker, seller, press_update(telegram, seller, "📅 Calendar link"))
        made = await shown_after(worker, seller, press_update(telegram, seller, "🔗 Make a link"))
        [token] = re.findall(r"https://prospekt\.example\.no/calendar/([\w-]+)\.ics", made)
        sessions = worker.app.bot_data.sessions
        assert sessions is not None
        async with sessions.begin() as session:
            seller_row = await session.get(Seller, 1001)
            assert seller_row is not None
            kari = await make_contact(session, owner=seller_row, name="Kari Nordmann")
            await make_reminder(
                session, owner=seller_row, contact=kari, due_at=T0 + timedelta(days=3650)
            )
        served = await feed(worker, f"/calendar/{token}.ics")
        unknown = await feed(worker, f"/calendar/{token[:-1]}x.ics")
        renewed = await shown_after(
            worker, seller, press_update(telegram, seller, "🔄 New link (the old one stops)")
        )
        [new_token] = re.findall(r"/calendar/([\w-]+)\.ics", renewed)
        old_after_renewal = await feed(worker, f"/calendar/{token}.ics")
        new_served = await feed(worker, f"/calendar/{new_token}.ics")
        await shown_after(worker, seller, press_update(telegram, seller, "🚫 Turn the link off"))
        after_off = await feed(worker, f"/calendar/{new_token}.ics")

    assert "You have no link now." in none
    assert len(token) >= 43 and new_token != token
    assert served[:2] == (200, "text/calendar")
    assert "BEGIN:VEVENT" in served[2] and "SUMMARY:Follow up with Kari Nordmann" in served[2]
    assert unknown[0] == 404
    assert old_after_renewal[0] == 404
    assert new_served[0] == 200
    assert after_off[0] == 404
    telegram.assert_no_errors()


async def _rows(url: str, *queries: str) -> list[list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return [[tuple(row) for row in await connection.execute(text(q))] for q in queries]
    finally:
        await engine.dispose()


@ONLY_POSTGRES
async def test_one_worker_sends_reminders_and_another_takes_over_when_it_dies(
    telegram: FakeTelegramServer, database_url: str
) -> None:
    async with workers(telegram, database_url, 2) as pair:
        for worker in pair:
            worker.app.bot_data.clock = lambda: T0  # 13:00 in Oslo, outside quiet hours
        first = [await dispatch_once(worker.app) for worker in pair]
        [sender] = [w for w, report in zip(pair, first, strict=True) if not report.standby]
        [other] = [w for w in pair if w is not sender]
        lock = dispatcher_for(sender.app).sender
        assert lock is not None and lock._connection is not None
        pid = await lock._connection.scalar(text("SELECT pg_backend_pid()"))

        sessions = other.app.bot_data.sessions
        assert sessions is not None
        await add_sellers(sessions, telegram, [3001, 3002, 3003])
        ids = await add_reminders(sessions, [3001, 3002, 3003], T0 - timedelta(minutes=1))
        await _rows(database_url, f"SELECT pg_terminate_backend({int(pid)})")  # it died
        taken_over = await dispatch_once(other.app)

    assert [report.standby for report in first].count(True) == 1, "one sender at a time"
    assert not taken_over.standby, "the other worker took over at its next run"
    # Follow-ups without a contact: composed away, but claimed and settled by the new sender.
    assert taken_over.claimed == len(ids), taken_over.summary()
    assert await _rows(database_url, "SELECT count(*) FROM reminder WHERE status = 'pending'") == [
        [(0,)]
    ]
    telegram.assert_no_errors()
