"""Copy every table from one database to another: a restore, a backup, moving to PostgreSQL.

Both sides are migrated to head first, so each has the same tables and columns. The source is
read in one read-only transaction (one snapshot, even while the bot writes), table by table,
parents before children, in primary-key order and in batches (memory stays bounded whatever
the size). The target is written in one transaction: a failure leaves it as it was. Primary
keys are kept, and each table's id counter is moved past every id the source ever handed out,
so new rows neither collide with copied ones nor reuse the id of one deleted before the copy
(an old button naming that id must not open someone else). Every table's rows are counted on
both sides before the target commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import BigInteger, String, Table, func, insert, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import create_engine, upgrade
from storage.models import Base

BATCH_ROWS = 1000
TABLES: list[Table] = list(Base.metadata.sorted_tables)  # parents before children


@dataclass(frozen=True)
class TableCopied:
    """One table's rows, counted on the source (in the snapshot read) and on the target."""

    name: str
    source_rows: int
    target_rows: int


class CopyError(Exception):
    """A copy refused or failed for a reason the person running it can fix."""


class TargetNotEmptyError(CopyError):
    """The target has rows and the copy was not told to replace them."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        listed = ", ".join(f"{name}: {rows}" for name, rows in counts.items())
        super().__init__(f"the target database already has rows ({listed})")


def parse_url(url: str) -> URL:
    """`url` parsed, or a `CopyError` that does not repeat it (it may hold a password)."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as error:
        raise CopyError(f"not a database URL ({type(error).__name__})") from error


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for `:memory:`)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def same_database(first: str, second: str) -> bool:
    """Do two URLs name the same database (the same file, or the same server and name)?"""
    paths = sqlite_path(first), sqlite_path(second)
    if paths[0] is not None and paths[1] is not None:
        return paths[0].resolve() == paths[1].resolve()
    a, b = parse_url(first), parse_url(second)
    return (a.get_backend_name(), a.host, a.port, a.database) == (
        b.get_backend_name(),
        b.host,
        b.port,
        b.database,
    )


def _require_file(url: str) -> None:
    """A SQLite source must exist: opening it would create an empty one to copy from."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise CopyError(f"no database file at {path}")


Report = Callable[[TableCopied], None]


async def copy_database(
    source_url: str,
    target_url: str,
    *,
    replace: bool = False,
    batch_rows: int = BATCH_ROWS,
    on_table: Report | None = None,
) -> list[TableCopied]:
    """Copy every row of `source_url` into `target_url`; the counts, per table.

    Refuses a target with rows (`TargetNotEmptyError`) unless `replace`, which empties it first.
    `on_table` hears of each table as soon as it is copied and counted.
    """
    if same_database(source_url, target_url):
        raise CopyError("the source and the target are the same database")
    _require_file(source_url)
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        await upgrade(source)
        await upgrade(target)
        async with source.connect() as reading, target.begin() as writing:
            await _read_one_snapshot(reading)
            await _make_room(writing, replace=replace)
            copied = []
            for table in TABLES:
                done = await _copy_table(reading, writing, table, batch_rows)
                copied.append(done)
                if on_table is not None:
                    on_table(done)
            for table in TABLES:
                await _carry_id_counter(reading, writing, table)
        return copied
    finally:
        await source.dispose()
        await target.dispose()


async def _read_one_snapshot(reading: AsyncConnection) -> None:
    """Every table read from one snapshot, writing nothing."""
    if reading.dialect.name == "postgresql":
        await reading.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    else:
        # pysqlite begins a transaction only before a write; without one each SELECT would
        # see the database as it is at that moment. In WAL mode a reader never blocks the bot.
        await reading.exec_driver_sql("BEGIN")


async def count_rows(connection: AsyncConnection, table: Table) -> int:
    return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def _make_room(writing: AsyncConnection, *, replace: bool) -> None:
    counts = {table.name: await count_rows(writing, table) for table in TABLES}
    filled = {name: rows for name, rows in counts.items() if rows}
    if filled and not replace:
        raise TargetNotEmptyError(filled)
    for table in reversed(TABLES):  # children before parents
        if counts[table.name]:
            await writing.execute(table.delete())


async def _copy_table(
    reading: AsyncConnection, writing: AsyncConnection, table: Table, batch_rows: int
) -> TableCopied:
    keys = [column.key for column in table.columns]
    query = select(table).order_by(*table.primary_key.columns)
    result = await reading.stream(query.execution_options(yield_per=batch_rows))
    streamed = 0
    async for batch in result.partitions(batch_rows):
        await writing.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in batch])
        streamed += len(batch)
    source_rows, target_rows = await count_rows(reading, table), await count_rows(writing, table)
    done = TableCopied(table.name, source_rows, target_rows)
    if not done.source_rows == streamed == done.target_rows:
        raise CopyError(
            f"{table.name}: {done.source_rows} rows in the source, {streamed} read, "
            f"{done.target_rows} in the target"
        )
    return done


async def _carry_id_counter(
    reading: AsyncConnection, writing: AsyncConnection, table: Table
) -> None:
    """The target's next id for `table` comes after every id the source has handed out."""
    column = table.autoincrement_column
    if column is None:
        return
    highest = await writing.scalar(select(func.max(column)))
    handed_out = max(highest or 0, await _last_id_handed_out(reading, table) or 0)
    if writing.dialect.name == "postgresql":
        sequence = await _sequence(writing, table)
        if sequence is not None:
            await writing.execute(
                text("SELECT setval(to_regclass(:sequence), :value, :called)"),
                {"sequence": sequence, "value": max(handed_out, 1), "called": handed_out > 0},
            )
    elif table.dialect_options["sqlite"]["autoincrement"] and handed_out:
        # Explicit ids already raised it to the highest copied; this adds the deleted ones.
        await writing.execute(
            text("UPDATE sqlite_sequence SET seq = max(seq, :value) WHERE name = :name"),
            {"value": handed_out, "name": table.name},
        )
        await writing.execute(
            text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :name, :value "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)"
            ),
            {"value": handed_out, "name": table.name},
        )


async def _last_id_handed_out(reading: AsyncConnection, table: Table) -> int | None:
    """The source's id counter for `table`, where it keeps one apart from the rows."""
    if reading.dialect.name == "postgresql":
        sequence = await _sequence(reading, table)
        if sequence is None:
            return None
        last = func.pg_sequence_last_value(func.to_regclass(sequence), type_=BigInteger)
        return await reading.scalar(select(last))
    if not table.dialect_options["sqlite"]["autoincrement"]:
        return None  # SQLite reuses the highest id of such a table: nothing to carry
    seq = await reading.scalar(
        text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
    )
    return None if seq is None else int(seq)


async def _sequence(connection: AsyncConnection, table: Table) -> str | None:
    column = table.autoincrement_column
    assert column is not None
    found = func.pg_get_serial_sequence(table.name, column.name, type_=String)
    return await connection.scalar(select(found))
