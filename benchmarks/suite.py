"""The performance suite (issue 13): every benchmark in one run, one table.

Run: `.venv/bin/python -m benchmarks` (full, about 10 minutes the first time, as it builds the
contact-book dataset under data/) or `.venv/bin/python -m benchmarks --quick` (a few minutes:
fewer texts, a small contact book, fewer reminders). Each row is measured in this run.
PostgreSQL rows need a server at `--postgres` (a database of its own is made and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import signal
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from benchmarks import contact_book, crowd, reminders
from benchmarks.dataset import build
from tests.e2e.failover import KILL_AFTER, Failover, sender_killed
from tests.e2e.test_run_command import answer_to_start, start_bot
from tests.fakeapi import FakeTelegramServer

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
FAR = 0.05
"""Seconds the fake Bot API takes to take each reply in the "Telegram far away" rows: a
round trip to Telegram over a real network (the other rows' fake answers in about 1 ms)."""


@dataclass(frozen=True)
class Sizes:
    sellers: int
    texts: int
    book: tuple[int, int, int]  # sellers, contacts each, notes each
    samples: int
    reminders: int


QUICK = Sizes(sellers=200, texts=2, book=(50, 200, 2), samples=40, reminders=300)
FULL = Sizes(sellers=200, texts=5, book=(1000, 1000, 5), samples=200, reminders=2000)


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores, {model}, Python {platform.python_version()}"


async def postgres_database(url: str) -> tuple[str, str] | None:
    """A new empty database on the server at `url` (its URL and name); None if unreachable."""
    name = f"prospekt_bench_{uuid.uuid4().hex[:8]}"
    server = make_url(url)
    try:
        connection = await asyncpg.connect(
            host=server.host, port=server.port, user=server.username, database=server.database
        )
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server.set(database=name).render_as_string(hide_password=False), name


async def drop_database(url: str, name: str) -> None:
    server = make_url(url)
    connection = await asyncpg.connect(
        host=server.host, port=server.port, user=server.username, database=server.database
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def startup_seconds(folder: Path) -> float:
    """`python -m bot` in an empty folder: seconds from spawn to the answer to /start."""
    async with FakeTelegramServer() as telegram:
        began = time.perf_counter()
        process = await start_bot(telegram, folder)
        try:
            await answer_to_start(telegram)
            return time.perf_counter() - began
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.communicate(), 30)


def ms(value: float) -> str:
    return f"{value:.0f}"


def ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}x"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(cells)

    def markdown(self) -> str:
        header = ("measure", "SQLite", "PostgreSQL", "echo floor", "Prospekt/echo", "target")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in self.rows:
            cells = list(row) + [""] * (len(header) - len(row))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def crowd_rows(
    table: Table,
    sizes: Sizes,
    lite: crowd.Crowd,
    pg: crowd.Crowd | None,
    echo: crowd.Crowd,
    two: crowd.Crowd | None = None,
) -> None:
    n = sizes.sellers
    for label, scenario in ((f"{sizes.texts} texts each", "texts"), ("/meet typed", "meet")):
        ours, floor = lite.run(scenario), echo.run(scenario)
        theirs = pg.run(scenario) if pg else None
        both = (
            f"{ratio(ours.rate, floor.rate)} / {ratio(theirs.rate, floor.rate)}" if theirs else ""
        )
        table.add(
            f"{n} sellers, {label}: replies/s",
            f"{ours.rate:.0f}",
            f"{theirs.rate:.0f}" if theirs else "–",
            f"{floor.rate:.0f}",
            both,
            "≥ 0.8x echo (texts, SQLite)" if "texts" in label else "",
        )
        table.add(
            f"{n} sellers, {label}: p50 / p99 ms",
            f"{ms(ours.p50_ms)} / {ms(ours.p99_ms)}",
            f"{ms(theirs.p50_ms)} / {ms(theirs.p99_ms)}" if theirs else "–",
            f"{ms(floor.p50_ms)} / {ms(floor.p99_ms)}",
            "",
            "p99 < 1000 ms" if "texts" in label else "",
        )
        table.add(
            f"CPU ms per update, {label}",
            f"{ours.cpu_ms:.1f}",
            f"{theirs.cpu_ms:.1f}" if theirs else "–",
            f"{floor.cpu_ms:.1f}",
            f"{ratio(ours.cpu_ms, floor.cpu_ms)}"
            + (f" / {ratio(theirs.cpu_ms, floor.cpu_ms)}" if theirs else ""),
            "≤ 2x echo" if "meet" in label else "",
        )
    fresh_rows(table, sizes, lite, pg, echo)
    for label, scenario in ((f"{sizes.texts} texts each", "texts"), ("/meet typed", "meet")):
        if two is None or pg is None:
            table.add(f"2 workers (PostgreSQL), {label}", "", "not measured: no PostgreSQL")
            continue
        run, one = two.run(scenario), pg.run(scenario)
        table.add(
            f"2 webhook workers (PostgreSQL), {label}: replies/s, p50 / p99 ms; x 1 worker",
            "",
            f"{run.rate:.0f}, {ms(run.p50_ms)} / {ms(run.p99_ms)}; {ratio(run.rate, one.rate)}",
            "",
            "",
            "≥ 1.5x 1 worker" if scenario == "texts" else "",
        )
    mb = 1024
    table.add(
        "resident memory idle after start / after the run, MB",
        f"{lite.rss_idle_kb / mb:.0f} / {lite.texts.rss_kb / mb:.0f}",
        f"{pg.rss_idle_kb / mb:.0f} / {pg.texts.rss_kb / mb:.0f}" if pg else "–",
        f"{echo.rss_idle_kb / mb:.0f} / {echo.texts.rss_kb / mb:.0f}",
    )


