"""A backup is one SQLite file, whatever the database; restoring copies it into any database.

From SQLite, the backup is SQLite's own online backup of the live file: a page-for-page copy
of one snapshot, taken while the bot keeps writing (in WAL mode a reader never blocks it), so
it is the database exactly as it was, id counters included. From PostgreSQL it is
`copy_database` into a new file. Either way the file is written under a temporary name and
renamed when complete, and it is a single file (no `-wal` beside it). Restoring never changes
the backup: it is copied aside, migrated to head there, and copied from there.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from contextlib import closing, suppress
from pathlib import Path

from storage.copy import TABLES, CopyError, Report, TableCopied, copy_database, sqlite_path


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def backup_to_file(
    source_url: str, path: Path, *, replace: bool = False, on_table: Report | None = None
) -> list[TableCopied]:
    """Write the database at `source_url` to the SQLite file `path`; the counts, per table.

    Refuses an existing `path` unless `replace`.
    """
    partial = _make_way(path, replace=replace)
    source = sqlite_path(source_url)
    try:
        if source is None:
            copied = await copy_database(source_url, sqlite_url(partial), on_table=on_table)
            await asyncio.to_thread(_single_file, partial)
        else:
            copied = await asyncio.to_thread(_online_backup, source, partial)
            for done in copied:
                if on_table is not None:
                    on_table(done)
        partial.replace(path)
    finally:
        _remove(partial)
    return copied


async def restore_from_file(
    path: Path, target_url: str, *, replace: bool = False, on_table: Report | None = None
) -> list[TableCopied]:
    """Copy every row of the backup `path` into `target_url` (`copy_database`'s rules)."""
    with tempfile.TemporaryDirectory(prefix="prospekt-restore-") as folder:
        aside = Path(folder) / path.name
        await asyncio.to_thread(_online_backup, path, aside)
        return await copy_database(
            sqlite_url(aside), target_url, replace=replace, on_table=on_table
        )


def _make_way(path: Path, *, replace: bool) -> Path:
    """The temporary name the backup `path` is written under, cleared, in a folder that exists."""
    if path.exists() and not replace:
        raise CopyError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial")
    _remove(partial)
    return partial


def _online_backup(source: Path, target: Path) -> list[TableCopied]:
    """Copy the SQLite file `source` to `target`, checked; the rows of each table in both."""
    if not source.is_file():
        raise CopyError(f"no database file at {source}")
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as reading,
            closing(sqlite3.connect(target)) as writing,
        ):
            reading.execute("BEGIN")  # the snapshot counted here is the one backed up
            counted = _count(reading)
            reading.backup(writing)  # all pages in one step, within that read transaction
            writing.execute("PRAGMA journal_mode=DELETE")
            problems = writing.execute("PRAGMA integrity_check").fetchall()
            copied = [
                TableCopied(name, rows, target_rows)
                for (name, rows), target_rows in zip(
                    counted.items(), _count(writing).values(), strict=True
                )
            ]
    except sqlite3.DatabaseError as error:
        raise CopyError(f"{source}: {error}") from error
    if problems != [("ok",)]:
        raise CopyError(f"the copy of {source} is damaged: {problems[:3]}")
    for done in copied:
        if done.source_rows != done.target_rows:
            raise CopyError(
                f"{done.name}: {done.source_rows} rows in {source}, {done.target_rows} in the copy"
            )
    return copied


def _count(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of the schema that the file has (an old file may lack newer ones)."""
    present = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    return {
        table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608
        for table in TABLES
        if table.name in present
    }


def _single_file(path: Path) -> None:
    """Fold the write-ahead log into the file, so the backup is the one file."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
