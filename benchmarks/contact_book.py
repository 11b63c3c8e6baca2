"""Contact book latency, end to end: /find, the contact card and /today over the fake Bot API.

Run: `.venv/bin/python -m benchmarks.contact_book` (see README). Each sample is one update
pushed to the fake Telegram server, timed until the real Application has finished handling it.
The target (issue 4): p95 under 50 ms on SQLite with 1,000 sellers x 1,000 contacts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.dataset import build, describe
from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage, FakeTelegramServer, PhoneUser


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(name: str, samples: list[float]) -> str:
    ms = [sample * 1000 for sample in samples]
    return (
        f"{name:<14} n={len(ms):<4} p50={statistics.median(ms):6.1f} ms"
        f"  p95={_percentile(ms, 0.95):6.1f} ms  max={max(ms):6.1f} ms"
    )


async def _timed(action: Awaitable[list[BotMessage]]) -> tuple[float, list[BotMessage]]:
    """Seconds until the bot finished handling the update `action` sends, and its replies."""
    start = time.perf_counter()
    result = await action
    return time.perf_counter() - start, result


def _typo(word: str, rng: random.Random) -> str:
    """The word with one letter dropped, as thumbs on a phone do."""
    if len(word) < 5:
        return word
    cut = rng.randrange(1, len(word) - 1)
    return word[:cut] + word[cut + 1 :]


async def run(db: Path, samples: int, seed: int, pause: float) -> dict[str, list[float]]:
    rng = random.Random(seed)
    with sqlite3.connect(db) as connection:
        sellers = [row[0] for row in connection.execute("SELECT id FROM seller")]
        # This measures the contact book, not delivery (benchmarks/reminders.py does): what
        # would fall due during the run counts as already nudged, so the dispatcher is idle.
        soon = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        connection.execute(
            "UPDATE reminder SET status = 'sent', sent_at = due_at"
            " WHERE status = 'pending' AND due_at <= ?",
            (soon,),
        )
    timings: dict[str, list[float]] = {"/find": [], "contact card": [], "/today": []}
    async with FakeTelegramServer() as server:
        bot = Prospekt(server, db)
        await bot.start()
        try:
            for _ in range(samples):
                seller = rng.choice(sellers)
                user: PhoneUser = bot.user(seller, language_code="nb")
                [(contact_id, name)] = bot.rows(
                    "SELECT id, name FROM contact WHERE owner_id = ? ORDER BY random() LIMIT 1",
                    seller,
                )
                query = _typo(name.split()[-1], rng)
                elapsed, replies = await _timed(user.send(f"/find {query}"))
                timings["/find"].append(elapsed)
                await asyncio.sleep(pause)
                elapsed, _ = await _timed(user.press_data(f"c:{contact_id}", message=replies[-1]))
                timings["contact card"].append(elapsed)
                await asyncio.sleep(pause)
                elapsed, _ = await _timed(user.send("/today"))
                timings["/today"].append(elapsed)
                await asyncio.sleep(pause)
            server.assert_no_errors()
        finally:
            await bot.stop()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sellers", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=1000, help="per seller")
    parser.add_argument("--notes", type=int, default=5, help="interactions per contact")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds between actions; 0 sends back to back, so the bot's 30 msg/s pacing"
        " (Telegram's overall limit) shows up in every sample",
    )
    parser.add_argument("--db", type=Path, default=None, help="reuse or create this file")
    args = parser.parse_args()
    name = f"bench-{args.sellers}x{args.contacts}x{args.notes}.sqlite3"
    db = args.db or Path("data") / name
    db.parent.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        print(f"building {db} ...", flush=True)
        start = time.perf_counter()
        build(db, sellers=args.sellers, per_seller=args.contacts, notes=args.notes)
        print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    print(f"dataset: {describe(db)}")
    timings = asyncio.run(run(db, args.samples, args.seed, args.pause))
    print(f"samples: {args.samples} per action, pause {args.pause:g} s between actions")
    for name, values in timings.items():
        print(_report(name, values))
    worst = max(_percentile([v * 1000 for v in values], 0.95) for values in timings.values())
    print(f"target p95 < 50 ms: {'met' if worst < 50 else 'NOT met'} (worst p95 {worst:.1f} ms)")


if __name__ == "__main__":
    main()