def fresh_rows(
    table: Table, sizes: Sizes, lite: crowd.Crowd, pg: crowd.Crowd | None, echo: crowd.Crowd
) -> None:
    """The texts before any /meet: each search finds nobody, so no card is read or drawn."""
    ours, floor = lite.fresh, echo.texts
    assert ours is not None
    theirs = pg.fresh if pg else None
    label = f"{sizes.sellers} sellers, {sizes.texts} texts each before any /meet (nobody found)"
    table.add(
        f"{label}: replies/s, p50 / p99 ms",
        f"{ours.rate:.0f}, {ms(ours.p50_ms)} / {ms(ours.p99_ms)}",
        f"{theirs.rate:.0f}, {ms(theirs.p50_ms)} / {ms(theirs.p99_ms)}" if theirs else "–",
        "",
        f"{ratio(ours.rate, floor.rate)}"
        + (f" / {ratio(theirs.rate, floor.rate)}" if theirs else ""),
        "≥ 0.8x echo; p99 < 1000 ms",
    )
    table.add(
        f"CPU ms per update, {sizes.texts} texts each before any /meet",
        f"{ours.cpu_ms:.1f}",
        f"{theirs.cpu_ms:.1f}" if theirs else "–",
        "",
        f"{ratio(ours.cpu_ms, floor.cpu_ms)}"
        + (f" / {ratio(theirs.cpu_ms, floor.cpu_ms)}" if theirs else ""),
    )


async def run_crowds(sizes: Sizes, folder: Path, postgres: str) -> list[crowd.Crowd | None]:
    lite_url = f"sqlite+aiosqlite:///{folder / 'crowd.sqlite3'}"
    shipped_url = f"sqlite+aiosqlite:///{folder / 'shipped.sqlite3'}"
    n, texts = sizes.sellers, sizes.texts
    print("crowd: echo floor ...", flush=True)
    # PTB's own throughput swings run to run (its HTTP pool, 200 connections): the floor is
    # the best of three runs of each scenario, so it is never flattered.
    echo = await crowd.crowd("echo", n, texts, None, repeat=3)
    print("crowd: Prospekt on SQLite ...", flush=True)
    lite = await crowd.crowd("prospekt", n, texts, lite_url, pacer=False)
    print("crowd: Prospekt on SQLite, as shipped (429s waited out) ...", flush=True)
    shipped = await crowd.crowd("prospekt", n, texts, shipped_url, meet=False)
    print(f"crowd: Prospekt on SQLite, Telegram {FAR * 1000:.0f} ms away ...", flush=True)
    far_url = f"sqlite+aiosqlite:///{folder / 'far.sqlite3'}"
    far_lite = await crowd.crowd("prospekt", n, texts, far_url, pacer=False, far=FAR)
    pg = two = far_pg = None
    created = await postgres_database(postgres)
    if created is None:
        print(f"crowd: no PostgreSQL at {postgres}: its column stays empty", flush=True)
    else:
        print("crowd: Prospekt on PostgreSQL ...", flush=True)
        try:
            pg = await crowd.crowd("prospekt", n, texts, created[0], pacer=False)
        finally:
            await drop_database(postgres, created[1])
        created = await postgres_database(postgres)
        assert created is not None
        print(f"crowd: Prospekt on PostgreSQL, Telegram {FAR * 1000:.0f} ms away ...", flush=True)
        try:
            far_pg = await crowd.crowd("prospekt", n, texts, created[0], pacer=False, far=FAR)
        finally:
            await drop_database(postgres, created[1])
        created = await postgres_database(postgres)
        assert created is not None
        print("crowd: two Prospekt webhook workers on PostgreSQL ...", flush=True)
        try:
            two = await crowd.two_workers(n, texts, created[0])
        finally:
            await drop_database(postgres, created[1])
    return [echo, lite, shipped, pg, two, far_lite, far_pg]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a few minutes")
    parser.add_argument("--postgres", default=POSTGRES, help="a server's URL, for its column")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    table = Table()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        crowds = asyncio.run(run_crowds(sizes, folder, args.postgres))
        echo, lite, shipped, pg, two, far_lite, far_pg = crowds
        assert echo is not None and lite is not None and shipped is not None
        assert far_lite is not None
        crowd_rows(table, sizes, lite, pg, echo, two)
        far_rows(table, sizes, far_lite, far_pg)
        table.add(
            f"{sizes.sellers} sellers, {sizes.texts} texts each, as shipped (replies unpaced,"
            " 429s waited out): replies/s, p50 / p99 ms",
            f"{shipped.texts.rate:.0f}, {ms(shipped.texts.p50_ms)} / {ms(shipped.texts.p99_ms)}",
        )
        print("start-up ...", flush=True)
        (folder / "start").mkdir()
        began = asyncio.run(startup_seconds(folder / "start"))
        table.add("start-up to the answer to /start (`python -m bot`), s", f"{began:.2f}")
        book_rows(table, sizes, folder)
        reminder_row(table, sizes, folder)
        failover_row(table, sizes, folder, args.postgres)
    print()
    print(table.markdown())
    print()
    print(f"Machine: {machine()}. Sizes: {'--quick' if args.quick else 'full'}.")


