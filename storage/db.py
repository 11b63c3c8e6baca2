"""Engine and session factory, with the SQLite pragmas an embedded CRM needs, and migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

Sessions = async_sessionmaker[AsyncSession]


class SessionSource(Protocol):
    """Where code gets its sessions: the app's factory, or one update's single transaction
    (`bot.update_scope`), which looks the same to the code using it."""

    def begin(self) -> AbstractAsyncContextManager[AsyncSession]: ...
    def __call__(self) -> AbstractAsyncContextManager[AsyncSession]: ...


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the dispatcher read while a handler writes; foreign keys make cascades real;
    the driver's own keep SQLite from sleeping on the event loop."""
    cursor = dbapi_connection.cursor()
    own = ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL")
    for pragma in (*own, *sqlite_driver.PRAGMAS):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


# What says "the database is there but cannot serve now" rather than "the query is wrong".
_SQLITE_BUSY = ("database is locked", "database table is locked", "unable to open database",
                "disk i/o error")  # fmt: skip
_POSTGRES_AWAY = (
    asyncpg.exceptions.PostgresConnectionError,  # class 08: connection exceptions
    asyncpg.exceptions.OperatorInterventionError,  # 57: shutting down, cannot connect now
    asyncpg.exceptions.InsufficientResourcesError,  # 53: too many connections, disk full
    asyncpg.exceptions.ObjectNotInPrerequisiteStateError,  # 55000: not accepting connections
    asyncpg.exceptions.InterfaceError,  # the connection was closed under the query
)


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def unreachable(error: BaseException | None) -> bool:
    """The database could not serve the request now (down, refusing, locked, out of
    connections): trying again later may work, unlike a wrong query or a broken constraint."""
    if error is None:
        return False
    if isinstance(error, PoolTimeout | DisconnectionError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    for cause in _causes(error):
        if isinstance(cause, (OSError, *_POSTGRES_AWAY)):
            return True
        if isinstance(cause, sqlite3.OperationalError):
            return any(sign in str(cause).lower() for sign in _SQLITE_BUSY)
    return False


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`; for a SQLite file, its folder is created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLite has one writer: connections beyond a few only wait on its lock. 5 with no
        # overflow (with aiosqlite's threads, 100 sellers got /meet answers at p99 2.7 s
        # instead of 4.1); each statement now runs on the loop's thread
        # (`storage.sqlite_driver`), where 2, 5 and 10 gave 270, 257 and 248 texts/s.
        driver = sqlite_driver.InLoopDBAPI()
        engine = create_async_engine(url, pool_size=5, max_overflow=0, module=driver)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def make_sessions(engine: AsyncEngine) -> Sessions:
    """One factory for the whole app; objects stay usable after commit (no lazy reloads)."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply Alembic migrations from inside the running event loop.

    Alembic's async template calls `asyncio.run()`, which fails in a running loop, so the
    connection is handed to `env.py` through `config.attributes` and run synchronously.
    """
    from alembic import command
    from alembic.config import Config

    def _run(connection: Any) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table by dropping it; with foreign keys on, SQLite
            # would cascade that drop into every row that refers to it. Off, outside any
            # transaction (SQLite ignores the pragma inside one), then checked afterwards.
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            await connection.run_sync(_run)
            if sqlite:
                broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
            await connection.commit()
        finally:
            if sqlite:
                await connection.rollback()
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")


async def refresh_statistics(engine: AsyncEngine) -> None:
    """Give SQLite's query planner fresh table statistics (bounded work, even on big files).

    Without them SQLite may pick the dispatcher's (status, due_at) index for one seller's
    reminders and walk everyone's; PostgreSQL keeps its own statistics.
    """
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        await connection.exec_driver_sql("ANALYZE")
        await connection.commit()
