"""The SQLite engine runs each statement in one trip to aiosqlite's thread, and still gives
SQLAlchemy everything the stock adapter gives: rows, counts, new ids, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, make_sessions, upgrade
from storage.models import Contact, Seller


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each function handed to an aiosqlite thread, in order."""
    handed: list[str] = []
    execute: Callable[..., Awaitable[Any]] = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return handed


async def test_a_select_is_one_trip(engine: AsyncEngine, trips: list[str]) -> None:
    async with make_sessions(engine)() as session:
        await session.execute(select(1))  # the connection checked out and begun
        trips.clear()
        rows = (await session.execute(select(Seller.id).where(Seller.id > 0))).all()

    assert rows == []
    assert trips[0] == "_run" and trips.count("_run") == 1


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
        session.add(Seller(id=1, language="nb", timezone="Europe/Oslo"))
        await session.commit()
        session.add(Seller(id=1, language="en", timezone="Europe/Oslo"))
        with pytest.raises(IntegrityError):
            await session.commit()
        await session.rollback()
        assert await session.scalar(select(Seller.language).where(Seller.id == 1)) == "nb"
