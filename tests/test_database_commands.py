"""`python -m bot backup | restore | copy-db`, run as a seller's admin runs them: no token needed,
one line per table, a last line on what was done, and one line with exit code 1 on a refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.copy import TABLES
from storage.db import create_engine, make_sessions, upgrade
from tests.factories import make_contact, make_seller
from tests.storage.databases import ONLY_POSTGRES

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "hunter2-not-to-be-shown"


def run_command(
    folder: Path, *arguments: str, database: Path | None = None
) -> tuple[int, str, str]:
    """`python -m bot *arguments` in `folder`, DATABASE_URL naming `database`: code, out, err."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    if database is not None:
        clean["DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    result = subprocess.run(  # noqa: S603  # the arguments are the test's own
        [sys.executable, "-m", "bot", *arguments],
        cwd=folder,  # no .env there
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


async def _live_database(path: Path) -> None:
    """The bot's database with Kari and one contact of hers."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine)
        async with make_sessions(engine).begin() as session:
            kari = await make_seller(session, language="nb")
            await make_contact(session, owner=kari, name="Åse Kjærstad 🎉")
    finally:
        await engine.dispose()


def _table_lines(stdout: str) -> list[str]:
    return stdout.splitlines()[: len(TABLES)]


def _lines_of(stdout: str, *tables: str) -> list[str]:
    """The lines of `tables`, in that order (the command prints parents before children)."""
    by_table = {line.split()[0]: line for line in _table_lines(stdout)}
    return [by_table[table] for table in tables]


async def test_backup_then_restore_from_the_command_line(tmp_path: Path) -> None:
    live, backup, restored = tmp_path / "live.sqlite3", "backup.sqlite3", tmp_path / "new.sqlite3"
    await _live_database(live)

    code, out, err = run_command(tmp_path, "backup", backup, database=live)
    assert (code, err) == (0, "")
    assert _lines_of(out, "seller", "contact") == [
        "seller                       1 →          1",
        "contact                      1 →          1",
    ]
    assert out.splitlines()[-1].startswith(
        f"Backed up 2 rows in {len(TABLES)} tables from sqlite+aiosqlite:///{live} "
        "to backup.sqlite3 in "
    )

    code, out, err = run_command(tmp_path, "restore", backup, database=restored)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == len(TABLES) + 1
    assert out.splitlines()[-1].startswith(
        f"Restored 2 rows in {len(TABLES)} tables from backup.sqlite3 into "
        f"sqlite+aiosqlite:///{restored} in "
    )

    code, out, err = run_command(tmp_path, "restore", backup, database=restored)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "prospekt: restore failed: the target database already has rows "
        "(seller: 1, contact: 1); add --replace to empty it first"
    ]
    code, out, err = run_command(tmp_path, "restore", backup, "--replace", database=restored)
    assert (code, err) == (0, "")


@ONLY_POSTGRES
async def test_copy_db_to_postgresql_never_shows_the_password(
    tmp_path: Path, empty_database_url: str
) -> None:
    await _live_database(tmp_path / "live.sqlite3")
    source = f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite3'}"
    target = make_url(empty_database_url).set(password=PASSWORD)  # the test server trusts all
    copy = ["copy-db", "--from", source, "--to", target.render_as_string(hide_password=False)]

    code, out, err = run_command(tmp_path, *copy)
    assert (code, err) == (0, "")
    shown = target.render_as_string(hide_password=True)
    assert out.splitlines()[-1].startswith(f"Copied 2 rows in {len(TABLES)} tables from {source}")
    assert f"to {shown} in " in out
    assert PASSWORD not in out

    unreachable = target.set(port=1).render_as_string(hide_password=False)
    code, out, err = run_command(tmp_path, "copy-db", "--from", source, "--to", unreachable)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("prospekt: copy-db failed: ")
    assert PASSWORD not in err
