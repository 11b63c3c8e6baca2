"""Many sellers at once: replies a second, reply latency, CPU and memory per update.

Run on its own: `.venv/bin/python -m benchmarks.crowd` (or as part of `python -m benchmarks`).
200 sellers, all at once, each typing as a person does (the next message once the bot has
answered the last): N plain texts while the book is empty (each search finds nobody), then a
whole /meet typed: "/meet Name, Company", "yes", "no", "yes", a note, "in 2 weeks", "skip",
then N plain texts again, which now find the seller's contact by its company or note.

The bot runs in a process of its own (`benchmarks.crowd_bot`), the fake Bot API and the
phones in this one, so the CPU time and memory measured are the bot's. A reply's latency is
from pushing the seller's update to the fake server until the bot's first reply to it arrives
there. The floor is a bare python-telegram-bot echo bot against the same server and phones.
Flood control of the fake server is off; Prospekt's reply limiter (`bot.flood_waits`, which
only waits out 429s) is on as shipped, and off (`--no-pacer` of the bot process) otherwise.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from benchmarks.crowd_bot import WEBHOOK_SECRET
from storage.db import create_engine, make_sessions, upgrade
from storage.models import Contact
from tests.e2e.harness import free_port
from tests.factories import add_sellers
from tests.fakeapi import FakeTelegramServer, PhoneUser, TrackingUpdateProcessor
from tests.fakeapi.flood import SEND_METHODS

FIRST_SELLER = 7_000_001
MEET_TYPED = ["yes", "no", "yes", "{note}", "in 2 weeks", "skip"]
WORDS = ["Kari", "Hansen", "Acme", "demo", "pris", "Fjord", "Nordmann", "Bergen", "lisens"]
SYLLABLES = ["ka", "ri", "no", "sve", "tor", "lin", "da", "mi", "ra", "ben", "ul", "fa"]


def person(number: int) -> str:
    """A made-up name of its own for seller `number` (their one contact: no look-alikes)."""
    first = SYLLABLES[number % 12] + SYLLABLES[number // 12 % 12]
    last = SYLLABLES[number // 144 % 12] + SYLLABLES[number * 7 % 12] + "sen"
    return f"{first.title()} {last.title()}"


class ArrivalServer(FakeTelegramServer):
    """The fake Bot API, noting when each message or edit for a chat arrived."""

    def __init__(self) -> None:
        super().__init__(enforce_rate_limits=False, wait_timeout=300)
        self.arrivals: defaultdict[int, list[float]] = defaultdict(list)

    async def _handle_method(self, request: web.Request) -> web.Response:
        response = await super()._handle_method(request)
        call = self.calls[-1]  # appended in the same step: no await since
        chat_id = call.params.get("chat_id")
        if call.method.lower() in SEND_METHODS and isinstance(chat_id, int):
            self.arrivals[chat_id].append(time.perf_counter())
        return response


class RemoteDone(TrackingUpdateProcessor):
    """Which updates the bot process has finished, as it reports them."""

    def mark(self, update_id: int) -> None:
        self._mark_done(update_id)


class BotProcess:
    """`benchmarks.crowd_bot` running against `server`; reads what it reports."""

    def __init__(
        self,
        server: ArrivalServer,
        process: asyncio.subprocess.Process,
        done: RemoteDone | None = None,
    ) -> None:
        self.server, self.process = server, process
        self.done = done or RemoteDone()
        server.attach(self.done)
        self.ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._stats: asyncio.Queue[tuple[float, int]] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            word, *values = raw.decode().split()
            if word == "done":
                self.done.mark(int(values[0]))
            elif word == "ready":
                self.ready.set_result(int(values[0]))
            elif word == "stats":
                await self._stats.put((float(values[0]), int(values[1])))

    async def stats(self) -> tuple[float, int]:
        """CPU seconds the bot process used so far, and its resident memory in kB."""
        self.process.send_signal(signal.SIGUSR1)
        return await asyncio.wait_for(self._stats.get(), 10)


ROOT = Path(__file__).resolve().parents[1]
BOT_COMMAND = ["-m", "benchmarks.crowd_bot"]
"""How Python starts the bot process (a profiling script can stand in for it)."""


@asynccontextmanager
async def bot_process(
    server: ArrivalServer, *arguments: str, done: RemoteDone | None = None
) -> AsyncIterator[BotProcess]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, *BOT_COMMAND, arguments[0], server.url, server.token, *arguments[1:],
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    bot = BotProcess(server, process, done)
    try:
        await asyncio.wait_for(bot.ready, 60)
        yield bot
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
        await bot._reader


@dataclass
class Run:
    """One scenario measured: updates handled, their latencies, the bot's CPU and memory."""

    updates: int
    seconds: float
    latencies: list[float]
    cpu: float
    rss_kb: int
    unanswered: int

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return self.percentile(0.99) * 1000

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.updates * 1000


