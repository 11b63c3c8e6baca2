"""Engine and session factory, with the SQLite pragmas an embedded CRM needs, and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

Sessions = async_sessionmaker[AsyncSession]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the dispatcher read while a handler writes; foreign keys make cascades real."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`; for a SQLite file, its folder is created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
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
