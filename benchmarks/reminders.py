"""Reminder delivery at Telegram's pace: many sellers, one reminder each, all due at once.

Run: `.venv/bin/python -m benchmarks.reminders` (see README); `--sellers 1000` for a quick run.
The real Application (SQLite file, the real `compose`) sends every reminder to the fake Bot
API, which enforces Telegram's limits (30 messages/s overall, 1/s per chat, 429 beyond). The
bot is stopped and started again once half are out. Targets (issue 5): at least 27 msg/s,
no 429 caused, no reminder sent twice, none lost.

`--late 0.2` runs it with a fifth of sends delivered but answered after the dispatcher's read
timeout (the fake's `deliver_then_time_out`; both scaled down, see `--read-timeout`), and
prints the duplicate rate that leaves (issue 12: under 5 %), after the one resend is due.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.reminders import sending
from bot.reminders.report import DispatchReport
from storage.db import create_engine, make_sessions, upgrade
from storage.models import Contact, Reminder
from storage.vocabulary import ReminderStatus
from tests.e2e.dispatching import DispatchBot
from tests.factories import add_reminders, add_sellers
from tests.fakeapi import FakeTelegramServer

DUE = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)
"""09:00 in Oslo, a Monday: outside quiet hours."""
FIRST_SELLER = 100_000_001
RESENDS_DUE = timedelta(minutes=10)
"""With --late: time skipped before a last run, so every resend is due by then."""


class RunningClock:
    """Real time, starting at `DUE` when the benchmark starts (so nothing counts as late)."""

    def __init__(self, start: datetime) -> None:
        self._start, self._t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def skip(self, delta: timedelta) -> None:
        self._start += delta


@dataclass
class Result:
    sellers: int
    accepted: int
    rejected_429: int
    failed_other: int
    duplicates: int
    lost: int
    rows_sent: int
    first_send: float
    last_send: float
    started: float
    restart_seconds: float
    restarted_after: int
    reports: list[DispatchReport]
    late: int = 0  # sends delivered but answered too late

    @property
    def duplicate_rate(self) -> float:
        return self.duplicates / self.sellers

    @property
    def rate(self) -> float:
        span = self.last_send - self.first_send
        return (self.accepted - 1) / span if span > 0 else float("nan")

    @property
    def overall_rate(self) -> float:
        return self.accepted / (self.last_send - self.started)


async def build(db: Path, sellers: int, server: FakeTelegramServer) -> list[int]:
    """The database: `sellers` sellers with one contact and one follow-up due at `DUE`."""
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await upgrade(engine)
        sessions = make_sessions(engine)
        owners = list(range(FIRST_SELLER, FIRST_SELLER + sellers))
        await add_sellers(sessions, server, owners)
        contacts = [
            {"owner_id": owner, "name": f"Kari Nordmann {owner}", "company": "Fjord AS"}
            for owner in owners
        ]
        async with sessions.begin() as session:
            contact_ids = list(
                await session.scalars(insert(Contact).returning(Contact.id), contacts)
            )
        ids = await add_reminders(sessions, owners, DUE)
        async with sessions.begin() as session:
            for reminder_id, contact_id in zip(ids, contact_ids, strict=True):
                row = await session.get(Reminder, reminder_id)
                assert row is not None
                row.contact_id = contact_id
        return owners
    finally:
        await engine.dispose()


async def resends_waiting(bot: DispatchBot) -> int:
    """Reminders whose send had an unknown outcome, waiting for their one resend."""
    async with bot.sessions() as session:
        waiting = await session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.status == ReminderStatus.PENDING,
                Reminder.outcome_unknown_at.is_not(None),
            )
        )
    return int(waiting or 0)


async def run(sellers: int, db: Path, restart_share: float, late: float = 0.0) -> Result:
    async with FakeTelegramServer(enforce_rate_limits=True, wait_timeout=30) as server:
        owners = await build(db, sellers, server)
        if late:
            server.deliver_then_time_out(late, stall=sending.READ_TIMEOUT * 2)
        print(f"{sellers} sellers, 1 follow-up each due at {DUE:%Y-%m-%d %H:%M} UTC", flush=True)
        clock = RunningClock(DUE)
        bot = DispatchBot(server, db, clock)
        reports: list[DispatchReport] = []
        started = time.monotonic()
        await bot.start()
        first_send = last_send = 0.0
        seen = scanned = accepted = seen_thousands = 0
        restart_seconds, restarted_after = 0.0, 0
        restart_at = int(sellers * restart_share) if restart_share > 0 else None
        deadline = started + sellers / 20 + 120
        try:
            while True:
                new = server.calls[scanned:]
                scanned += len(new)
                accepted += sum(1 for c in new if c.method == "sendMessage" and c.status == 200)
                now = time.monotonic()
                if accepted != seen:
                    first_send = first_send or now
                    last_send, seen = now, accepted
                if restart_at is not None and accepted >= restart_at and not restarted_after:
                    assert bot.app is not None
                    print(f"restarting the bot after {accepted} messages ...", flush=True)
                    begin = time.monotonic()
                    await bot.stop()
                    await bot.start()
                    restart_seconds, restarted_after = time.monotonic() - begin, accepted
                    continue
                if accepted >= sellers or now > deadline:
                    break
                if accepted // 1000 != seen_thousands:
                    seen_thousands = accepted // 1000
                    print(f"  {accepted} sent after {now - started:.0f} s", flush=True)
                await asyncio.sleep(0.02)
            report = await bot.dispatch()  # one more run: there must be nothing left
            reports.append(report)
            while late and await resends_waiting(bot):  # an unknown outcome's one resend
                clock.skip(RESENDS_DUE)
                reports.append(await bot.dispatch())
            async with bot.sessions() as session:
                rows_sent = await session.scalar(
                    select(func.count())
                    .select_from(Reminder)
                    .where(Reminder.status == ReminderStatus.SENT)
                )
        finally:
            await bot.stop()
        per_chat = Counter(
            call.params.get("chat_id")
            for call in server.calls_to("sendMessage")
            if call.status == 200
        )
        failed_other = sum(
            1
            for call in server.calls_to("sendMessage")
            if call.status != 200 and call.status != 429
        )
        return Result(
            sellers=sellers,
            accepted=sum(per_chat.values()),
            rejected_429=server.flood.rejected,
            failed_other=failed_other,
            duplicates=sum(count - 1 for count in per_chat.values() if count > 1),
            lost=sum(1 for owner in owners if per_chat[owner] == 0),
            rows_sent=int(rows_sent or 0),
            first_send=first_send,
            last_send=last_send,
            started=started,
            restart_seconds=restart_seconds,
            restarted_after=restarted_after,
            reports=reports,
            late=sum(call.late for call in server.calls_to("sendMessage")),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sellers", type=int, default=10_000, help="one reminder each")
    parser.add_argument(
        "--restart-at", type=float, default=0.5, help="restart after this share is sent (0: no)"
    )
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: temporary)")
    parser.add_argument(
        "--late", type=float, default=0.0, help="share of sends answered after the read timeout"
    )
    parser.add_argument(
        "--read-timeout", type=float, default=1.0, help="with --late: the sends' read timeout"
    )
    args = parser.parse_args()
    if args.late:
        sending.READ_TIMEOUT = args.read_timeout  # scaled down: 30 s in production
    # A run longer than the job's 30 s interval makes APScheduler skip (and warn about) the
    # overlapping runs: expected here, and noise in the output.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "reminders.sqlite3"
        if db.exists():
            raise SystemExit(f"{db} exists: the benchmark builds its own database")
        result = asyncio.run(run(args.sellers, db, args.restart_at, args.late))
    print()
    print(f"sellers / reminders due at once: {result.sellers}")
    print(f"messages accepted by the fake Bot API: {result.accepted}")
    print(
        f"achieved rate: {result.rate:.1f} msg/s from first to last send"
        f" ({result.last_send - result.first_send:.1f} s, restart included);"
        f" {result.overall_rate:.1f} msg/s from bot start"
    )
    if result.restarted_after:
        print(
            f"restart: after {result.restarted_after} messages, stop + start took"
            f" {result.restart_seconds:.2f} s"
        )
    print(f"429s caused: {result.rejected_429}")
    print(f"other failed sends: {result.failed_other}")
    print(f"duplicates: {result.duplicates}")
    if args.late:
        print(
            f"duplicate rate under timeouts ({args.late:.0%} of sends answered after the"
            f" {args.read_timeout:g} s read timeout; {result.late} such sends):"
            f" {result.duplicate_rate:.2%} (target < 5%)"
        )
    print(f"lost: {result.lost} (rows marked sent: {result.rows_sent} of {result.sellers})")
    met = (
        result.rejected_429 == 0
        and result.lost == 0
        and result.rows_sent == result.sellers
        and (result.duplicate_rate < 0.05 if args.late else result.duplicates == 0)
    )
    if args.late:  # sends waiting out the read timeout hold up their seller's slot: no pace
        targets = "0 x 429, < 5% duplicates, 0 lost"
    else:
        met = met and result.rate >= 27
        targets = ">= 27 msg/s, 0 x 429, 0 duplicates, 0 lost"
    print(f"targets ({targets}): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
