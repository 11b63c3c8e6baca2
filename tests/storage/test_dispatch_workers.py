"""Two bot processes dispatching from one PostgreSQL database never send a reminder twice.

Two real Applications (each its own engine and connection pool, as two processes would have)
share the database and the fake Telegram. Normally one of them is elected sender and the
other stands by; with the election off they race over 2,000 due reminders, as they could for
a moment when a sender lost its lock's connection while another took over, and the claims
alone must keep every reminder to one send.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, text

from bot.app import build_application
from bot.config import Settings
from bot.context import BotApp
from bot.reminders import liveness
from bot.reminders.jobs import dispatch_once, dispatcher_for
from bot.reminders.pacing import Pacer
from storage.db import create_engine
from storage.models import Reminder
from storage.vocabulary import ReminderStatus
from tests.e2e.dispatching import Clock, nudges_sent, only_delivery
from tests.factories import T0, add_reminders, add_sellers
from tests.fakeapi import DEFAULT_TOKEN, FakeTelegramServer
from tests.storage.databases import ONLY_POSTGRES

SELLERS = 1_000
PER_SELLER = 2  # 2,000 reminders


@asynccontextmanager
async def worker(
    server: FakeTelegramServer, database_url: str, clock: Clock, *, elect: bool = True
) -> AsyncIterator[BotApp]:
    """One bot process, opened as at start (migrations, engine, jobs) but not polling."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(DEFAULT_TOKEN),
        telegram_api_url=server.url,
        database_url=database_url,
    )
    app = build_application(settings)
    app.bot_data.clock = clock
    async with AsyncExitStack() as stack:
        await app.initialize()
        stack.push_async_callback(app.shutdown)
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        stack.push_async_callback(app.post_shutdown, app)
        # The fake Telegram enforces no rate here: pace fast so the race is dense.
        dispatcher_for(app).pacer = Pacer(per_second=10_000, burst=None, chat_interval=0)
        if not elect:
            dispatcher_for(app).sender = None  # no sender lock: every run sends
        yield app


@asynccontextmanager
async def two_workers(
    database_url: str, *, elect: bool
) -> AsyncIterator[tuple[FakeTelegramServer, BotApp, BotApp]]:
    """The fake Telegram and two workers on `database_url`, on one test clock."""
    clock = Clock()
    async with (
        FakeTelegramServer() as server,
        worker(server, database_url, clock, elect=elect) as first,
        worker(server, database_url, clock, elect=elect) as second,
    ):
        yield server, first, second


async def elected(first: BotApp, second: BotApp) -> tuple[BotApp, BotApp]:
    """Both run once: the one that sends, and the one standing by."""
    reports = await asyncio.gather(dispatch_once(first), dispatch_once(second))
    assert sorted(report.standby for report in reports) == [False, True]
    return (first, second) if not reports[0].standby else (second, first)


async def cut_lock_connection(app: BotApp, database_url: str) -> None:
    """End the session holding the worker's sender lock, as when the process dies or the
    network drops: the server frees the lock."""
    lock = dispatcher_for(app).sender
    assert lock is not None and lock._connection is not None
    pid = await lock._connection.scalar(text("SELECT pg_backend_pid()"))
    engine = create_engine(database_url)
    try:
        async with engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await engine.dispose()


async def due_reminders(app: BotApp, server: FakeTelegramServer, owners: list[int]) -> list[int]:
    """One reminder due now per entry of `owners` (each owner a seller with a chat)."""
    sessions = app.bot_data.sessions
    assert sessions is not None
    await add_sellers(sessions, server, sorted(set(owners)))
    return await add_reminders(sessions, owners, T0)


@ONLY_POSTGRES
async def test_two_workers_racing_over_2000_due_reminders_send_each_exactly_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_delivery(monkeypatch)
    async with two_workers(database_url, elect=False) as (server, first, second):
        owners = list(range(7_000_001, 7_000_001 + SELLERS))
        ids = await due_reminders(first, server, owners * PER_SELLER)
        sessions = first.bot_data.sessions
        assert sessions is not None

        reports = await asyncio.gather(dispatch_once(first), dispatch_once(second))

        async with sessions() as session:
            by_status = dict(
                (
                    await session.execute(
                        select(Reminder.status, func.count()).group_by(Reminder.status)
                    )
                ).all()
            )
    sent = nudges_sent(server)
    duplicates = sum(count - 1 for count in sent.values() if count > 1)
    lost = len(set(ids) - set(sent))
    assert len(ids) == SELLERS * PER_SELLER == 2_000
    assert (duplicates, lost) == (0, 0)
    assert by_status == {ReminderStatus.SENT: 2_000}
    assert all(report.delivered > 0 for report in reports), [r.summary() for r in reports]
    assert sum(report.delivered for report in reports) == 2_000
    assert sum(report.messages for report in reports) == len(server.calls_to("sendMessage"))
    server.assert_no_errors()


