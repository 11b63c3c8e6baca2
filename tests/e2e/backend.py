"""Which database the end-to-end bots run on in this pass, and reading it from a test.

`PROSPEKT_TEST_DATABASE=postgresql` runs every end-to-end test whose bot is the harness's
(`Prospekt` and the bots built on it) against the local PostgreSQL instead of a SQLite file
(see `scripts/test`). Tests already parametrised over both backends (`db_backend`), tests that
reach into the SQLite file itself, and tests that never start a bot run in the SQLite pass
only.

Tests read what the bot stored with SQLite's SQL (`?` placeholders) and compare against
SQLite's value shapes; `read_rows` runs the same query on PostgreSQL and gives back the same
shapes, so one assertion holds on both.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

POSTGRESQL = os.environ.get("PROSPEKT_TEST_DATABASE", "sqlite").strip().lower() == "postgresql"
"""True in the PostgreSQL pass."""


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Leave a test out of the PostgreSQL pass, saying why (it is SQLite's own behaviour)."""
    return pytest.mark.sqlite_only(reason=reason)


pass_database_url: str | None = None
"""In the PostgreSQL pass, the database of the test running now (set by a fixture)."""

_loop: Any = None  # a tests.storage.databases.BackgroundLoop, made on first use
_PLACEHOLDER = re.compile(r"\?")


def _background() -> Any:
    """One thread with its own loop: `rows` is synchronous, and the test's loop is busy."""
    global _loop
    if _loop is None:
        # Imported here: the root conftest imports this module before pytest can rewrite
        # the asserts of that plugin module.
        from tests.storage.databases import BackgroundLoop

        _loop = BackgroundLoop()
    return _loop


def read_rows(url: str, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    """`sql` (written for SQLite) on the PostgreSQL database at `url`, in SQLite's shapes."""
    numbered = iter(range(1, len(params) + 1))
    query = _PLACEHOLDER.sub(lambda _: f"${next(numbered)}", sql)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def fetch() -> list[Any]:
        connection = await asyncpg.connect(dsn, server_settings={"lock_timeout": "10s"})
        try:
            return list(await connection.fetch(query, *params))
        finally:
            await connection.close()

    return [tuple(_as_sqlite(value) for value in row) for row in _background().run(fetch())]


def _as_sqlite(value: object) -> object:
    """The value as SQLAlchemy leaves it in a SQLite file (booleans already compare as 0/1)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # NUMERIC affinity: whole amounts come back as integers
        return int(value) if value == value.to_integral_value() else float(value)
    return value
