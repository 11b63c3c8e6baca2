"""A large, realistic SQLite database for the benchmarks, written straight through sqlite3.

1,000 sellers x 1,000 contacts x 5 interactions by default: going through the ORM would take
an hour; plain `executemany` inside one transaction takes about a minute.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.db import create_engine, upgrade
from storage.vocabulary import fold

FIRST = [
    "Kari",
    "Ola",
    "Åse",
    "Per",
    "Lise",
    "Jonas",
    "Ingrid",
    "Kåre",
    "Emma",
    "Noah",
    "Sofie",
    "Lars",
    "Maja",
    "Henrik",
    "Nora",
    "Oskar",
    "Thea",
    "Jakob",
    "Sara",
    "Emil",
]
LAST = [
    "Nordmann",
    "Hansen",
    "Ødegård",
    "Johansen",
    "Berg",
    "Larsen",
    "Andersen",
    "Bakken",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Haugen",
    "Dahl",
    "Lie",
]
COMPANIES = [
    "Acme AS",
    "Fjord Tech",
    "Nordlys Bygg",
    "Havbris",
    "Bergen Bakeri",
    "Tind AS",
    "Skog & Sønn",
    "Vestland Regnskap",
    "Polar Data",
    "Elv Media",
]
NOTES = [
    "Wants a demo for the team",
    "Vil ha tilbud på lisenser",
    "Budget approved in Q2",
    "Spør om leveringstid",
    "Met at the trade fair",
    "Ring etter ferien",
    "Interested in the premium plan",
    "Bekymret for prisen",
]
STAGES = ["lead"] * 5 + ["prospect"] * 3 + ["customer", "repeat"]
ANSWERS = ["yes", "no", "unknown"]
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    """How SQLAlchemy stores a UTC timestamp in SQLite (no offset; compared as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _contacts(seller: int, per_seller: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for number in range(per_seller):
        contact_id = seller * per_seller + number + 1
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        company = rng.choice(COMPANIES)
        phone = f"+47{rng.randint(40000000, 99999999)}"
        email = f"{fold(name).replace(' ', '.')}@example.no"
        last = NOW - timedelta(days=rng.randint(0, 200))
        yield (
            contact_id,
            seller + 1,
            name,
            company,
            phone,
            email,
            rng.randint(1, 28),
            rng.randint(1, 12),
            None,
            rng.choice(STAGES),
            rng.choice(ANSWERS),
            rng.choice(ANSWERS),
            rng.choice(ANSWERS),
            None,
            None,
            False,
            _iso(last),
            fold(f"{name} {company} {email} {phone}"),
            _iso(last),
            _iso(last),
        )


def _follow_up(contact: tuple[object, ...], rng: random.Random) -> tuple[object, ...]:
    """A follow-up due within the next month, or one already nudged and still open (sent):
    the dispatcher has nothing to send at start, /today still has overdue items to show."""
    due = NOW + timedelta(days=rng.randint(-10, 30), hours=rng.randint(0, 9))
    sent = due <= NOW
    return (
        contact[1], contact[0], _iso(due), "sent" if sent else "pending", int(sent),
        _iso(due) if sent else None, contact[16],
    )  # fmt: skip


def build(path: Path, *, sellers: int, per_seller: int, notes: int, seed: int = 7) -> None:
    """Create `path` from empty: migrations first, then the rows."""
    path.unlink(missing_ok=True)

    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(migrate())
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.executemany(
            "INSERT INTO seller (id, language, timezone, timezone_confirmed, digest_hour,"
            " quiet_start_hour, quiet_end_hour, birthday_lead_days, keep_in_touch, active,"
            " created_at, updated_at) VALUES (?, 'nb', 'Europe/Oslo', 1, 8, 21, 8, 5, '{}', 1,"
            " ?, ?)",
            [(seller + 1, _iso(NOW), _iso(NOW)) for seller in range(sellers)],
        )
        for seller in range(sellers):
            rows = list(_contacts(seller, per_seller, rng))
            connection.executemany(
                "INSERT INTO contact (id, owner_id, name, company, phone, email, birth_day,"
                " birth_month, birth_year, stage, market_fit, budget, authority, outcome,"
                " source, do_not_contact, last_contacted_at, search_key, created_at,"
                " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            connection.executemany(
                "INSERT INTO stage_change (owner_id, contact_id, from_stage, to_stage,"
                " changed_at) VALUES (?, ?, NULL, ?, ?)",
                [(row[1], row[0], row[9], row[16]) for row in rows],
            )
            connection.executemany(
                "INSERT INTO interaction (owner_id, contact_id, kind, text, search_text,"
                " occurred_at, created_at) VALUES (?, ?, 'note', ?, ?, ?, ?)",
                [
                    (row[1], row[0], text, fold(text), row[16], row[16])
                    for row in rows
                    for text in rng.sample(NOTES, notes)
                ],
            )
            connection.executemany(
                "INSERT INTO reminder (owner_id, contact_id, kind, due_at, exact_time, status,"
                " attempts, sent_at, created_at) VALUES (?, ?, 'follow_up', ?, 0, ?, ?, ?, ?)",
                [_follow_up(row, rng) for row in rows if rng.random() < 0.2],
            )
    connection.close()


def describe(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("seller", "contact", "interaction", "reminder")
        }
    size = path.stat().st_size / 1e6
    return json.dumps(counts) + f", {size:.0f} MB"
