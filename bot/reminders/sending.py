"""Sending one reminder message at the pace Telegram allows, and what came of it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.reminders import health
from bot.reminders.pacing import Pacer
from bot.reminders.report import DispatchReport

log = logging.getLogger("bot.reminders.dispatcher")


class Outgoing(Protocol):
    """One message `compose` wants sent (see `bot.reminders.messages.Outgoing`)."""

    @property
    def reminder_ids(self) -> tuple[int, ...]: ...
    @property
    def text(self) -> str: ...
    @property
    def keyboard(self) -> InlineKeyboardMarkup | None: ...


class Paced(Protocol):
    """What sending needs of the dispatcher: its bot, its pace and its heartbeat."""

    bot: Bot
    pacer: Pacer
    health: dict[str, Any]
    clock: Callable[[], datetime]


class StoppingError(Exception):
    """The bot is stopping: give back what is held."""


@dataclass(frozen=True)
class Sent:
    message_id: int


@dataclass(frozen=True)
class Failed:
    error: str
    permanent: bool


class Blocked:
    """The seller blocked the bot (403)."""


async def send_paced(
    sender: Paced,
    chat_id: int,
    message: Outgoing,
    report: DispatchReport,
    should_stop: Callable[[], bool],
) -> Sent | Failed | Blocked:
    """Send at the pace Telegram allows; a 429 pauses every send and tries again."""
    while True:
        await sender.pacer.wait(chat_id)
        if should_stop():
            raise StoppingError
        try:
            sent = await sender.bot.send_message(
                chat_id, message.text, reply_markup=message.keyboard
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
            return Failed(f"{type(exc).__name__}: {exc.message}", permanent=False)
        health.beat(sender.health, sender.clock())
        return Sent(sent.message_id)


def _seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
