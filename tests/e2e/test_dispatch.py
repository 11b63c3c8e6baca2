"""The reminder dispatcher end to end: the real bot, a SQLite file, the fake Telegram, a
clock the test moves. Nothing sent twice, nothing lost, whatever Telegram or the process does.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.reminders import dispatcher, health, jobs
from bot.reminders.dispatcher import UNKNOWN_PAUSE
from bot.reminders.jobs import INTERVAL, JOB_NAME, WATCHDOG_NAME, dispatcher_for
from bot.reminders.pacing import Pacer
from bot.reminders.sending import RESEND_AT_ONCE
from storage.models import Seller
from storage.vocabulary import ReminderStatus
from tests.e2e.backend import sqlite_only
from tests.e2e.dispatching import (
    Clock,
    DispatchBot,
    FakeCompose,
    dispatch_bot,
    nudges_sent,
    only_delivery,
    refuse_connections,
    sends_to,
    unpaced_chats,
)
from tests.factories import T0, add_reminders, add_sellers
from tests.fakeapi import FakeTelegramServer

PENDING, SENDING, SENT = ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT


@pytest.fixture
def compose(monkeypatch: pytest.MonkeyPatch) -> FakeCompose:
    return only_delivery(monkeypatch)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(
    telegram: FakeTelegramServer, tmp_path: Path, clock: Clock, compose: FakeCompose
) -> AsyncIterator[DispatchBot]:
    """The bot, its first run done. Without the 1 s pace per chat: the fake Telegram does not
    enforce it here (test_dispatch_pacing.py does), and tests send a chat several nudges."""
    async with dispatch_bot(telegram, tmp_path / "prospekt.sqlite3", clock) as started:
        unpaced_chats(started)
        yield started


async def test_the_job_is_scheduled_every_30_s_one_at_a_time_with_a_watchdog(
    bot: DispatchBot,
) -> None:
    assert bot.app is not None and bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(JOB_NAME)
    [watch] = bot.app.job_queue.get_jobs_by_name(WATCHDOG_NAME)

    assert job.job.trigger.interval == timedelta(seconds=30) == INTERVAL
    assert (job.job.max_instances, job.job.coalesce) == (1, True)
    assert watch.job.trigger.interval == INTERVAL


async def test_due_reminders_are_sent_once_and_recorded_with_their_message(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    await add_sellers(bot.sessions, telegram, [1001, 2002])
    [overdue] = await add_reminders(bot.sessions, [1001], T0 - timedelta(days=2))
    [due, other] = await add_reminders(bot.sessions, [1001, 2002], T0)
    [later] = await add_reminders(bot.sessions, [1001], T0 + timedelta(hours=1))

    report = await bot.dispatch()

    assert (report.claimed, report.messages, report.delivered) == (3, 3, 3)
    assert nudges_sent(telegram) == {overdue: 1, due: 1, other: 1}
    rows = await bot.reminders()
    for reminder_id in (overdue, due, other):
        reminder = rows[reminder_id]
        message = telegram.chat(reminder.owner_id).find(reminder.sent_message_id or 0)
        assert reminder.status == SENT and reminder.sent_at == T0
        assert message is not None and f"nudge #{reminder_id}" in message.text
        assert message.parse_mode == "HTML" and message.labels == ["Done"]
    assert rows[later].status == PENDING

    assert (await bot.dispatch()).claimed == 0
    clock.advance(hours=1)
    assert (await bot.dispatch()).delivered == 1
    assert nudges_sent(telegram) == {overdue: 1, due: 1, other: 1, later: 1}
    telegram.assert_no_errors()


async def test_telegram_out_of_reach_at_the_first_run_waits_for_the_next(
    bot: DispatchBot,
    telegram: FakeTelegramServer,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A dispatcher's first run connects to Telegram; when it cannot, that is a warning and
    a run that sends nothing, not an error: the next run, 30 s on, sends."""
    await add_sellers(bot.sessions, telegram, [1001])
    [due] = await add_reminders(bot.sessions, [1001], T0)
    fresh = dispatcher.Dispatcher(
        bot=ExtBot(telegram.token, base_url=f"{telegram.url}/bot"),
        sessions=bot.sessions,
        clock=lambda: clock.now,
    )
    assert bot.app is not None
    await dispatcher_for(bot.app).close()  # on PostgreSQL its sender lock goes to the fresh one
    telegram.down = True
    try:
        with caplog.at_level(logging.WARNING, logger="bot.reminders.dispatcher"):
            missed = await fresh.run()
        telegram.down = False
        sent = await fresh.run()
    finally:
        telegram.down = False
        await fresh.close()
    telegram.calls = [call for call in telegram.calls if call.status != 502]  # the outage's

    assert (missed.claimed, missed.delivered) == (0, 0)
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "Telegram unreachable" in caplog.records[0].getMessage()
    assert sent.delivered == 1 and nudges_sent(telegram) == {due: 1}