async def converse(user: PhoneUser, texts: list[str], arrivals: list[float]) -> list[float]:
    """Send each text once the bot has handled the one before; each first reply's latency."""
    latencies = []
    for text in texts:
        before = len(arrivals)
        start = time.perf_counter()
        await user.send(text)
        if len(arrivals) > before:
            latencies.append(arrivals[before] - start)
    return latencies


class Workers:
    """Webhook workers behind a round-robin "proxy": Telegram's pending updates are posted to
    each worker in turn, as a reverse proxy in front of them would."""

    def __init__(self, server: ArrivalServer, bots: list[BotProcess], ports: list[int]) -> None:
        self.server, self.bots, self.ports = server, bots, ports
        self._forwarder = asyncio.create_task(self._forward())

    async def _forward(self) -> None:
        offset, turn = 0, 0
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        posts: set[asyncio.Task[None]] = set()
        async with aiohttp.ClientSession(headers=headers) as session:

            async def post(port: int, update: dict[str, object]) -> None:
                url = f"http://127.0.0.1:{port}/telegram"
                async with session.post(url, json=update) as response:
                    assert response.status == 200, response.status

            while True:
                batch = await self.server.state.updates.get_updates(
                    offset=offset, limit=100, wait_seconds=1, allowed_updates=None
                )
                for update in batch:
                    task = asyncio.create_task(post(self.ports[turn % len(self.ports)], update))
                    posts.add(task)
                    task.add_done_callback(posts.discard)
                    turn += 1
                    offset = int(update["update_id"]) + 1

    async def stats(self) -> tuple[float, int]:
        """CPU seconds of all workers so far, and their resident memory together, in kB."""
        each = [await bot.stats() for bot in self.bots]
        return sum(cpu for cpu, _ in each), sum(rss for _, rss in each)

    async def close(self) -> None:
        self._forwarder.cancel()
        with suppress(asyncio.CancelledError):
            await self._forwarder


async def measure(bot: BotProcess | Workers, scripts: dict[int, list[str]]) -> Run:
    """Every seller runs their script at once; the bot's CPU and memory around it."""
    server = bot.server
    cpu_before, _ = await bot.stats()
    start = time.perf_counter()
    results = await asyncio.gather(
        *(
            converse(server.user(seller, language_code="en"), texts, server.arrivals[seller])
            for seller, texts in scripts.items()
        )
    )
    seconds = time.perf_counter() - start
    cpu_after, rss = await bot.stats()
    updates = sum(len(texts) for texts in scripts.values())
    latencies = [latency for result in results for latency in result]
    return Run(updates, seconds, latencies, cpu_after - cpu_before, rss, updates - len(latencies))


def texts_script(seller: int, n: int) -> list[str]:
    return [WORDS[(seller + k) % len(WORDS)] for k in range(n)]


def meet_script(seller: int) -> list[str]:
    name = person(seller - FIRST_SELLER)
    note = f"Wants a demo for {name.split()[0]}'s team"
    return [f"/meet {name}, Acme AS", *(text.format(note=note) for text in MEET_TYPED)]


@dataclass
class Crowd:
    """What one bot did with the crowd: idle memory after start, then each scenario."""

    rss_idle_kb: int
    texts: Run
    meet: Run | None
    contacts_saved: int | None = None
    fresh: Run | None = None
    """Texts before the first /meet: every search finds nobody (Prospekt only)."""

    def run(self, scenario: str) -> Run:
        run = self.meet if scenario == "meet" else self.texts
        assert run is not None, f"{scenario} was not measured"
        return run


async def seed(database_url: str, server: ArrivalServer, sellers: list[int]) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        await add_sellers(make_sessions(engine), server, sellers)
    finally:
        await engine.dispose()


async def count_contacts(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(Contact)) or 0)
    finally:
        await engine.dispose()


