"""Contacts import, end to end: a generated 20,000-contact file sent to the real bot over the
fake Bot API on SQLite, while another seller keeps typing.

Run: `.venv/bin/python -m benchmarks.imports` (see README). Prints the time from sending the
file to the preview, from the choice to the summary, the growth of the process's peak
resident memory (bot, fake server and both phones share the process), and the other
seller's reply times (a /find every ~100 ms, timed until the bot finished handling it) while
the import runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import Prospekt
from tests.fakeapi import FakeTelegramServer, PhoneUser

IMPORTER, OTHER = 1001, 2002
FIRST = ["Åse", "Kari", "Ola", "Bjørn", "Ærlend", "Per", "Liv", "Marte", "Øystein", "Nora"]
LAST = ["Kjærstad", "Nordmann", "Ødegård", "Hansen", "Olsen", "Berg", "Åsen", "Dahl", "Lie"]


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def vcard_file(count: int, seed: int) -> bytes:
    """`count` iPhone-style vCard 3.0 cards: a name, a company, a mobile, an e-mail, every
    third a birthday, every fifth a note."""
    rng = random.Random(seed)
    cards: list[str] = []
    for number in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{last};{first};;;",
            f"FN:{first} {last} {number}",
            f"ORG:{last} AS;Salg",
            f"TEL;type=CELL;type=VOICE;type=pref:+47 9{number:07d}",
            f"EMAIL;type=INTERNET:{first.lower()}.{number}@example.no",
        ]
        if number % 3 == 0:
            lines.append(f"BDAY:19{rng.randrange(50, 99)}-{rng.randrange(1, 13):02d}-"
                         f"{rng.randrange(1, 29):02d}")  # fmt: skip
        if number % 5 == 0:
            lines.append("NOTE:Møtte på messa\\, vil ha tilbud i vår.")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return ("\r\n".join(cards) + "\r\n").encode()


async def _typing(user: PhoneUser, every: float, stop: asyncio.Event) -> list[float]:
    """The other seller: a search every `every` seconds until `stop`; seconds per reply."""
    times: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        await user.send("/find kari")
        times.append(time.perf_counter() - started)
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))
    return times


async def _shown(user: PhoneUser, start: str, within: float) -> None:
    """Until the importer's latest message starts with `start` (the preview, the summary)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        last = user.last_message
        if last is not None and last.text.startswith(start):
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"nothing like {start!r} in {within} s:\n{user.transcript()[-2000:]}")


async def run(count: int, seed: int, every: float) -> None:
    data = vcard_file(count, seed)
    with tempfile.TemporaryDirectory() as folder:
        async with FakeTelegramServer() as server:
            server.wait_timeout = 120
            bot = Prospekt(server, Path(folder) / "bench.sqlite3")
            await bot.start()
            try:
                importer = bot.user(IMPORTER, language_code="nb")
                other = bot.user(OTHER, language_code="nb")
                await other.send("/find kari")  # the other seller exists and is warm
                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                stop = asyncio.Event()
                typing = asyncio.create_task(_typing(other, every, stop))
                started = time.perf_counter()
                await importer.send_document(data, "kontakter.vcf", "text/vcard")
                await _shown(importer, "📇", within=300)
                preview_s = time.perf_counter() - started
                chosen = time.perf_counter()
                await importer.press("📥 Hent inn")
                await _shown(importer, "✅", within=300)
                import_s = time.perf_counter() - chosen
                stop.set()
                replies = await typing
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                stored = bot.rows("SELECT count(*) FROM contact WHERE owner_id = ?", IMPORTER)
                server.assert_no_errors()
            finally:
                await bot.stop()
    ms = [reply * 1000 for reply in replies]
    print(f"file: {count} vCard 3.0 contacts, {len(data) / 1e6:.1f} MB; stored {stored[0][0]}")
    print(f"send -> preview: {preview_s:.1f} s; choice -> summary: {import_s:.1f} s;"
          f" {count / import_s:.0f} contacts/s")  # fmt: skip
    print(f"peak resident memory grew by {(rss_after - rss_before) / 1024:.0f} MB")
    print(
        f"other seller, a /find every {every * 1000:.0f} ms meanwhile: n={len(ms)}"
        f"  p50={statistics.median(ms):.0f} ms  p99={_percentile(ms, 0.99):.0f} ms"
        f"  max={max(ms):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--every", type=float, default=0.1, help="seconds between searches")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(run(args.contacts, args.seed, args.every))


if __name__ == "__main__":
    main()
