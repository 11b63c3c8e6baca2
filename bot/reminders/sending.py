"""Sending one reminder message at the pace Telegram allows, and what came of it.

A send that failed either provably never left (no connection was made: refused, or none free
in the pool), and is tried again at once; or its outcome is unknown (a timeout, a 5xx, a
connection dropped after the request was written): Telegram may have delivered it, and
sending it again blindly is how sellers got two or three copies. The dispatcher decides what
to do with an unknown outcome (`Unknown`); `presumed_delivered` is the evidence it has.

Bulk sends wait `READ_TIMEOUT` for Telegram's answer, much longer than python-telegram-bot's
5 s: a slow answer that still comes is a known outcome.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut

from bot.reminders import health
from bot.reminders.pacing import Pacer
from bot.reminders.report import DispatchReport

log = logging.getLogger("bot.reminders.dispatcher")

READ_TIMEOUT = 30.0
"""Seconds a reminder send waits for Telegram's answer (python-telegram-bot's default: 5)."""
RESEND_AT_ONCE = 2
"""Times a send that provably never left is tried again at once (then after a backoff)."""
SAME_MOMENT = 2.0
"""Seconds after a send within which another one Telegram answered shows it was working."""
_NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Outgoing(Protocol):
    """One message `compose` wants sent (see `bot.reminders.messages.Outgoing`)."""

    @property
    def reminder_ids(self) -> tuple[int, ...]: ...
    @property
    def text(self) -> str: ...
    @property
    def keyboard(self) -> InlineKeyboardMarkup | None: ...


class Answers:
    """When the sends Telegram answered were made: the evidence that Telegram was working
    when a send it did not answer in time reached it."""

    def __init__(self, *, window: float = SAME_MOMENT, keep: float = 120.0) -> None:
        self.window = window
        self.keep = keep
        self._started: deque[float] = deque()

    def answered(self, started: float) -> None:
        self._started.append(started)
        while self._started and self._started[0] < started - self.keep:
            self._started.popleft()

    def working_at(self, started: float) -> bool:
        """Telegram answered a send made within `window` seconds after `started`."""
        return any(started < other <= started + self.window for other in self._started)


class Paced(Protocol):
    """What sending needs of the dispatcher: its bot, its pace, its heartbeat, how long a
    send waits for its answer, and the answers so far."""

    bot: Bot
    pacer: Pacer
    health: dict[str, Any]
    clock: Callable[[], datetime]
    read_timeout: float
    answers: Answers


class StoppingError(Exception):
    """The bot is stopping: give back what is held."""


@dataclass(frozen=True)
class Sent:
    message_id: int


@dataclass(frozen=True)
class Failed:
    error: str
    permanent: bool


@dataclass(frozen=True)
class Unknown:
    """Telegram may or may not have delivered it. `presumed_delivered`: Telegram did not
    answer in time, but answered sends made right after it, so it was working and most
    likely delivered this one too."""

    error: str
    presumed_delivered: bool


class Blocked:
    """The seller blocked the bot (403)."""


async def send_paced(
    sender: Paced,
    chat_id: int,
    message: Outgoing,
    report: DispatchReport,
    should_stop: Callable[[], bool],
) -> Sent | Failed | Blocked | Unknown:
    """Send at the pace Telegram allows; a 429 pauses every send and tries again, and so does
    a send that never left (a few times)."""
    tries = 0
    while True:
        try:
            async with sender.pacer.sending(chat_id):  # until the answer, or the error
                if should_stop():
                    raise StoppingError
                started = time.monotonic()
                sent = await sender.bot.send_message(
                    chat_id,
                    message.text,
                    reply_markup=message.keyboard,
                    read_timeout=sender.read_timeout,
                )
        except RetryAfter as exc:
            report.rate_limited += 1
            seconds = _seconds(exc)
            log.warning("Telegram asks to wait %.1f s (429); pausing every send", seconds)
            sender.pacer.pause(seconds)
            continue
        except Forbidden:
            return Blocked()
        except BadRequest as exc:  # a NetworkError subclass, but it will not heal
            return Failed(f"BadRequest: {exc.message}", permanent=True)
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx and the rest
            error = f"{type(exc).__name__}: {exc.message}"
            if isinstance(exc.__cause__, _NEVER_LEFT):
                tries += 1
                if tries <= RESEND_AT_ONCE:
                    report.resent_at_once += 1
                    continue
                return Failed(error, permanent=False)
            report.unknown += 1
            timed_out = isinstance(exc, TimedOut) and isinstance(exc.__cause__, httpx.ReadTimeout)
            return Unknown(error, timed_out and sender.answers.working_at(started))
        sender.answers.answered(started)
        health.beat(sender.health, sender.clock())
        return Sent(sent.message_id)


def _seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
