"""Backup → restore finds every row, on either database, and copies go either way.

The source is seeded on one backend (`database_url`), backed up to a SQLite file and restored
into a fresh database of each backend, so SQLite→SQLite, SQLite→PostgreSQL, PostgreSQL→SQLite
and PostgreSQL→PostgreSQL are all crossed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.backup import backup_to_file, restore_from_file
from storage.copy import (
    TABLES,
    CopyError,
    TableCopied,
    TargetNotEmptyError,
    copy_database,
    sqlite_path,
)
from storage.db import create_engine, make_sessions
from storage.models import Contact, InboxUpdate, Seller
from storage.vocabulary import (
    Answer,
    ConcernStatus,
    InteractionKind,
    Outcome,
    ReminderKind,
    ReminderStatus,
    Stage,
)
from tests.factories import (
    T0,
    make_concern,
    make_contact,
    make_conversation_state,
    make_interaction,
    make_reminder,
    make_sale,
    make_seller,
    make_stage_change,
    make_undo_item,
)
from tests.storage.databases import ONLY_SQLITE, Databases

MICRO = T0 + timedelta(microseconds=123_457)  # times keep their microseconds
LONG_NOTE = ("Åse vil ha tilbud på årsavtale 🤝, men økonomisjefen må godkjenne. " * 60)[:4000]
Rows = dict[str, list[tuple[Any, ...]]]

TO = [
    pytest.param("sqlite", id="to-sqlite"),
    pytest.param("postgresql", id="to-postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture
def fresh_url(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """An empty database of its own on the backend named, dropped after the test."""

    def acquire(backend: str) -> str:
        name = "sqlite_databases" if backend == "sqlite" else "postgres_databases"
        databases: Databases = request.getfixturevalue(name)
        url = databases.acquire(migrated=False)
        request.addfinalizer(lambda: databases.release(url))
        return url

    return acquire


async def _seed_every_table(session: AsyncSession) -> None:
    """Realistic rows in every table: Norwegian letters, emoji, long text, NULLs, microseconds."""
    kari = await make_seller(
        session,
        id=7_123_456_789,  # Telegram ids outgrow 32 bits
        language="nb",
        timezone_confirmed=True,
        keep_in_touch={"prospect": 14, "customer": 90},
        created_at=MICRO,
        updated_at=MICRO + timedelta(days=2),
    )
    await make_seller(session, language="en", timezone="America/New_York", active=False)
    ase = await make_contact(
        session,
        owner=kari,
        name="Åse Kjærstad-Øvrebø 🎉",
        company="Ærlig Øl & Sønn AS",
        phone="+4791234567",
        email="åse@bryggeri.no",
        telegram_user_id=6_000_000_001,
        birth_day=29,
        birth_month=2,
        birth_year=1984,
        birthday_skipped_at=MICRO,
        stage=Stage.CUSTOMER,
        market_fit=Answer.YES,
        budget=Answer.NO,
        authority=Answer.UNKNOWN,
        outcome=Outcome.BOUGHT,
        source="forwarded",
        last_contacted_at=MICRO - timedelta(days=3, microseconds=1),
        search_key="ase kjaerstad-ovrebo aerlig ol & sonn as",
        created_at=MICRO,
    )
    bare = await make_contact(session, owner=kari, name="Ola")  # every optional column NULL
    gone = await make_contact(session, owner=kari, name="Slettet")
    await make_interaction(session, contact=ase, text=LONG_NOTE, occurred_at=MICRO)
    await make_interaction(session, contact=bare, kind=InteractionKind.CALL, text=None)
    await make_concern(session, contact=ase, text="Er det for dyrt? 💸")
    await make_concern(
        session, contact=ase, status=ConcernStatus.RESOLVED, resolved_at=MICRO + timedelta(hours=1)
    )
    await make_stage_change(session, contact=ase, from_stage=None, to_stage=Stage.LEAD)
    await make_stage_change(session, contact=ase, from_stage=Stage.LEAD, changed_at=MICRO)
    await make_sale(session, contact=ase, amount=Decimal("123456789012.34"), sold_at=MICRO)
    await make_sale(session, contact=ase, amount=Decimal("0.01"), currency="EUR")
    await make_reminder(session, owner=kari, contact=ase, due_at=MICRO, exact_time=True)
    await make_reminder(
        session,
        owner=kari,
        kind=ReminderKind.BIRTHDAY,
        status=ReminderStatus.FAILED,
        attempts=3,
        last_error="Forbidden: bot was blocked by the user 🚫",
        sent_message_id=9_876_543_210,
        sent_at=MICRO,
        claimed_at=MICRO,
    )
    await make_conversation_state(
        session, owner=kari, data={"name": "Åse 🎉", "answers": [True, None, "vet ikke"]}
    )
    await make_undo_item(session, owner=kari, payload={"contact": {"name": "Bjørn", "id": 3}})
    session.add(  # a note typed just before the backup, not yet handled
        InboxUpdate(
            update_id=900_000_001,
            seller_id=kari.id,
            payload={"update_id": 900_000_001, "message": {"text": "Ring Åse i morgen 📞"}},
            state="queued",
            attempts=1,
            lease_until=MICRO,
            received_at=MICRO,
        )
    )
    await session.execute(delete(Contact).where(Contact.id == gone.id))  # a gap in the ids


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        async with make_sessions(engine).begin() as session:
            await _seed_every_table(session)
    finally:
        await engine.dispose()


async def _every_row(url: str) -> Rows:
    """Each table's full rows, in primary-key order."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in await connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in TABLES
            }
    finally:
        await engine.dispose()


