"""`python -m bot backup | restore | copy-db`: the database commands, which need no token.

Each prints one line per table (rows in the source → rows in the target), then one line on
what was done; on an error, one line on stderr and exit code 1. Passwords in URLs are never
shown.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from bot.config import DatabaseSettings
from storage.backup import backup_to_file, restore_from_file
from storage.copy import (
    CopyError,
    Report,
    TableCopied,
    TargetNotEmptyError,
    copy_database,
    parse_url,
)

EXIT_FAILED = 1

Command = Callable[[argparse.Namespace, Report], Coroutine[None, None, str]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="With no command: run the bot."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="write DATABASE_URL to a SQLite file")
    backup.add_argument("file", type=Path)
    backup.add_argument("--replace", action="store_true", help="overwrite an existing file")
    restore = commands.add_parser("restore", help="copy a backup file into DATABASE_URL")
    restore.add_argument("file", type=Path)
    restore.add_argument("--replace", action="store_true", help="empty DATABASE_URL first")
    copy = commands.add_parser("copy-db", help="copy every table from one database to another")
    copy.add_argument("--from", dest="source", required=True, metavar="URL")
    copy.add_argument("--to", dest="target", required=True, metavar="URL")
    copy.add_argument("--replace", action="store_true", help="empty the target first")
    return parser


def shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except CopyError:
        return "(an unreadable database URL)"


def _database_url() -> str:
    return DatabaseSettings().database_url


async def _backup(arguments: argparse.Namespace, report: Report) -> str:
    url = _database_url()
    copied = await backup_to_file(url, arguments.file, replace=arguments.replace, on_table=report)
    return f"Backed up {_rows(copied)} from {shown(url)} to {arguments.file}"


async def _restore(arguments: argparse.Namespace, report: Report) -> str:
    url = _database_url()
    copied = await restore_from_file(
        arguments.file, url, replace=arguments.replace, on_table=report
    )
    return f"Restored {_rows(copied)} from {arguments.file} into {shown(url)}"


async def _copy(arguments: argparse.Namespace, report: Report) -> str:
    copied = await copy_database(
        arguments.source, arguments.target, replace=arguments.replace, on_table=report
    )
    return f"Copied {_rows(copied)} from {shown(arguments.source)} to {shown(arguments.target)}"


COMMANDS: dict[str, Command] = {"backup": _backup, "restore": _restore, "copy-db": _copy}


def _rows(copied: list[TableCopied]) -> str:
    total = sum(done.target_rows for done in copied)
    return f"{total:,} rows in {len(copied)} tables"


def _print_table(done: TableCopied) -> None:
    print(f"{done.name:<20}{done.source_rows:>10,} → {done.target_rows:>10,}", flush=True)


def _reason(error: Exception, secrets: Sequence[str]) -> str:
    """The error in one line, without the driver's SQL and parameters or any password."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig else error
    lines = str(cause).strip().splitlines() or [type(cause).__name__]
    reason = lines[0]
    if isinstance(error, TargetNotEmptyError):
        reason += "; add --replace to empty it first"
    for secret in secrets:
        reason = re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", "***", reason)
    return reason


def _passwords(arguments: argparse.Namespace) -> list[str]:
    urls = [getattr(arguments, name, None) for name in ("source", "target")]
    urls.append(_database_url())
    found = []
    for url in filter(None, urls):
        try:
            password = parse_url(url).password
        except CopyError:
            continue
        if password:
            found.append(str(password))
    return found


def main(argv: Sequence[str]) -> int:
    """Run one database command; its exit code."""
    arguments = _parser().parse_args(argv)
    started = time.monotonic()
    try:
        done = asyncio.run(COMMANDS[arguments.command](arguments, _print_table))
    except (CopyError, SQLAlchemyError, OSError, CommandError) as error:
        reason = _reason(error, _passwords(arguments))
        print(f"prospekt: {arguments.command} failed: {reason}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{done} in {time.monotonic() - started:.1f} s.")
    return 0
