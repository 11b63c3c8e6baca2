"""Support for the dispatcher's tests: a clock to move, a stand-in `compose`, and the bot.

The stand-in `compose` writes `nudge #<id>` per reminder (or one digest per seller), so a
test counts exactly how often each reminder reached Telegram: the delivery machinery is
under test here, the wording and buttons are tested with the messages feature.

Seeding is in `tests.factories`.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import build_application
from bot.context import BotApp
from bot.reminders import dispatcher, health
from bot.reminders.jobs import dispatch_once, dispatcher_for
from bot.reminders.report import DispatchReport
from storage.db import Sessions
from storage.models import Reminder, Seller
from tests.e2e.harness import Prospekt
from tests.factories import T0
from tests.fakeapi import FakeTelegramServer, TrackingUpdateProcessor, running_bot

NUDGE = re.compile(r"nudge #(\d+)")


class Clock:
    """A "now" that moves only when a test says so."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass(frozen=True)
class Message:
    """Shaped like `bot.reminders.messages.Outgoing`."""

    reminder_ids: tuple[int, ...]
    text: str
    keyboard: InlineKeyboardMarkup | None = None


@dataclass
class FakeCompose:
    """One message per reminder (`nudge #id`), or one per seller when `digest`; reminders
    in `skip` are left out (compose decided not to send them)."""

    digest: bool = False
    skip: set[int] = field(default_factory=set)
    calls: list[tuple[int, tuple[int, ...], datetime]] = field(default_factory=list)

    async def __call__(
        self,
        session: AsyncSession,
        *,
        seller: Seller,
        reminders: Sequence[Reminder],
        now: datetime,
    ) -> list[Message]:
        self.calls.append((seller.id, tuple(r.id for r in reminders), now))
        wanted = [r for r in reminders if r.id not in self.skip]
        if not wanted:
            return []
        done = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="r:x")]])
        if self.digest:
            text = "<b>Digest</b>\n" + "\n".join(f"nudge #{r.id}" for r in wanted)
            return [Message(tuple(r.id for r in wanted), text, done)]
        return [Message((r.id,), f"<b>nudge #{r.id}</b>", done) for r in wanted]


def only_delivery(monkeypatch: pytest.MonkeyPatch) -> FakeCompose:
    """The dispatcher with the stand-in `compose` and nothing planned after a send: the
    delivery machinery alone is under test here. What a send plans next (a birthday's next
    nudge, tomorrow's digest) is tested with the planning (test_planning_nudges.py)."""
    fake = FakeCompose()
    monkeypatch.setattr(dispatcher, "_default_compose", lambda: fake)

    async def nothing_planned(session: object, **_: object) -> None:
        return None

    monkeypatch.setattr(dispatcher, "plan_after_delivery", nothing_planned)
    return fake


def nudges_sent(server: FakeTelegramServer) -> Counter[int]:
    """How many accepted messages named each reminder id."""
    counts: Counter[int] = Counter()
    for call in server.calls_to("sendMessage"):
        if call.status == 200:
            counts.update(int(found) for found in NUDGE.findall(str(call.params.get("text"))))
    return counts


def sends_to(server: FakeTelegramServer, chat_id: int) -> int:
    """sendMessage calls to one chat, accepted or not."""
    return sum(
        1 for call in server.calls_to("sendMessage") if call.params.get("chat_id") == chat_id
    )


class DispatchBot(Prospekt):
    """The real bot on a SQLite file, with the test's clock."""

    def __init__(
        self,
        server: FakeTelegramServer,
        db_path: Path,
        clock: Callable[[], datetime],
        **settings: Any,
    ) -> None:
        super().__init__(server, db_path, **settings)
        self.clock = clock
        self.app: BotApp | None = None

    async def start(self) -> None:
        app = build_application(self.settings, wrap_processor=TrackingUpdateProcessor.around)
        app.bot_data.clock = self.clock
        self._stack = AsyncExitStack()
        await self._stack.enter_async_context(running_bot(app, self.server))
        self.app = app

    async def stop(self) -> None:
        await super().stop()
        self.app = None

    @property
    def sessions(self) -> Sessions:
        assert self.app is not None and self.app.bot_data.sessions is not None
        return self.app.bot_data.sessions

    async def first_run(self, within: float = 5.0) -> DispatchReport:
        """Wait for the run the job makes as the bot starts; its report."""
        assert self.app is not None
        data = self.app.bot_data
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while health.LAST_RUN not in data.health:
            if loop.time() > deadline:
                raise TimeoutError(f"the dispatcher did not run within {within} s of the start")
            await asyncio.sleep(0.005)
        report: DispatchReport = data.health[health.LAST_REPORT]
        return report

    async def dispatch(self) -> DispatchReport:
        assert self.app is not None
        return await dispatch_once(self.app)

    async def reminders(self) -> dict[int, Reminder]:
        async with self.sessions() as session:
            return {r.id: r for r in await session.scalars(select(Reminder))}

    async def seller(self, seller_id: int) -> Seller:
        async with self.sessions() as session:
            seller = await session.get(Seller, seller_id)
            assert seller is not None
            return seller


@asynccontextmanager
async def dispatch_bot(
    server: FakeTelegramServer, db_path: Path, clock: Clock
) -> AsyncIterator[DispatchBot]:
    bot = DispatchBot(server, db_path, clock)
    await bot.start()
    try:
        await bot.first_run()
        yield bot
    finally:
        await bot.stop()


def refuse_connections(bot: DispatchBot, monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The next `count` connections the dispatcher's bot opens are refused, as by a Bot API
    that is down: python-telegram-bot raises its usual NetworkError from `httpx.ConnectError`.
    """
    assert bot.app is not None
    sender: Any = dispatcher_for(bot.app).bot
    transport: Any = sender.request._client._transport  # initialized by the first run
    forward = transport.handle_async_request
    left = [count]

    async def refused(request: httpx.Request) -> httpx.Response:
        if left[0] > 0:
            left[0] -= 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        response: httpx.Response = await forward(request)
        return response

    monkeypatch.setattr(transport, "handle_async_request", refused)


def unpaced_chats(bot: DispatchBot) -> None:
    """No 1 s pace per chat (the overall pace stays): for tests that do not test pacing."""
    assert bot.app is not None
    dispatcher_for(bot.app).pacer.chat_interval = 0.0