@ONLY_POSTGRES
async def test_with_the_election_on_one_worker_sends_everything_and_the_other_stands_by(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_delivery(monkeypatch)
    async with two_workers(database_url, elect=True) as (server, first, second):
        ids = await due_reminders(first, server, list(range(7_000_001, 7_000_201)))

        reports = await asyncio.gather(dispatch_once(first), dispatch_once(second))

    assert sorted(report.standby for report in reports) == [False, True]
    assert sorted(report.delivered for report in reports) == [0, len(ids)]
    assert nudges_sent(server) == dict.fromkeys(ids, 1)
    server.assert_no_errors()


@ONLY_POSTGRES
async def test_a_worker_starting_takes_back_a_dead_workers_claims_and_leaves_a_live_ones(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a dispatcher holds an advisory lock on its id while it lives: the claims
    of an id whose lock is free come back at the first run, however fresh they look."""
    only_delivery(monkeypatch)
    clock = Clock()
    async with FakeTelegramServer() as server, worker(server, database_url, clock) as first:
        sessions = first.bot_data.sessions
        assert sessions is not None
        await add_sellers(sessions, server, [7_000_001, 7_000_002])
        claimed = {"status": ReminderStatus.SENDING, "attempts": 1, "claimed_at": T0}
        dead = await add_reminders(sessions, [7_000_001], T0, claimed_by="gone:1:a", **claimed)
        alive = await add_reminders(sessions, [7_000_002], T0, claimed_by="live:1:b", **claimed)
        engine = create_engine(database_url)
        try:
            async with engine.connect() as lock:  # the live worker's lock, held elsewhere
                await lock.execute(
                    text("SELECT pg_advisory_lock(:key)"), {"key": liveness._key("live:1:b")}
                )
                report = await dispatch_once(first)
        finally:
            await engine.dispose()

        assert (report.recovered, report.delivered) == (1, 1)
        assert nudges_sent(server) == dict.fromkeys(dead, 1)
        async with sessions() as session:
            assert (await session.get(Reminder, alive[0])).status == ReminderStatus.SENDING  # type: ignore[union-attr]


@ONLY_POSTGRES
async def test_a_worker_taking_over_from_a_sender_that_died_waits_a_second_before_sending(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dead sender may have sent until its last moment: Telegram counts that second (and
    each chat's last message) for both, so the new sender's first send waits it out."""
    only_delivery(monkeypatch)
    async with two_workers(database_url, elect=True) as (server, first, second):
        sender, other = await elected(first, second)
        ids = await due_reminders(other, server, list(range(7_000_001, 7_000_011)))
        await cut_lock_connection(sender, database_url)  # as when it dies
        died = time.monotonic()

        report = await dispatch_once(other)

    assert not report.standby
    assert nudges_sent(server) == dict.fromkeys(ids, 1)
    first_send = min(call.at for call in server.calls_to("sendMessage"))
    assert first_send >= died + 1.0


@ONLY_POSTGRES
async def test_a_sender_stopping_lets_the_other_worker_take_over_at_its_next_run(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Releasing the lock ends its connection's session: handed back to the pool instead, the
    idle connection kept the lock and the other worker stood by for good."""
    only_delivery(monkeypatch)
    async with two_workers(database_url, elect=True) as (_, first, second):
        sender, other = await elected(first, second)
        lock = dispatcher_for(sender).sender
        assert lock is not None

        await lock.release()
        report = await dispatch_once(other)

    assert not report.standby


@ONLY_POSTGRES
async def test_a_sender_that_loses_its_lock_while_sending_stops_before_the_next_one_sends(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its process lives on (the lock's connection dropped): it must not go on sending its run
    beside the worker that takes the lock, at twice Telegram's pace."""
    only_delivery(monkeypatch)
    async with two_workers(database_url, elect=True) as (server, first, second):
        sender, other = await elected(first, second)
        for app in (sender, other):
            dispatcher_for(app).pacer = Pacer(chat_interval=0)  # 29/s: the pace under test
        ids = await due_reminders(other, server, list(range(7_000_001, 7_000_151)))
        sending = asyncio.create_task(dispatch_once(sender))
        async with asyncio.timeout(30):
            while len(server.calls_to("sendMessage")) < 30:  # noqa: ASYNC110
                await asyncio.sleep(0.01)

        await cut_lock_connection(sender, database_url)
        taken_over = await dispatch_once(other)
        stopped = await sending
        rest = await dispatch_once(other)  # what the first gave back as it stopped

    assert stopped.stopped and not taken_over.standby, (stopped.summary(), taken_over.summary())
    assert stopped.delivered < len(ids) - 30, "it stopped short of its run"
    assert stopped.delivered + taken_over.delivered + rest.delivered == len(ids)
    assert nudges_sent(server) == dict.fromkeys(ids, 1)
    times = sorted(call.at for call in server.calls_to("sendMessage"))
    assert max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)) <= 29