def far_rows(table: Table, sizes: Sizes, lite: crowd.Crowd, pg: crowd.Crowd | None) -> None:
    """The crowd again with each reply taking `FAR` s to be taken, as over a real network."""
    for label, scenario in ((f"{sizes.texts} texts each", "texts"), ("/meet typed", "meet")):
        ours, theirs = lite.run(scenario), pg.run(scenario) if pg else None
        table.add(
            f"{sizes.sellers} sellers, {label}, Telegram {FAR * 1000:.0f} ms away:"
            " replies/s, p50 / p99 ms",
            f"{ours.rate:.0f}, {ms(ours.p50_ms)} / {ms(ours.p99_ms)}",
            f"{theirs.rate:.0f}, {ms(theirs.p50_ms)} / {ms(theirs.p99_ms)}" if theirs else "–",
        )


def book_rows(table: Table, sizes: Sizes, folder: Path) -> None:
    sellers, contacts, notes = sizes.book
    db = Path("data") / f"bench-{sellers}x{contacts}x{notes}.sqlite3"
    if sizes is QUICK:
        db = folder / "book.sqlite3"
    if not db.exists():
        print(f"contact book: building {db} ...", flush=True)
        db.parent.mkdir(parents=True, exist_ok=True)
        build(db, sellers=sellers, per_seller=contacts, notes=notes)
    print("contact book ...", flush=True)
    timings = asyncio.run(contact_book.run(db, sizes.samples, seed=1, pause=0.1))
    for name, samples in timings.items():
        values = [sample * 1000 for sample in samples]
        p50 = statistics.median(values)
        p95 = contact_book._percentile(values, 0.95)
        table.add(
            f"{name}, {sellers}x{contacts}x{notes} book, 0.1 s apart: p50 / p95 ms",
            f"{p50:.0f} / {p95:.0f}",
            "",
            "",
            "",
            "p95 < 50 ms",
        )


def reminder_row(table: Table, sizes: Sizes, folder: Path) -> None:
    print("reminders ...", flush=True)
    result = asyncio.run(reminders.run(sizes.reminders, folder / "reminders.sqlite3", 0.5))
    table.add(
        f"reminders, {sizes.reminders} due at once, restart halfway: msg/s; 429s, duplicates, lost",
        f"{result.rate:.1f}; {result.rejected_429}, {result.duplicates}, {result.lost}",
        "",
        "",
        "",
        "≥ 27 msg/s; 0, 0, 0",
    )


def failover_row(table: Table, sizes: Sizes, folder: Path, postgres: str) -> None:
    """Two webhook workers on PostgreSQL, the reminder sender SIGKILLed mid-batch."""
    label = f"reminders, {sizes.reminders} due, 2 workers, the sender SIGKILLed"
    print("reminders, sender killed ...", flush=True)
    (folder / "failover").mkdir()
    run = asyncio.run(_failover(sizes.reminders, folder / "failover", postgres))
    if run is None:
        table.add(label, "", "not measured: no PostgreSQL")
        return
    seen = run.seen
    print(f"  {run.summary()}", flush=True)
    span = max(send.at for send in seen.sends) - min(send.at for send in seen.sends)
    table.add(
        f"{label} after {KILL_AFTER} sends: msg/s; busiest 1 s; takeover s; duplicates, lost",
        "",
        f"{(len(seen.sends) - 1) / span:.1f}; {seen.busiest_second()[0]}; {seen.takeover:.1f};"
        f" {len(run.twice)}, {len(run.lost)}",
        "",
        "",
        "≤ 30; < 60 s; only sends unrecorded at the kill (≤ 16), 0",
    )


async def _failover(reminders: int, folder: Path, postgres: str) -> Failover | None:
    created = await postgres_database(postgres)
    if created is None:
        return None
    try:
        async with FakeTelegramServer() as telegram:
            return await sender_killed(telegram, created[0], folder, reminders=reminders)
    finally:
        await drop_database(postgres, created[1])
