"""The migrations build exactly the models' schema from empty, and unwind back to nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Index, MetaData, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import MIGRATIONS_DIR, create_engine, upgrade
from storage.models import Base
from storage.types import UTCDateTime
from tests.storage.databases import ONLY_SQLITE

TABLES = set(Base.metadata.tables)
HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_config(sync), revision))


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def _version(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        return None if version is None else str(version)


def _diff(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, metadata))


@pytest.fixture
async def empty_engine(empty_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_database_url)
    yield engine
    await engine.dispose()


async def test_migrations_create_every_table_from_an_empty_database(
    empty_engine: AsyncEngine,
) -> None:
    assert await _tables(empty_engine) == set()

    await upgrade(empty_engine)

    assert await _tables(empty_engine) == TABLES | {"alembic_version"}
    assert await _version(empty_engine) == HEAD


async def test_upgrading_an_up_to_date_database_changes_nothing(engine: AsyncEngine) -> None:
    await upgrade(engine)

    assert await _version(engine) == HEAD


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff, Base.metadata)

    assert differences == []


async def test_schema_comparison_notices_a_difference(engine: AsyncEngine) -> None:
    """Guards the test above: a comparison that saw nothing would pass it vacuously."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    contact = changed.tables["contact"]
    contact.append_column(Column("nickname", UTCDateTime()))
    Index("ix_contact_name", contact.c.name)

    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff, changed)

    kinds = sorted(diff[0] for diff in differences)
    assert kinds == ["add_column", "add_index"]


async def test_timestamp_columns_are_timezone_aware(engine: AsyncEngine, db_backend: str) -> None:
    def reflect(sync: Connection) -> dict[tuple[str, str], Any]:
        inspector = inspect(sync)
        return {
            (table, column["name"]): column["type"]
            for table in TABLES
            for column in inspector.get_columns(table)
        }

    async with engine.connect() as connection:
        reflected = await connection.run_sync(reflect)

    utc_columns = [
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, UTCDateTime)
    ]
    assert len(utc_columns) >= 10
    if db_backend == "postgresql":  # SQLite has no time zone notion in its column types
        assert all(reflected[key].timezone for key in utc_columns)


async def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade(empty_engine)

    await _downgrade(empty_engine, "base")

    assert await _tables(empty_engine) <= {"alembic_version"}
    assert await _version(empty_engine) is None

    await upgrade(empty_engine)

    assert await _tables(empty_engine) == TABLES | {"alembic_version"}
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_diff, Base.metadata) == []


def test_revisions_form_one_line_with_readable_ids() -> None:
    script = ScriptDirectory.from_config(_config())
    revisions = list(script.walk_revisions())

    assert script.get_heads() == [revisions[0].revision]
    for number, revision in enumerate(reversed(revisions), start=1):
        assert revision.revision == f"{number:04d}"
        assert revision.down_revision == (None if number == 1 else f"{number - 1:04d}")


def test_migrations_do_not_import_the_app() -> None:
    for path in Path(MIGRATIONS_DIR, "versions").glob("*.py"):
        source = path.read_text()
        assert "import storage" not in source and "from storage" not in source, path.name


@ONLY_SQLITE
async def test_sqlite_connections_use_wal_and_enforce_foreign_keys(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        pragmas = {
            name: await connection.scalar(text(f"PRAGMA {name}"))
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }

    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 0,  # a busy database is waited for on the loop (storage.sqlite_driver)
        "synchronous": 1,
    }


async def test_the_contact_book_migration_fills_search_keys_of_existing_rows(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade(empty_engine, "0001")
    async with empty_engine.begin() as connection:
        for statement in (
            "INSERT INTO seller (id, language, timezone, timezone_confirmed, digest_hour,"
            " quiet_start_hour, quiet_end_hour, birthday_lead_days, active, created_at,"
            " updated_at) VALUES (1, 'nb', 'Europe/Oslo', true, 8, 21, 8, 5, true,"
            " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            "INSERT INTO contact (id, owner_id, name, company, phone, stage, market_fit,"
            " budget, authority, do_not_contact, created_at, updated_at) VALUES (1, 1,"
            " 'Kåre  Ørn', 'Æble AS', '+4791234567', 'lead', 'unknown', 'unknown',"
            " 'unknown', false, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            "INSERT INTO interaction (id, owner_id, contact_id, kind, text, occurred_at,"
            " created_at) VALUES (1, 1, 1, 'note', 'Vil ha TILBUD på nøkler',"
            " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
        ):
            await connection.execute(text(statement))

    await upgrade(empty_engine)

    async with empty_engine.connect() as connection:
        key = await connection.scalar(text("SELECT search_key FROM contact"))
        note = await connection.scalar(text("SELECT search_text FROM interaction"))
    assert key == "kare orn aeble as +4791234567"
    assert note == "vil ha tilbud pa nokler"


async def test_the_contact_sources_migration_keeps_rows_both_ways(
    empty_engine: AsyncEngine, db_backend: str
) -> None:
    """0006 adds two nullable contact columns; its downgrade rebuilds the table on SQLite,
    which must keep the rows, the rows hanging off them and AUTOINCREMENT."""
    sqlite = db_backend == "sqlite"
    await upgrade(empty_engine, "0005")
    async with empty_engine.begin() as connection:
        for statement in (
            "INSERT INTO seller (id, language, timezone, timezone_confirmed, digest_hour,"
            " quiet_start_hour, quiet_end_hour, birthday_lead_days, active, created_at,"
            " updated_at, keep_in_touch) VALUES (1, 'nb', 'Europe/Oslo', true, 8, 21, 8, 5,"
            " true, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', '{}')",
            "INSERT INTO contact (id, owner_id, name, stage, market_fit, budget, authority,"
            " do_not_contact, search_key, created_at, updated_at) VALUES (7, 1, 'Kari', 'lead',"
            " 'unknown', 'unknown', 'unknown', false, 'kari', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00')",
            "INSERT INTO interaction (id, owner_id, contact_id, kind, text, occurred_at,"
            " created_at) VALUES (1, 1, 7, 'note', 'Hei', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00')",
        ):
            await connection.execute(text(statement))

    await upgrade(empty_engine)

    async with empty_engine.begin() as connection:
        before = (
            await connection.execute(
                text("SELECT name, telegram_user_id, birthday_skipped_at FROM contact")
            )
        ).all()
        await connection.execute(text("UPDATE contact SET telegram_user_id = 5550001"))
    assert [tuple(row) for row in before] == [("Kari", None, None)]

    async with empty_engine.connect() as connection:
        if sqlite:  # as storage.db.upgrade: a rebuilt table must not cascade its drop
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await connection.run_sync(lambda sync: command.downgrade(_config(sync), "0005"))
        await connection.commit()
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=ON")

    async with empty_engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {column["name"] for column in inspect(sync).get_columns("contact")}
        )
        rows = (await connection.execute(text("SELECT id, name FROM contact"))).all()
        notes = await connection.scalar(text("SELECT count(*) FROM interaction"))
        schema = (
            await connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'contact'"))
            if sqlite
            else "AUTOINCREMENT"
        )
    assert {"telegram_user_id", "birthday_skipped_at"} & columns == set()
    assert [tuple(row) for row in rows] == [(7, "Kari")]
    assert notes == 1
    assert "AUTOINCREMENT" in str(schema)
    assert await _version(empty_engine) == "0005"
