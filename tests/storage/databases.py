"""Database fixtures for both backends: throwaway SQLite files and PostgreSQL databases.

The schema always comes from the Alembic migrations (`storage.db.upgrade`), run once per test
session. On SQLite each test gets a copy of the migrated file; on PostgreSQL tests share one
migrated database, emptied after each test (see `PostgresDatabases`). Tests needing an empty
database get a brand-new one on both.

Use from any test folder (after importing these fixtures into that folder's conftest, or
listing this module in the root conftest's `pytest_plugins`):

- `empty_database_url`: a URL to a fresh, empty database; the test runs once per backend.
  For code that migrates by itself (the bot's start-up, end-to-end tests).
- `database_url`: the same, already migrated to head.
- `engine`, `sessions`, `session`: an engine / session factory / open session on
  `database_url`, closed afterwards.
- `db_backend`: "sqlite" or "postgresql", the backend of the current test.

PostgreSQL tests carry the `postgres` mark (`-m "not postgres"` leaves them out). When the
server is unreachable they are skipped, unless `CI=true`, where that is a failure.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import shutil
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import Sessions, create_engine, make_sessions, upgrade
from storage.models import Base

T = TypeVar("T")

POSTGRES_URL = os.environ.get(
    "PROSPEKT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]

ONLY_SQLITE = pytest.mark.parametrize("db_backend", [BACKENDS[0]], indirect=True)
"""Run a test on SQLite alone: `@ONLY_SQLITE` (it overrides the `db_backend` parameters)."""
ONLY_POSTGRES = pytest.mark.parametrize("db_backend", [BACKENDS[1]], indirect=True)
"""Run a test on PostgreSQL alone: `@ONLY_POSTGRES`."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


class BackgroundLoop:
    """An event loop in its own thread, so session-scoped set-up works from sync fixtures.

    pytest-asyncio gives each test its own loop; admin work (creating databases, migrating
    templates) runs here instead and never shares connections with a test's loop.
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=120)

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


async def migrate(url: str) -> None:
    """Run the migrations on `url` the way the bot does, then let go of every connection."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


class Databases(Protocol):
    def acquire(self, *, migrated: bool) -> str:
        """A URL to a database of its own for one test: empty, or migrated to head."""

    def release(self, url: str) -> None:
        """The test is over: drop the database, or empty the shared one."""


class SQLiteDatabases:
    """Fresh database files in a temporary folder; migrated ones copy a migrated template."""

    def __init__(self, folder: Path, loop: BackgroundLoop) -> None:
        self._folder = folder
        self._counter = itertools.count(1)
        self._template = folder / "template.sqlite3"
        loop.run(migrate(self._url(self._template)))

    @staticmethod
    def _url(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    def acquire(self, *, migrated: bool) -> str:
        path = self._folder / f"test_{next(self._counter)}.sqlite3"
        if migrated:
            for suffix in ("", "-wal", "-shm"):  # normally only the main file is left
                source = Path(f"{self._template}{suffix}")
                if source.exists():
                    shutil.copyfile(source, f"{path}{suffix}")
        return self._url(path)

    def release(self, url: str) -> None:
        database = make_url(url).database
        assert database is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


class PostgresDatabases:
    """Uniquely named databases on the test server, all dropped at the end of the session.

    `prospekt_test_<random>` is created and migrated once; tests wanting a migrated database
    share it, and every row is deleted after each test (CREATE DATABASE costs 20-300 ms, as it
    syncs to disk, a few deletes a couple). A test wanting an empty one gets its own
    `prospekt_test_<random>_<n>`. Do not change the schema of the shared database in a test:
    use an empty one for that.
    """

    def __init__(self, server_url: str, loop: BackgroundLoop, admin: asyncpg.Connection) -> None:
        self._url = make_url(server_url)
        self._loop = loop
        self._admin = admin
        self._counter = itertools.count(1)
        self._created: list[str] = []
        self._shared: asyncpg.Connection | None = None
        self.shared = f"prospekt_test_{secrets.token_hex(4)}"
        # DELETE, not TRUNCATE: on a few rows it is ~10x faster (no new files to sync).
        tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
        self._empty_tables = "; ".join(f'DELETE FROM "{name}"' for name in tables)  # noqa: S608

    @classmethod
    def connect(cls, server_url: str, loop: BackgroundLoop) -> PostgresDatabases:
        """Connect to the server's admin database; raises OSError etc. when it is unreachable."""
        return cls(server_url, loop, loop.run(cls._connect(make_url(server_url))))

    def set_up(self) -> None:
        """Create and migrate the shared database (after `connect`, so failures here are real)."""
        self._execute(f'CREATE DATABASE "{self.shared}"')
        self._created.append(self.shared)
        self._loop.run(migrate(self._url_for(self.shared)))
        self._shared = self._loop.run(self._connect(self._url.set(database=self.shared)))

    @staticmethod
    async def _connect(url: URL) -> asyncpg.Connection:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return await asyncpg.connect(dsn, timeout=3)

    def _execute(self, sql: str, connection: asyncpg.Connection | None = None) -> None:
        self._loop.run((connection or self._admin).execute(sql))

    def _url_for(self, database: str) -> str:
        return self._url.set(database=database).render_as_string(hide_password=False)

    def acquire(self, *, migrated: bool) -> str:
        if migrated:
            return self._url_for(self.shared)
        name = f"{self.shared}_{next(self._counter)}"
        self._execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self._url_for(name)

    def release(self, url: str) -> None:
        name = make_url(url).database
        if name == self.shared:
            self._execute(self._empty_tables, self._shared)
            return
        assert name in self._created, name
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.remove(name)

    def close(self) -> None:
        if self._shared is not None:
            self._loop.run(self._shared.close())
        for name in reversed(self._created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._loop.run(self._admin.close())


@pytest.fixture(scope="session")
def admin_loop() -> Iterator[BackgroundLoop]:
    loop = BackgroundLoop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def sqlite_databases(
    tmp_path_factory: pytest.TempPathFactory, admin_loop: BackgroundLoop
) -> SQLiteDatabases:
    return SQLiteDatabases(tmp_path_factory.mktemp("sqlite"), admin_loop)


@pytest.fixture(scope="session")
def postgres_databases(admin_loop: BackgroundLoop) -> Iterator[PostgresDatabases]:
    try:
        databases = PostgresDatabases.connect(POSTGRES_URL, admin_loop)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        message = (
            f"PostgreSQL test server {shown} unreachable ({exc!r}); set PROSPEKT_TEST_POSTGRES_URL"
        )
        if in_ci():
            pytest.fail(f"{message} — required when CI=true")
        pytest.skip(message)
    try:
        databases.set_up()
        yield databases
    finally:
        databases.close()


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    return cast(str, request.param)


@pytest.fixture
def databases(db_backend: str, request: pytest.FixtureRequest) -> Databases:
    name = "sqlite_databases" if db_backend == "sqlite" else "postgres_databases"
    return cast(Databases, request.getfixturevalue(name))


@pytest.fixture
def empty_database_url(databases: Databases) -> Iterator[str]:
    url = databases.acquire(migrated=False)
    yield url
    databases.release(url)


@pytest.fixture
def database_url(databases: Databases) -> Iterator[str]:
    url = databases.acquire(migrated=True)
    yield url
    databases.release(url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return make_sessions(engine)


@pytest.fixture
async def session(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        yield session