async def _new_contact(url: str) -> int:
    """Add a contact the way the bot does (the database picks its id); its id."""
    engine = create_engine(url)
    try:
        async with make_sessions(engine).begin() as session:
            owner = await session.scalar(select(Seller).where(Seller.language == "nb"))
            assert owner is not None
            return (await make_contact(session, owner=owner, name="Ny etter gjenoppretting")).id
    finally:
        await engine.dispose()


async def _highest_contact_ever(url: str) -> int:
    rows = await _every_row(url)
    return int(max(row[0] for row in rows["contact"])) + 1  # the deleted one came after them


async def _seed_back_up_and_restore(
    source: str, target: str, folder: Path
) -> tuple[list[TableCopied], list[TableCopied]]:
    """Seed every table of `source`, back it up to a file in `folder`, restore that in `target`."""
    await _seed(source)
    backup = folder / "backup.sqlite3"
    return await backup_to_file(source, backup), await restore_from_file(backup, target)


@pytest.mark.parametrize("restore_to", TO)
async def test_backup_then_restore_finds_every_row(
    database_url: str, restore_to: str, fresh_url: Callable[[str], str], tmp_path: Path
) -> None:
    target = fresh_url(restore_to)

    backed_up, restored = await _seed_back_up_and_restore(database_url, target, tmp_path)

    before, after = await _every_row(database_url), await _every_row(target)
    assert after == before
    assert all(before[table.name] for table in TABLES), "every table was seeded"
    counts = {table.name: len(before[table.name]) for table in TABLES}
    for copy in (backed_up, restored):
        assert {done.name: done.source_rows for done in copy} == counts
        assert {done.name: done.target_rows for done in copy} == counts
    ase = next(row for row in after["contact"] if row[2] == "Åse Kjærstad-Øvrebø 🎉")
    birthday_skipped_at = ase[list(Contact.__table__.columns.keys()).index("birthday_skipped_at")]
    assert birthday_skipped_at == MICRO
    assert birthday_skipped_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("restore_to", TO)
async def test_new_contacts_after_a_restore_get_ids_never_used_before(
    database_url: str, restore_to: str, fresh_url: Callable[[str], str], tmp_path: Path
) -> None:
    target = fresh_url(restore_to)
    await _seed_back_up_and_restore(database_url, target, tmp_path)
    used = await _highest_contact_ever(database_url)

    first = await _new_contact(target)

    assert first == used + 1
    assert await _new_contact(target) == first + 1


async def test_restore_refuses_a_database_with_rows_unless_told_to_replace(
    database_url: str, tmp_path: Path
) -> None:
    await _seed(database_url)
    backup = tmp_path / "backup.sqlite3"
    await backup_to_file(database_url, backup)
    backed_up = await _every_row(database_url)
    await _new_contact(database_url)  # written after the backup
    now = await _every_row(database_url)

    with pytest.raises(TargetNotEmptyError, match=r"contact: 3\b") as refused:
        await restore_from_file(backup, database_url)

    assert refused.value.counts["seller"] == 2
    assert await _every_row(database_url) == now
    await restore_from_file(backup, database_url, replace=True)
    assert await _every_row(database_url) == backed_up


@pytest.mark.parametrize("copy_to", TO)
async def test_copy_db_copies_every_row_in_small_batches(
    database_url: str, copy_to: str, fresh_url: Callable[[str], str]
) -> None:
    await _seed(database_url)
    target = fresh_url(copy_to)
    heard: list[str] = []

    await copy_database(database_url, target, batch_rows=1, on_table=lambda t: heard.append(t.name))

    assert await _every_row(target) == await _every_row(database_url)
    assert heard == [table.name for table in TABLES]


async def test_a_copy_onto_itself_or_from_a_missing_file_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    with pytest.raises(CopyError, match="the same database"):
        await copy_database(database_url, database_url, replace=True)
    missing = tmp_path / "nowhere.sqlite3"
    with pytest.raises(CopyError, match="no database file"):
        await copy_database(f"sqlite+aiosqlite:///{missing}", database_url)
    assert not missing.exists()


@ONLY_SQLITE
async def test_a_copy_reads_one_snapshot_while_the_bot_keeps_writing(
    database_url: str, fresh_url: Callable[[str], str]
) -> None:
    await _seed(database_url)
    before = await _every_row(database_url)
    path = sqlite_path(database_url)
    assert path is not None

    def bot_writes(table: TableCopied) -> None:
        """Between two tables, the running bot adds a contact and a note (WAL: not blocked)."""
        if table.name != "seller":
            return
        with closing(sqlite3.connect(path)) as bot, bot:
            bot.execute(
                "INSERT INTO interaction (owner_id, contact_id, kind, occurred_at, "
                "created_at) SELECT owner_id, id, 'note', created_at, created_at "
                "FROM contact"
            )

    target = fresh_url("sqlite")
    await copy_database(database_url, target, on_table=bot_writes)

    assert await _every_row(target) == before
    assert len((await _every_row(database_url))["interaction"]) > len(before["interaction"])
