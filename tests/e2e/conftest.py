"""End-to-end fixtures: a fake Telegram and the real application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import backend
from tests.e2e.clock import Clock, install_clock
from tests.e2e.harness import Prospekt
from tests.fakeapi import FakeTelegramServer

MakeBot = Callable[..., Awaitable[Prospekt]]


@pytest.fixture(autouse=True)
def pass_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the PostgreSQL pass, the test's bots run on the shared PostgreSQL test database,
    emptied afterwards (after every bot of the test has stopped: this fixture comes first)."""
    if not backend.POSTGRESQL:
        yield
        return
    databases = request.getfixturevalue("postgres_databases")
    backend.pass_database_url = databases.acquire(migrated=True)
    try:
        yield
    finally:
        url, backend.pass_database_url = backend.pass_database_url, None
        databases.release(url)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def make_bot(telegram: FakeTelegramServer, tmp_path: Path) -> AsyncIterator[MakeBot]:
    """Start the bot with the given settings; every API call it made must have succeeded."""
    started: list[Prospekt] = []

    async def make(**settings: Any) -> Prospekt:
        bot = Prospekt(telegram, tmp_path / "prospekt.sqlite3", **settings)
        await bot.start()
        started.append(bot)
        return bot

    yield make
    for bot in started:
        await bot.stop()


@pytest.fixture
def now() -> datetime | None:
    """The bot's "now": None runs it on the wall clock; a module that needs a fixed day
    overrides this fixture, and `clock` then moves it."""
    return None


@pytest.fixture
def clock(now: datetime | None, monkeypatch: pytest.MonkeyPatch) -> Clock | None:
    """The application's clock, installed when `now` is fixed."""
    return None if now is None else install_clock(monkeypatch, now)


@pytest.fixture
async def bot(
    clock: Clock | None, make_bot: MakeBot, telegram: FakeTelegramServer
) -> AsyncIterator[Prospekt]:
    """The bot with default settings (on `clock`, if the module fixed one); fails the test if
    any API call was refused."""
    prospekt = await make_bot()
    yield prospekt
    telegram.assert_no_errors()


@pytest.fixture
async def any_bot(
    telegram: FakeTelegramServer, database_url: str, tmp_path: Path
) -> AsyncIterator[Prospekt]:
    """The bot on this test's backend (SQLite or PostgreSQL: `database_url` runs the test on
    both)."""
    bot = Prospekt(telegram, tmp_path / "unused.sqlite3", database_url=database_url)
    await bot.start()
    yield bot
    await bot.stop()