async def test_a_restart_sends_what_fell_due_while_down_exactly_once(
    telegram: FakeTelegramServer, tmp_path: Path, clock: Clock, compose: FakeCompose
) -> None:
    bot = DispatchBot(telegram, tmp_path / "prospekt.sqlite3", clock)
    await bot.start()
    try:
        assert (await bot.first_run()).claimed == 0
        await add_sellers(bot.sessions, telegram, [1001, 2002, 3003])
        ids = await add_reminders(bot.sessions, [1001, 2002, 3003, 1001], T0 + timedelta(hours=3))
        await bot.stop()

        clock.advance(hours=5)  # the bot was down when they fell due
        await bot.start()
        first = await bot.first_run()  # the job's run right at start, not an interval later

        assert first.delivered == 4
        assert nudges_sent(telegram) == dict.fromkeys(ids, 1)
        assert (await bot.dispatch()).claimed == 0
        await bot.restart()
        assert (await bot.first_run()).claimed == 0
        assert nudges_sent(telegram) == dict.fromkeys(ids, 1)
        assert {r.status for r in (await bot.reminders()).values()} == {SENT}
    finally:
        await bot.stop()
    telegram.assert_no_errors()


async def test_quiet_hours_hold_a_reminder_until_they_end(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    await add_sellers(bot.sessions, telegram, [1001])
    clock.now = T0.replace(hour=21, minute=30)  # 22:30 in Oslo
    [reminder_id] = await add_reminders(bot.sessions, [1001], clock.now - timedelta(minutes=5))

    report = await bot.dispatch()

    assert (report.held, report.messages) == (1, 0)
    held = (await bot.reminders())[reminder_id]
    end = T0.replace(hour=7) + timedelta(days=1)  # 08:00 in Oslo the next morning
    assert (held.status, held.due_at, held.attempts) == (PENDING, end, 0)

    clock.now = end - timedelta(minutes=1)
    assert (await bot.dispatch()).claimed == 0
    clock.now = end
    assert (await bot.dispatch()).delivered == 1
    assert nudges_sent(telegram) == {reminder_id: 1}


async def test_a_seller_who_blocked_the_bot_is_paused_without_retries_until_start(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    await add_sellers(bot.sessions, telegram, [1001, 2002])
    blocked = await add_reminders(bot.sessions, [1001, 1001, 1001], T0)
    fine = await add_reminders(bot.sessions, [2002], T0)
    telegram.block(1001)

    report = await bot.dispatch()

    assert report.blocked == [1001]
    assert sends_to(telegram, 1001) == 1  # one 403, and the seller's other nudges wait
    assert nudges_sent(telegram) == {fine[0]: 1}
    assert (await bot.seller(1001)).active is False
    rows = await bot.reminders()
    assert {(rows[i].status, rows[i].attempts) for i in blocked} == {(PENDING, 0)}

    for _ in range(5):  # a day of runs: no retry storm against the blocked chat
        clock.advance(hours=5)
        assert (await bot.dispatch()).claimed == 0
    assert sends_to(telegram, 1001) == 1

    telegram.unblock(1001)
    await bot.user(1001).send("/start")  # the seller is back
    assert (await bot.seller(1001)).active is True
    report = await bot.dispatch()

    assert report.delivered == 3
    assert nudges_sent(telegram) == dict.fromkeys(blocked + fine, 1)


async def test_a_429_storm_pauses_sending_and_delivers_everything_once(
    bot: DispatchBot, telegram: FakeTelegramServer
) -> None:
    """Each 429 stops every send for its `retry_after`, and the refused message is tried
    again: nothing dropped, nothing doubled."""
    sellers = list(range(5001, 5013))
    await add_sellers(bot.sessions, telegram, sellers)
    ids = await add_reminders(bot.sessions, sellers, T0)
    telegram.flood.force(5, retry_after=1)

    started = time.monotonic()
    report = await bot.dispatch()
    elapsed = time.monotonic() - started

    assert (telegram.flood.rejected, report.rate_limited, report.delivered) == (5, 5, 12)
    # No send accepted within a second of any 429: each pause held for its whole length.
    # (Pauses can overlap: a send already in flight when the first 429 came back is refused
    # too, and under load the five took 3.8 s in all, not 5.)
    sends = telegram.calls_to("sendMessage")
    refused = [call.at for call in sends if call.status == 429]
    accepted = [call.at for call in sends if call.status == 200]
    assert len(refused) == 5 and min(accepted) - max(refused) >= 1
    assert elapsed >= 1
    assert nudges_sent(telegram) == dict.fromkeys(ids, 1)
    assert {r.status for r in (await bot.reminders()).values()} == {SENT}


@pytest.mark.parametrize("status", [500, 502])
async def test_a_server_error_mid_dispatch_is_sent_once_more_after_a_pause(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock, status: int
) -> None:
    """A 5xx may come after Telegram delivered: the outcome is unknown, so the one resend
    waits a pause (here nothing was delivered, and the resend is what delivers it)."""
    sellers = [1001, 2002, 3003]
    await add_sellers(bot.sessions, telegram, sellers)
    ids = await add_reminders(bot.sessions, sellers, T0)
    telegram.fail_next(1, status=status)

    report = await bot.dispatch()

    assert (report.delivered, report.unknown, report.retried) == (2, 1, 1)
    [failed] = [r for r in (await bot.reminders()).values() if r.status == PENDING]
    assert (failed.due_at, failed.outcome_unknown_at) == (T0 + UNKNOWN_PAUSE, T0)
    assert failed.last_error is not None and "NetworkError" in failed.last_error

    assert (await bot.dispatch()).claimed == 0  # not before the pause is over
    clock.advance(seconds=UNKNOWN_PAUSE.total_seconds())
    again = await bot.dispatch()
    assert (again.delivered, again.resent) == (1, 1)
    assert nudges_sent(telegram) == dict.fromkeys(ids, 1)
    assert (await bot.reminders())[failed.id].attempts == 2


async def test_an_unknown_outcome_is_sent_again_once_never_twice(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    """Two 5xx answers in a row: the second attempt was the one resend, so the reminder is
    recorded sent, unconfirmed, without a third message that could be the third copy."""
    await add_sellers(bot.sessions, telegram, [1001])
    [reminder_id] = await add_reminders(bot.sessions, [1001], T0)
    telegram.fail_next(2, status=502)

    await bot.dispatch()
    clock.advance(seconds=UNKNOWN_PAUSE.total_seconds())
    report = await bot.dispatch()

    assert (report.unknown, report.unconfirmed, report.delivered) == (1, 1, 0)
    row = (await bot.reminders())[reminder_id]
    assert (row.status, row.sent_message_id, row.attempts) == (SENT, None, 2)
    assert row.last_error is not None and "outcome unknown" in row.last_error
    clock.advance(hours=1)
    assert (await bot.dispatch()).claimed == 0
    assert sends_to(telegram, 1001) == 2


async def test_a_send_that_never_left_is_tried_again_at_once_then_backs_off(
    bot: DispatchBot,
    telegram: FakeTelegramServer,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Connection refused: nothing reached Telegram, so trying again is safe — at once a few
    times, then after longer and longer waits, as often as it takes."""
    await add_sellers(bot.sessions, telegram, [1001])
    [reminder_id] = await add_reminders(bot.sessions, [1001], T0)
    waits = []
    for _ in range(3):
        refuse_connections(bot, monkeypatch, 1 + RESEND_AT_ONCE)
        report = await bot.dispatch()
        assert (report.resent_at_once, report.retried, report.unknown) == (RESEND_AT_ONCE, 1, 0)
        row = (await bot.reminders())[reminder_id]
        assert (row.status, row.outcome_unknown_at) == (PENDING, None)
        waits.append(row.due_at - clock.now)
        clock.now = row.due_at

    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    refuse_connections(bot, monkeypatch, RESEND_AT_ONCE)  # the last try at once gets through
    report = await bot.dispatch()
    assert (report.resent_at_once, report.delivered) == (RESEND_AT_ONCE, 1)
    assert nudges_sent(telegram) == {reminder_id: 1}
    assert sends_to(telegram, 1001) == 1  # the refused ones never reached it


async def test_a_fifth_of_sends_timing_out_after_delivery_gives_under_5_percent_duplicates(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    """Telegram delivers every message but answers a fifth of them after the client stopped
    waiting. A send that timed out while Telegram answered the sends made right after it is
    taken as delivered; only the others are sent again, once, after a pause."""
    assert bot.app is not None
    sending = dispatcher_for(bot.app)
    sending.read_timeout = 0.2  # scaled down, as the stall below: 30 s and more in production
    sending.pacer = Pacer(per_second=300, burst=None, chat_interval=0)
    sellers = list(range(6001, 6201))
    await add_sellers(bot.sessions, telegram, sellers)
    ids = await add_reminders(bot.sessions, sellers, T0)
    telegram.deliver_then_time_out(0.2, stall=0.5)

    first = await bot.dispatch()
    clock.advance(seconds=UNKNOWN_PAUSE.total_seconds())
    second = await bot.dispatch()

    sent = nudges_sent(telegram)
    duplicates = sum(count - 1 for count in sent.values())
    late = sum(call.late for call in telegram.calls_to("sendMessage"))
    print(
        f"\n{len(ids)} reminders, {late} sends answered too late ({first.unknown} unknown "
        f"outcomes, {first.unconfirmed} taken as delivered, {first.retried} sent again): "
        f"{duplicates} duplicates ({duplicates / len(ids):.1%})"
    )
    assert set(sent) == set(ids)  # every reminder delivered
    assert late >= 0.2 * len(ids) - 1 and first.unknown >= 0.2 * len(ids) - 1
    assert duplicates == first.retried == second.resent  # each resend here was a duplicate
    assert duplicates < 0.05 * len(ids)
    assert {r.status for r in (await bot.reminders()).values()} == {SENT}


async def test_claims_left_by_a_dispatcher_that_died_are_sent_after_a_few_minutes(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock
) -> None:
    await add_sellers(bot.sessions, telegram, [1001, 2002])
    [dead] = await add_reminders(
        bot.sessions, [1001], T0, status=SENDING, attempts=1, claimed_at=T0 - timedelta(minutes=6)
    )
    [alive] = await add_reminders(
        bot.sessions, [2002], T0, status=SENDING, attempts=1, claimed_at=T0 - timedelta(minutes=1)
    )

    report = await bot.dispatch()

    assert (report.recovered, report.delivered) == (1, 1)
    assert nudges_sent(telegram) == {dead: 1}
    assert (await bot.reminders())[alive].status == SENDING  # another worker still holds it
    clock.advance(minutes=5)
    assert (await bot.dispatch()).delivered == 1
    assert nudges_sent(telegram) == {dead: 1, alive: 1}


@sqlite_only(
    "on PostgreSQL a worker is alive while it holds its advisory lock, not by its pid "
    "(tests/storage/test_dispatch_workers.py)"
)
async def test_claims_of_a_process_that_died_are_sent_by_the_first_run_after_the_restart(
    telegram: FakeTelegramServer, tmp_path: Path, clock: Clock, compose: FakeCompose
) -> None:
    """A dispatcher killed mid-run leaves its claims in `sending`, renewed moments before it
    died: as fresh as a live worker's. Its marks tell it is dead (same host, its pid gone, or
    this pid under another boot id, as a container restarted as pid 1 gets), so the restarted
    bot's first run sends them; claims of live processes, or of another host, stay held."""
    bot = DispatchBot(telegram, tmp_path / "prospekt.sqlite3", clock)
    await bot.start()
    try:
        await bot.first_run()
        sellers = [1001, 2002, 3003, 4004]
        await add_sellers(bot.sessions, telegram, sellers)
        renewed = clock.now - timedelta(seconds=20)  # the dead one's last renewal
        claimed = {"status": SENDING, "attempts": 1, "claimed_at": renewed}
        dead = await add_reminders(
            bot.sessions, [1001, 2002], T0, claimed_by=_worker(os.getpid()), **claimed
        )
        dead += await add_reminders(bot.sessions, [3003], T0, claimed_by=await _gone(), **claimed)
        live = await add_reminders(
            bot.sessions, [4004], T0, claimed_by=_worker(os.getppid()), **claimed
        )
        elsewhere = await add_reminders(
            bot.sessions, [4004], T0, claimed_by="other-host:7:cafe", **claimed
        )
        await bot.stop()

        clock.advance(seconds=5)  # the bot is back 5 s later
        restarted_at = clock.now
        await bot.start()
        first = await bot.first_run()  # the job's run as the bot starts

        assert (first.started_at, first.recovered, first.delivered) == (restarted_at, 3, 3)
        assert nudges_sent(telegram) == dict.fromkeys(dead, 1)
        rows = await bot.reminders()
        late = max(rows[i].sent_at or T0 for i in dead) - restarted_at
        assert late == timedelta(0)  # the first run after the restart sent them
        assert {rows[i].status for i in live + elsewhere} == {SENDING}
        print(f"\ndead process's claims sent {late.total_seconds():.0f} s after the restart")

        clock.advance(minutes=5)  # stale by now: whoever held them, they come back
        assert (await bot.dispatch()).delivered == 2
        assert nudges_sent(telegram) == dict.fromkeys(dead + live + elsewhere, 1)
    finally:
        await bot.stop()
    telegram.assert_no_errors()


def _worker(pid: int, boot: str = "0dead0") -> str:
    """The marks a dispatcher of process `pid` on this host writes on its claims."""
    return f"{socket.gethostname()[:40]}:{pid}:{boot}"


async def _gone() -> str:
    """The marks of a process that has exited."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    return _worker(int(out))


async def test_reminders_compose_leaves_out_are_cancelled(
    bot: DispatchBot, telegram: FakeTelegramServer, compose: FakeCompose
) -> None:
    await add_sellers(bot.sessions, telegram, [1001])
    keep, drop = await add_reminders(bot.sessions, [1001, 1001], T0)
    compose.skip.add(drop)

    report = await bot.dispatch()

    assert (report.delivered, report.cancelled) == (1, 1)
    rows = await bot.reminders()
    assert (rows[keep].status, rows[drop].status) == (SENT, ReminderStatus.CANCELLED)
    assert nudges_sent(telegram) == {keep: 1}


async def test_a_digest_covers_all_of_a_sellers_due_reminders_in_one_message(
    bot: DispatchBot, telegram: FakeTelegramServer, compose: FakeCompose
) -> None:
    compose.digest = True
    await add_sellers(bot.sessions, telegram, [1001])
    # More than one claim batch of the same seller: compose still sees them together.
    ids = await add_reminders(bot.sessions, [1001] * (dispatcher.BATCH + 20), T0)

    report = await bot.dispatch()

    assert (report.messages, report.delivered) == (1, len(ids))
    assert len(compose.calls) == 1
    [message_id] = {r.sent_message_id for r in (await bot.reminders()).values()}
    assert message_id is not None


async def test_a_telegram_refusal_marks_the_reminder_failed_not_retried(
    bot: DispatchBot, telegram: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = FakeCompose()

    async def bad_html(*args: object, **kwargs: object) -> list[object]:
        return [
            type(m)(m.reminder_ids, "<b>unclosed", None)
            for m in await broken(*args, **kwargs)  # type: ignore[arg-type]
        ]

    assert bot.app is not None
    jobs.dispatcher_for(bot.app).compose = bad_html  # type: ignore[assignment]
    await add_sellers(bot.sessions, telegram, [1001])
    [reminder_id] = await add_reminders(bot.sessions, [1001], T0)

    report = await bot.dispatch()

    assert report.failed == 1
    row = (await bot.reminders())[reminder_id]
    assert row.status == ReminderStatus.FAILED
    assert row.last_error is not None and "BadRequest" in row.last_error


async def test_a_seller_whose_compose_raises_does_not_stop_the_others(
    bot: DispatchBot, telegram: FakeTelegramServer, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    fine = FakeCompose()

    async def flaky(session: object, *, seller: Seller, **kwargs: object) -> object:
        if seller.id == 1001 and clock.now == T0:
            raise RuntimeError("compose bug")
        return await fine(session, seller=seller, **kwargs)  # type: ignore[arg-type]

    assert bot.app is not None
    jobs.dispatcher_for(bot.app).compose = flaky  # type: ignore[assignment]
    await add_sellers(bot.sessions, telegram, [1001, 2002])
    ids = await add_reminders(bot.sessions, [1001, 2002], T0)

    with caplog.at_level(logging.ERROR):
        report = await bot.dispatch()

    assert (report.errors, report.delivered, report.retried) == (1, 1, 1)
    assert "compose bug" in caplog.text
    clock.advance(seconds=30)
    assert (await bot.dispatch()).delivered == 1
    assert nudges_sent(telegram) == dict.fromkeys(ids, 1)


async def test_health_records_runs_and_the_watchdog_logs_a_stalled_dispatcher(
    bot: DispatchBot, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    assert bot.app is not None
    data = bot.app.bot_data
    await bot.dispatch()
    assert health.last_run(data.health) == T0

    clock.advance(seconds=89)
    with caplog.at_level(logging.ERROR, logger="bot.reminders.watchdog"):
        assert health.check(data.health, clock()) is False
        assert caplog.records == []
        clock.advance(seconds=2)  # more than 3 intervals of 30 s without a run
        assert health.check(data.health, clock()) is True
        assert health.check(data.health, clock()) is True  # one error per stall, not a flood
    [error] = caplog.records
    assert error.levelno == logging.ERROR and "has not run for 91 s" in error.getMessage()

    await bot.dispatch()
    assert health.check(data.health, clock()) is False
    assert health.last_run(data.health) == clock.now
