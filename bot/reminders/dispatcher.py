"""The reminder dispatcher: due rows in the database become Telegram messages, once each.

The database is the source of truth; a recurring job (`bot.reminders.jobs`) sweeps it.
Each run:

1. gives back claims left in `sending` by a dispatcher that died: at once when it provably
   died (so the first run after a crash and restart sends them, `liveness`), else once they
   are older than `STALE_AFTER`;
2. claims due reminders of active sellers in batches (one atomic statement; on PostgreSQL
   `FOR UPDATE SKIP LOCKED`, so several bot processes never take the same row) and commits;
3. per seller: in their quiet hours the rows wait (pending again at the end of the quiet
   period); otherwise `compose` turns them into messages and rows it leaves out are cancelled;
4. sends each message at Telegram's pace (`Pacer`) and records it on every row it covers;
   a delivered birthday nudge plans the contact's next one in the same transaction.

Failures: a 429 pauses all sending and the same message is tried again; a send that
provably never left (no connection) is tried again at once, a few times, then after a
backoff; a 403 (the seller blocked the bot) marks the seller inactive and leaves their rows
pending, paused until /start; a 400 marks the rows failed (Telegram would refuse them again).
A stopping bot stops claiming and gives back what it has not sent, so a restart sends it.

A send whose outcome is unknown (a timeout after the long read timeout, a 5xx, a connection
dropped after the request was written) may have been delivered; sending it again blindly is
what gave sellers two or three copies. It is sent again at most once, after `UNKNOWN_PAUSE`:
- not at all when Telegram answered sends made right after it (it timed out while Telegram
  was working: almost surely delivered, its answer lost) — recorded sent, unconfirmed;
- once when Telegram looked down (nothing answered around it) or said 5xx;
- never a third time: after a second unknown outcome the rows are recorded sent, unconfirmed.
An unconfirmed follow-up still shows in /today, so the seller sees it either way; a sent
birthday nudge plans the next one either way.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import NetworkError

from bot.records.planning import plan_after_delivery
from bot.reminders import health, sending
from bot.reminders.claims import Claims
from bot.reminders.leadership import SenderLock, Turn
from bot.reminders.pacing import WINDOW, Pacer
from bot.reminders.report import DispatchReport
from bot.reminders.sending import (
    Answers,
    Blocked,
    Outgoing,
    Sent,
    StoppingError,
    Unknown,
    send_paced,
)
from bot.rules.reminders import after_quiet_hours, in_quiet_hours, retry_delay
from storage.db import Sessions
from storage.models import Reminder, Seller
from storage.queries import dispatch as q

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
"""A `sending` claim this old belongs to a dispatcher that died; a live one renews its own."""
BATCH = 100
"""Reminders claimed per statement (plus the same sellers' other due ones)."""
CONCURRENCY = 16
"""Sellers handled at once: composing and sending overlap, the `Pacer` keeps the pace."""
UNKNOWN_PAUSE = timedelta(minutes=1)
"""The least wait before the one resend of a send whose outcome was unknown: a Telegram that
hung gets time to come back (a send waits `sending.READ_TIMEOUT` besides)."""


class Compose(Protocol):
    def __call__(
        self,
        session: AsyncSession,
        *,
        seller: Seller,
        reminders: Sequence[Reminder],
        now: datetime,
    ) -> Awaitable[Sequence[Outgoing]]: ...


class Dispatcher:
    """Delivers due reminders. One per application; `run` calls never overlap."""

    def __init__(
        self,
        *,
        bot: Bot,
        sessions: Sessions,
        clock: Callable[[], datetime],
        compose: Compose | None = None,
        pacer: Pacer | None = None,
        health_data: dict[str, Any] | None = None,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
        stale_after: timedelta = STALE_AFTER,
        only_owners: Collection[int] | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.compose = compose
        self.pacer = pacer or Pacer()
        self.health = health_data if health_data is not None else {}
        self.concurrency = concurrency
        self.read_timeout = sending.READ_TIMEOUT
        self.answers = Answers()
        self.claims = Claims(
            sessions, clock, batch=batch, stale_after=stale_after, only_owners=only_owners
        )
        self._lock = asyncio.Lock()
        self._bot_ready = False
        bind = sessions.kw.get("bind")
        self.sender = SenderLock(bind) if bind is not None else None

    async def close(self) -> None:
        async with self._lock:
            if self.sender is not None:
                await self.sender.release()
            await self.claims.close()
            if self._bot_ready:
                await self.bot.shutdown()
                self._bot_ready = False

    # -- a run -----------------------------------------------------------------------------

    async def run(self, should_stop: Callable[[], bool] = lambda: False) -> DispatchReport:
        """Send everything due now; returns when nothing due is left (or the bot stops)."""
        async with self._lock:
            report = DispatchReport(started_at=self.clock())
            if not self._bot_ready:
                try:
                    await self.bot.initialize()
                except NetworkError as error:
                    # Telegram out of reach (down, or the machine too busy to connect in
                    # time): nothing was claimed, the next run tries again.
                    log.warning("reminders wait for the next run: Telegram unreachable (%s)", error)
                    report.finished_at = self.clock()
                    return report
                self._bot_ready = True
            health.beat(self.health, report.started_at)
            turn = Turn.HELD if self.sender is None else await self.sender.turn()
            if turn is Turn.STANDBY:
                report.standby = True  # another worker sends: this one waits its turn
                report.finished_at = self.clock()
                self.health[health.LAST_RUN] = report.finished_at
                self.health[health.LAST_REPORT] = report
                return report
            if turn is Turn.TAKEN:
                self._take_over()
            report.recovered = await self.claims.recover(report.started_at)
            if report.recovered:
                log.warning("gave back %d reminders a stopped dispatcher held", report.recovered)
            renewer = asyncio.create_task(self.claims.renew_while_held(), name="reminders.renew")
            lost = asyncio.Event()
            watcher = asyncio.create_task(self._watch_lock(lost), name="reminders.lock")

            def stop() -> bool:
                return should_stop() or lost.is_set()

            try:
                await self._drain(report, stop)
            finally:
                renewer.cancel()
                watcher.cancel()
                # Only after an unexpected error: never leave rows claimed.
                report.released += await self.claims.give_back_all()
            report.finished_at = self.clock()
            self.health[health.LAST_RUN] = report.finished_at
            self.health[health.LAST_REPORT] = report
            health.beat(self.health, report.finished_at)
            if report.claimed or report.recovered:
                log.info("dispatch: %s", report.summary())
            return report

    def _take_over(self) -> None:
        """This worker has just become the sender: the one before it may have sent until its
        last moment (it died, or lost its connection), and Telegram counts that second, and
        each chat's last message, for both. Its pace is unknown here, so nothing is sent until
        they have passed (about a second, once per hand-over)."""
        self.pacer.pause(max(WINDOW, self.pacer.chat_interval))

    async def _watch_lock(self, lost: asyncio.Event) -> None:
        """While sending: once the sender's lock is lost, stop (as a stopping bot does), as
        another worker may be sending by now; sending on would double the pace."""
        if self.sender is None:
            return
        await self.sender.lost()
        log.warning("lost the reminder sender's lock while sending: stopping this run")
        lost.set()

    async def _drain(self, report: DispatchReport, should_stop: Callable[[], bool]) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(owner_id: int, rows: list[Reminder]) -> None:
            async with gate:
                await self._seller(owner_id, rows, report, should_stop)

        while not should_stop():
            claimed = await self.claims.claim()
            if not claimed:
                return
            report.claimed += len(claimed)
            self.compose = self.compose or _default_compose()
            by_seller: dict[int, list[Reminder]] = defaultdict(list)
            for reminder in claimed:
                by_seller[reminder.owner_id].append(reminder)
            await asyncio.gather(*(one(owner, rows) for owner, rows in by_seller.items()))
            health.beat(self.health, self.clock())
        report.stopped = True

    # -- one seller ------------------------------------------------------------------------

    async def _seller(
        self,
        owner_id: int,
        rows: list[Reminder],
        report: DispatchReport,
        should_stop: Callable[[], bool],
    ) -> None:
        left = {reminder.id for reminder in rows}
        try:
            await self._deliver(owner_id, rows, left, report, should_stop)
        except StoppingError:
            pass
        except Exception as exc:
            report.errors += 1
            log.exception("could not dispatch reminders %s of seller %s", sorted(left), owner_id)
            if left:
                attempts = max(r.attempts for r in rows if r.id in left)
                error = f"{type(exc).__name__}: {exc}"
                await self._retry(left, set(left), attempts, error, report)
        finally:
            if left:  # stopping, or the retry above failed too: give them back
                try:
                    report.released += await self.claims.settle(left, q.release)
                except Exception:
                    log.exception("could not give back reminders %s", sorted(left))

    async def _deliver(
        self,
        owner_id: int,
        rows: list[Reminder],
        left: set[int],
        report: DispatchReport,
        should_stop: Callable[[], bool],
    ) -> None:
        assert self.compose is not None
        now = self.clock()
        hold_until: datetime | None = None
        outgoing: Sequence[Outgoing] = ()
        async with self.claims.turn(), self.sessions() as session:
            seller = await session.get(Seller, owner_id)
            if seller is None or not seller.active:
                return  # paused since the claim (the `finally` above gives the rows back)
            zone = _zone(seller.timezone)
            start, end = seller.quiet_start_hour, seller.quiet_end_hour
            if in_quiet_hours(now, zone=zone, start_hour=start, end_hour=end):
                hold_until = after_quiet_hours(now, zone=zone, start_hour=start, end_hour=end)
            else:
                outgoing = await self.compose(session, seller=seller, reminders=rows, now=now)
                await session.commit()
        if hold_until is not None:
            await self._settle(left, left, report, "held", q.release, due_at=hold_until)
            return
        covered = {rid for message in outgoing for rid in message.reminder_ids} & left
        await self._settle(left, left - covered, report, "cancelled", q.cancel)
        by_id = {reminder.id: reminder for reminder in rows}
        for message in outgoing:
            ids = set(message.reminder_ids) & left
            if not ids:
                continue  # a second message for rows already settled: nothing to do
            if should_stop():
                raise StoppingError
            result = await send_paced(self, owner_id, message, report, should_stop)
            resend = any(by_id[rid].outcome_unknown_at is not None for rid in ids)
            if isinstance(result, Sent):
                report.messages += 1
                report.resent += resend
                await self._settle(
                    left,
                    ids,
                    report,
                    "delivered",
                    _record_delivery,
                    owner_id=owner_id,
                    delivered=[by_id[rid] for rid in ids],
                    message_id=result.message_id,
                    sent_at=self.clock(),
                )
            elif isinstance(result, Blocked):
                log.info("seller %s blocked the bot: pausing their reminders", owner_id)
                report.blocked.append(owner_id)
                async with self.claims.turn(), self.sessions.begin() as session:
                    await q.deactivate_seller(session, seller_id=owner_id)
                await self._settle(left, set(left), report, "released", q.release)
                return
            elif isinstance(result, Unknown):
                rows_ = [by_id[rid] for rid in ids]
                await self._unknown(owner_id, left, rows_, result, resend, report)
            elif result.permanent:
                log.error("Telegram refused reminders %s: %s", sorted(ids), result.error)
                await self._settle(left, ids, report, "failed", q.give_up, error=result.error)
            else:
                attempts = max(by_id[rid].attempts for rid in ids)
                await self._retry(left, ids, attempts, result.error, report)

    async def _unknown(
        self,
        owner_id: int,
        left: set[int],
        rows: list[Reminder],
        result: Unknown,
        resend: bool,
        report: DispatchReport,
    ) -> None:
        """Perhaps delivered: sent again once after a pause, unless that was the one resend or
        Telegram was working when it was sent (then recorded sent, unconfirmed)."""
        ids = {reminder.id for reminder in rows}
        now = self.clock()
        if not (result.presumed_delivered or resend):
            retry_at = now + max(retry_delay(max(r.attempts for r in rows)), UNKNOWN_PAUSE)
            log.warning(
                "reminders %s: outcome unknown (%s); sending once more at %s",
                sorted(ids),
                result.error,
                retry_at,
            )
            await self._settle(
                left, ids, report, "retried", q.retry_later,
                retry_at=retry_at, error=result.error, unknown_at=now,
            )  # fmt: skip
            return
        why = "Telegram was working" if result.presumed_delivered else "the one resend"
        log.warning(
            "reminders %s: outcome unknown (%s), taken as delivered (%s)",
            sorted(ids),
            result.error,
            why,
        )
        await self._settle(
            left, ids, report, "unconfirmed", _record_delivery,
            owner_id=owner_id, delivered=rows, message_id=None, sent_at=now,
            note=f"outcome unknown, not sent again ({why}): {result.error}",
        )  # fmt: skip

    async def _retry(
        self, left: set[int], ids: set[int], attempts: int, error: str, report: DispatchReport
    ) -> None:
        """A passing failure: pending again after the backoff for this many attempts."""
        retry_at = self.clock() + max(retry_delay(attempts), timedelta(seconds=1))
        log.warning("reminders %s not sent (%s): trying again at %s", sorted(ids), error, retry_at)
        await self._settle(
            left, ids, report, "retried", q.retry_later, retry_at=retry_at, error=error
        )

    async def _settle(
        self,
        left: set[int],
        ids: set[int],
        report: DispatchReport,
        counter: str,
        query: Callable[..., Awaitable[int]],
        **values: Any,
    ) -> None:
        """Record the outcome of `ids` in one transaction, then stop holding them."""
        if not ids:
            return
        changed = await self.claims.settle(ids, query, **values)
        setattr(report, counter, getattr(report, counter) + changed)
        left.difference_update(ids)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: using UTC for quiet hours", name)
        return ZoneInfo("UTC")


async def _record_delivery(
    session: AsyncSession,
    *,
    ids: Collection[int],
    owner_id: int,
    delivered: Sequence[Reminder],
    message_id: int | None,
    sent_at: datetime,
    worker: str | None = None,
    note: str | None = None,
) -> int:
    """Telegram accepted the message: the rows are sent, and what follows from a send is
    planned now, once, where it is recorded (composing changes nothing): a birthday nudge's
    next one, tomorrow's digest after a follow-up (`planning.plan_after_delivery`)."""
    changed = await q.mark_delivered(
        session, ids=ids, message_id=message_id, sent_at=sent_at, worker=worker, note=note
    )
    await plan_after_delivery(session, owner_id=owner_id, delivered=delivered, now=sent_at)
    return changed


def _default_compose() -> Compose:
    from bot.reminders.messages import compose  # the messages feature, built alongside

    return compose
