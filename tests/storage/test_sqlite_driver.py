"""The SQLite engine runs each statement on the event loop's thread, waits for the write lock
without stopping the loop, and still gives SQLAlchemy everything the stock adapter gives:
rows, counts, new ids, streamed rows, errors."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite_driver
from storage.db import create_engine, make_sessions, unreachable, upgrade
from storage.models import Contact, Seller


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "driver.sqlite3"


@pytest.fixture
async def engine(path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")

    @event.listens_for(engine.sync_engine, "connect")
    def thread_function(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread", 0, threading.get_ident)

    await upgrade(engine)
    yield engine
    await engine.dispose()


def seller(number: int) -> Seller:
    return Seller(id=number, language="nb", timezone="Europe/Oslo")


async def test_a_statement_runs_on_the_event_loops_thread(engine: AsyncEngine) -> None:
    async with make_sessions(engine)() as session:
        ran_on = await session.scalar(text("SELECT thread()"))

    assert ran_on == threading.get_ident()


async def test_a_writer_waits_for_the_lock_while_the_loop_goes_on(engine: AsyncEngine) -> None:
    sessions = make_sessions(engine)

    async def second_writer() -> int:
        async with sessions.begin() as session:
            session.add(seller(2))
            await session.flush()  # waits here until the first writer commits
            return await session.scalar(select(func.count()).select_from(Seller)) or 0

    async with sessions() as first:
        first.add(seller(1))
        await first.flush()  # holds the write lock
        waiting = asyncio.create_task(second_writer())
        for _ in range(20):  # the loop runs on while the second writer waits
            await asyncio.sleep(0.005)
        assert not waiting.done()
        await first.commit()

    assert await waiting == 2, "the second writer went on after the first, and saw its row"


async def test_this_processs_writers_take_the_lock_in_turn(engine: AsyncEngine) -> None:
    await engine.dispose()  # connections from here on are traced
    inserts: list[str] = []

    @event.listens_for(engine.sync_engine, "connect")
    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection._connection.set_trace_callback(
            lambda statement: inserts.append(statement) if "INSERT" in statement else None
        )

    sessions = make_sessions(engine)
    committed: list[int] = []

    async def writer(number: int) -> None:
        async with sessions.begin() as session:
            session.add(seller(number))
            await session.flush()
            await asyncio.sleep(0.01)  # holds the lock a while, as a reply would
        committed.append(number)

    async with sessions() as first:
        first.add(seller(1))
        await first.flush()
        waiting = []
        for number in (2, 3, 4):  # in line in this order
            waiting.append(asyncio.create_task(writer(number)))
            await asyncio.sleep(0.02)
        await first.commit()
    await asyncio.gather(*waiting)

    assert committed == [2, 3, 4], "first come, first served"
    assert len(inserts) == 4, "each waited in line, and wrote once: none was turned away"


async def test_a_lock_held_too_long_is_a_passing_failure(
    engine: AsyncEngine, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "BUSY_WAIT", 0.2)
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # a writer this process cannot wake on
    try:
        with pytest.raises(OperationalError) as raised:
            async with make_sessions(engine).begin() as session:
                session.add(seller(1))
    finally:
        other_process.rollback()
        other_process.close()

    assert "database is locked" in str(raised.value)
    assert unreachable(raised.value), "the update is handled again later, not failed"


async def test_rows_counts_and_new_ids_come_back(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        await session.execute(
            insert(Seller),
            [{"id": n, "language": "nb", "timezone": "Europe/Oslo"} for n in (1, 2, 3)],
        )
        contact = Contact(owner_id=1, name="Ørjan Bækkelund")
        session.add(contact)
        await session.flush()  # the new id is the cursor's lastrowid
        changed = await session.execute(update(Seller).where(Seller.id >= 2).values(language="en"))
        gone = await session.execute(delete(Seller).where(Seller.id == 3))
        returned = (
            await session.execute(
                update(Contact).where(Contact.id == contact.id).values(company="Fjord Æ AS")
                .returning(Contact.id, Contact.company)
            )
        ).all()  # fmt: skip

        assert contact.id is not None
        assert changed.rowcount == 2 and gone.rowcount == 1  # type: ignore[attr-defined]
        assert returned == [(contact.id, "Fjord Æ AS")]
        assert await session.scalar(select(func.count()).select_from(Seller)) == 2


async def test_a_broken_rule_is_sqlalchemys_integrity_error(engine: AsyncEngine) -> None:
    async with make_sessions(engine)() as session:
        session.add(seller(1))
        await session.commit()
        session.add(Seller(id=1, language="en", timezone="Europe/Oslo"))
        with pytest.raises(IntegrityError):
            await session.commit()
        await session.rollback()
        assert await session.scalar(select(Seller.language).where(Seller.id == 1)) == "nb"


async def test_rows_stream_from_a_server_side_cursor(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        session.add_all([seller(n) for n in range(1, 251)])
    async with make_sessions(engine)() as session:
        streamed = await session.stream_scalars(select(Seller.id).order_by(Seller.id))
        ids = [n async for n in streamed]

    assert ids == list(range(1, 251))
