"""The reminder dispatcher: due rows in the database become Telegram messages, once each.

The database is the source of truth; a recurring job (`bot.reminders.jobs`) sweeps it.
Each run:

1. gives back claims left in `sending` by a dispatcher that died (older than `STALE_AFTER`);
2. claims due reminders of active sellers in batches (one atomic statement; on PostgreSQL
   `FOR UPDATE SKIP LOCKED`, so several bot processes never take the same row) and commits;
3. per seller: in their quiet hours the rows wait (pending again at the end of the quiet
   period); otherwise `compose` turns them into messages and rows it leaves out are cancelled;
4. sends each message at Telegram's pace (`Pacer`) and records it on every row it covers.

Failures never lose a reminder: a 429 pauses all sending and the same message is tried
again; network errors and 5xx make the rows pending again after a backoff; a 403 (the
seller blocked the bot) marks the seller inactive and leaves their rows pending, paused until
/start; a 400 marks the rows failed (Telegram would refuse them again). A stopping bot stops
claiming and gives back what it has not sent, so a restart sends it — once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.reminders import health
from bot.reminders.pacing import Pacer
from bot.rules.reminders import after_quiet_hours, in_quiet_hours, retry_delay
from storage.db import Sessions
from storage.models import Reminder, Seller
from storage.queries import dispatch as q

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
"""A `sending` claim this old belongs to a dispatcher that died; a live one renews its own."""
RENEW_EVERY = 60.0
"""Seconds between renewals of the claims a running dispatcher holds."""
BATCH = 100
"""Reminders claimed per statement (plus the same sellers' other due ones)."""
CONCURRENCY = 16
"""Sellers handled at once: composing and sending overlap, the `Pacer` keeps the pace."""


class Outgoing(Protocol):
    """One message `compose` wants sent (see `bot.reminders.messages.Outgoing`)."""

    @property
    def reminder_ids(self) -> tuple[int, ...]: ...
    @property
    def text(self) -> str: ...
    @property
    def keyboard(self) -> InlineKeyboardMarkup | None: ...


class Compose(Protocol):
    def __call__(
        self,
        session: AsyncSession,
        *,
        seller: Seller,
        reminders: Sequence[Reminder],
        now: datetime,
    ) -> Awaitable[Sequence[Outgoing]]: ...


Clock = Callable[[], datetime]


@dataclass
class DispatchReport:
    """What one run did; kept in `AppData.health` and returned to tests."""

    started_at: datetime
    finished_at: datetime | None = None
    recovered: int = 0  # stale claims given back
    claimed: int = 0
    messages: int = 0  # messages Telegram accepted
    delivered: int = 0  # reminders those messages covered (now `sent`)
    held: int = 0  # waiting for the end of quiet hours
    cancelled: int = 0  # compose left them out
    retried: int = 0  # network error / 5xx: pending again after a backoff
    failed: int = 0  # 400: Telegram refused the message itself
    released: int = 0  # paused seller or stopping bot: pending again, untouched
    rate_limited: int = 0  # 429 answers seen
    blocked: list[int] = field(default_factory=list)  # sellers who blocked the bot (403)
    errors: int = 0  # sellers whose handling raised
    stopped: bool = False  # the bot was stopping: the run ended early


class _StoppingError(Exception):
    """The bot is stopping: give back what is held."""


@dataclass(frozen=True)
class _Sent:
    message_id: int


@dataclass(frozen=True)
class _Failed:
    error: str
    permanent: bool


class _Blocked:
    pass


class Dispatcher:
    """Delivers due reminders. One per application; `run` calls never overlap."""

    def __init__(
        self,
        *,
        bot: Bot,
        sessions: Sessions,
        clock: Clock,
        compose: Compose | None = None,
        pacer: Pacer | None = None,
        health_data: dict[str, Any] | None = None,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.compose = compose
        self.pacer = pacer or Pacer()
        self.health = health_data if health_data is not None else {}
        self.batch = batch
        self.concurrency = concurrency
        self.stale_after = stale_after
        self._held: set[int] = set()
        self._lock = asyncio.Lock()
        self._bot_ready = False
        # SQLite has one writer, and a transaction that read before it writes fails at once
        # (no busy wait) when another connection wrote meanwhile: the dispatcher's own
        # sessions take turns there. PostgreSQL needs no such care.
        bind = sessions.kw.get("bind")
        self._serial = bind is not None and bind.dialect.name == "sqlite"
        self._turn = asyncio.Lock()

    def _db_turn(self) -> AbstractAsyncContextManager[object]:
        return self._turn if self._serial else nullcontext()

    async def close(self) -> None:
        async with self._lock:
            if self._bot_ready:
                await self.bot.shutdown()
                self._bot_ready = False

    # -- a run -----------------------------------------------------------------------------

    async def run(self, should_stop: Callable[[], bool] = lambda: False) -> DispatchReport:
        """Send everything due now; returns when nothing due is left (or the bot stops)."""
        async with self._lock:
            if not self._bot_ready:
                await self.bot.initialize()
                self._bot_ready = True
            report = DispatchReport(started_at=self.clock())
            health.beat(self.health, report.started_at)
            async with self._db_turn(), self.sessions.begin() as session:
                report.recovered = await q.recover_stale(
                    session, claimed_before=report.started_at - self.stale_after
                )
            if report.recovered:
                log.warning("gave back %d reminders a stopped dispatcher held", report.recovered)
            renewer = asyncio.create_task(self._renew_claims(), name="reminders.renew")
            try:
                await self._drain(report, should_stop)
            finally:
                renewer.cancel()
                if self._held:  # only after an unexpected error: never leave rows claimed
                    async with self._db_turn(), self.sessions.begin() as session:
                        report.released += await q.release(session, ids=set(self._held))
                    self._held.clear()
            report.finished_at = self.clock()
            self.health[health.LAST_RUN] = report.finished_at
            self.health[health.LAST_REPORT] = report
            health.beat(self.health, report.finished_at)
            if report.claimed or report.recovered:
                log.info("dispatch: %s", _summary(report))
            return report

    async def _drain(self, report: DispatchReport, should_stop: Callable[[], bool]) -> None:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(owner_id: int, rows: list[Reminder]) -> None:
            async with gate:
                await self._seller(owner_id, rows, report, should_stop)

        while not should_stop():
            async with self._db_turn(), self.sessions.begin() as session:
                claimed = await q.claim_batch(session, now=self.clock(), limit=self.batch)
            if not claimed:
                return
            report.claimed += len(claimed)
            self._held.update(reminder.id for reminder in claimed)
            self.compose = self.compose or _default_compose()
            by_seller: dict[int, list[Reminder]] = defaultdict(list)
            for reminder in claimed:
                by_seller[reminder.owner_id].append(reminder)
            await asyncio.gather(*(one(owner, rows) for owner, rows in by_seller.items()))
            health.beat(self.health, self.clock())
        report.stopped = True

    async def _renew_claims(self) -> None:
        """Keep held claims fresh, so a long pause (a big retry_after) never looks like a
        dead dispatcher to another worker."""
        while True:
            await asyncio.sleep(RENEW_EVERY)
            if self._held:
                try:
                    async with self._db_turn(), self.sessions.begin() as session:
                        await q.renew_claims(session, ids=set(self._held), now=self.clock())
                except Exception:
                    log.exception("could not renew reminder claims")

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
        except _StoppingError:
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
                    async with self._db_turn(), self.sessions.begin() as session:
                        report.released += await q.release(session, ids=left)
                    self._held.difference_update(left)
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
        async with self._db_turn(), self.sessions() as session:
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
                raise _StoppingError
            result = await self._send(owner_id, message, report, should_stop)
            if isinstance(result, _Sent):
                report.messages += 1
                await self._settle(
                    left,
                    ids,
                    report,
                    "delivered",
                    q.mark_delivered,
                    message_id=result.message_id,
                    sent_at=self.clock(),
                )
            elif isinstance(result, _Blocked):
                log.info("seller %s blocked the bot: pausing their reminders", owner_id)
                report.blocked.append(owner_id)
                async with self._db_turn(), self.sessions.begin() as session:
                    await q.deactivate_seller(session, seller_id=owner_id)
                await self._settle(left, set(left), report, "released", q.release)
                return
            elif result.permanent:
                log.error("Telegram refused reminders %s: %s", sorted(ids), result.error)
                await self._settle(left, ids, report, "failed", q.give_up, error=result.error)
            else:
                attempts = max(by_id[rid].attempts for rid in ids)
                await self._retry(left, ids, attempts, result.error, report)

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
        ids = set(ids)
        async with self._db_turn(), self.sessions.begin() as session:
            changed = await query(session, ids=ids, **values)
        setattr(report, counter, getattr(report, counter) + changed)
        left.difference_update(ids)
        self._held.difference_update(ids)

    # -- one message -----------------------------------------------------------------------

    async def _send(
        self,
        chat_id: int,
        message: Outgoing,
        report: DispatchReport,
        should_stop: Callable[[], bool],
    ) -> _Sent | _Failed | _Blocked:
        """Send at the pace Telegram allows; a 429 pauses every send and tries again."""
        while True:
            await self.pacer.wait(chat_id)
            if should_stop():
                raise _StoppingError
            try:
                sent = await self.bot.send_message(
                    chat_id, message.text, reply_markup=message.keyboard
                )
            except RetryAfter as exc:
                report.rate_limited += 1
                seconds = _seconds(exc)
                log.warning("Telegram asks to wait %.1f s (429); pausing every send", seconds)
                self.pacer.pause(seconds)
                continue
            except Forbidden:
                return _Blocked()
            except BadRequest as exc:  # a NetworkError subclass, but it will not heal
                return _Failed(f"BadRequest: {exc.message}", permanent=True)
            except TelegramError as exc:  # NetworkError, TimedOut, 5xx and the rest
                return _Failed(f"{type(exc).__name__}: {exc.message}", permanent=False)
            health.beat(self.health, self.clock())
            return _Sent(sent.message_id)


def _seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: using UTC for quiet hours", name)
        return ZoneInfo("UTC")


def _summary(report: DispatchReport) -> str:
    seconds = (
        (report.finished_at - report.started_at).total_seconds() if report.finished_at else 0.0
    )
    return (
        f"{report.claimed} claimed, {report.messages} messages for {report.delivered} "
        f"reminders, {report.held} held for quiet hours, {report.cancelled} cancelled, "
        f"{report.retried} to retry, {report.failed} failed, {report.released} given back, "
        f"{len(report.blocked)} sellers blocked the bot, {report.rate_limited} x 429, "
        f"{report.recovered} recovered, in {seconds:.1f} s"
    )


def _default_compose() -> Compose:
    from bot.reminders.messages import compose  # the messages feature, built alongside

    return compose
