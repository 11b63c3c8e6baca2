"""Run the real Prospekt application against the fake Bot API, and restart it at will."""

from __future__ import annotations

import random
import socket
import sqlite3
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.reminders.jobs import dispatch_once
from bot.reminders.report import DispatchReport
from tests.e2e import backend
from tests.fakeapi import (
    DEFAULT_TOKEN,
    FakeTelegramServer,
    PhoneUser,
    TrackingUpdateProcessor,
    running_bot,
)


def free_port() -> int:
    """A local TCP port nobody listens on now (for a webhook worker), picked below the
    kernel's range for outgoing connections: a port from that range (what binding port 0
    gives) can be taken by any test's client connection before the worker binds it, and
    once was, in a CI run."""
    low = _ephemeral_low()
    rng = random.SystemRandom()
    while True:
        port = rng.randrange(max(1024, low - 12_000), low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def _ephemeral_low() -> int:
    """The first port of the kernel's range for outgoing connections (Linux; else its
    default)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768


class Prospekt:
    """The bot as a seller meets it: started, stopped and restarted on one database file.

    `database_url` runs it on another database (PostgreSQL) instead; without one it runs on
    the pass's database (`tests.e2e.backend`): the SQLite file, or the PostgreSQL database of
    the PostgreSQL pass. `rows` and the seeding helpers in `tests.factories` read whichever.
    """

    def __init__(
        self,
        server: FakeTelegramServer,
        db_path: Path,
        *,
        database_url: str | None = None,
        **settings: Any,
    ) -> None:
        self.server = server
        self.db_path = db_path
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=SecretStr(DEFAULT_TOKEN),
            telegram_api_url=server.url,
            database_url=database_url
            or backend.pass_database_url
            or f"sqlite+aiosqlite:///{db_path}",
            **settings,
        )
        self._stack: AsyncExitStack | None = None
        self.app: Any = None

    async def start(self) -> None:
        app = build_application(self.settings, wrap_processor=TrackingUpdateProcessor.around)
        self.app = app
        self._stack = AsyncExitStack()
        await self._stack.enter_async_context(running_bot(app, self.server, ALLOWED_UPDATES))

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None

    async def dispatch(self) -> DispatchReport:
        """One run of the reminder dispatcher now, as its job would run it."""
        return await dispatch_once(self.app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(self, user_id: int = 1001, **details: Any) -> PhoneUser:
        return self.server.user(user_id, **details)

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Read the database directly, as a second opinion on what the bot says it saved."""
        url = self.settings.database_url
        if url.startswith("postgresql"):
            return backend.read_rows(url, sql, params)
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql, params).fetchall()