async def crowd(
    kind: str, sellers: int, texts: int, database_url: str | None, *, pacer: bool = True,
    meet: bool = True, repeat: int = 1, far: float = 0.0,
) -> Crowd:  # fmt: skip
    """`kind` ("prospekt" or "echo") with `sellers` sellers: /meet (if `meet`), then texts;
    each `repeat` times, keeping the run with the most replies a second. `far`: seconds the
    fake Bot API takes to take each reply, as Telegram does over a real network."""
    ids = list(range(FIRST_SELLER, FIRST_SELLER + sellers))
    server = ArrivalServer()
    for seller in ids if far else ():
        server.answer_slowly(seller, far)
    async with server:
        arguments: list[str] = [kind]
        if database_url is not None:
            await seed(database_url, server, ids)
            arguments.append(database_url)
        if not pacer:
            arguments.append("--no-pacer")
        async with bot_process(server, *arguments) as bot:
            idle = await asyncio.wait_for(bot.ready, 1)
            # Unmeasured: one text each, so every scenario meets a warm connection pool.
            await measure(bot, {s: ["hello"] for s in ids})
            fresh = None
            if meet and kind == "prospekt":
                fresh = await measure(bot, {s: texts_script(s, texts) for s in ids})
            meet_run = None
            for _ in range(repeat if meet else 0):
                run = await measure(bot, {s: meet_script(s) for s in ids})
                meet_run = run if meet_run is None or run.rate > meet_run.rate else meet_run
            texts_run = await measure(bot, {s: texts_script(s, texts) for s in ids})
            for _ in range(repeat - 1):
                run = await measure(bot, {s: texts_script(s, texts) for s in ids})
                texts_run = run if run.rate > texts_run.rate else texts_run
        saved = await count_contacts(database_url) if database_url and meet else None
        return Crowd(idle, texts_run, meet_run, saved, fresh)


async def two_workers(sellers: int, texts: int, database_url: str) -> Crowd:
    """Two Prospekt webhook workers on one (PostgreSQL) database: texts, then /meet."""
    ids = list(range(FIRST_SELLER, FIRST_SELLER + sellers))
    server = ArrivalServer()
    done = RemoteDone()
    async with server, AsyncExitStack() as stack:
        await seed(database_url, server, ids)
        ports = [free_port(), free_port()]
        bots = [
            await stack.enter_async_context(
                bot_process(
                    server, "prospekt", database_url, "--no-pacer", "--webhook", str(port),
                    done=done,
                )
            )
            for port in ports
        ]  # fmt: skip
        workers = Workers(server, bots, ports)
        try:
            idle = sum([await asyncio.wait_for(bot.ready, 1) for bot in bots])
            await measure(workers, {s: ["hello"] for s in ids})
            meet_run = await measure(workers, {s: meet_script(s) for s in ids})
            texts_run = await measure(workers, {s: texts_script(s, texts) for s in ids})
        finally:
            await workers.close()
    return Crowd(idle, texts_run, meet_run, await count_contacts(database_url))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sellers", type=int, default=200)
    parser.add_argument("--texts", type=int, default=5)
    parser.add_argument("--bot", choices=["prospekt", "echo"], default="prospekt")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pacer", action="store_true", help="keep Prospekt's reply limiter")
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of this many")
    parser.add_argument("--far", type=float, default=0.0, help="seconds Telegram takes a reply")
    args = parser.parse_args()
    url = args.database_url
    if args.bot == "prospekt" and url is None:
        url = f"sqlite+aiosqlite:///data/crowd-{os.getpid()}.sqlite3"
        Path("data").mkdir(exist_ok=True)
    try:
        measured = crowd(
            args.bot, args.sellers, args.texts, url, pacer=args.pacer, repeat=args.repeat,
            far=args.far,
        )  # fmt: skip
        result = asyncio.run(measured)
    finally:
        if url and url.startswith("sqlite") and args.database_url is None:
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite+aiosqlite:///") + suffix).unlink(missing_ok=True)
    print(f"rss idle {result.rss_idle_kb / 1024:.0f} MB, contacts saved {result.contacts_saved}")
    runs = (("fresh", result.fresh), ("meet", result.meet), ("texts", result.texts))
    for name, run in runs:
        if run is None:
            continue
        print(
            f"{name:6} {run.updates} updates in {run.seconds:.1f} s: {run.rate:.0f}/s"
            f"  p50 {run.p50_ms:.0f} ms  p99 {run.p99_ms:.0f} ms  cpu {run.cpu_ms:.2f} ms/update"
            f"  rss {run.rss_kb / 1024:.0f} MB  unanswered {run.unanswered}"
        )


if __name__ == "__main__":
    main()
