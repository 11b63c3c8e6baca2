"""Sending pace: Telegram's 30 messages a second overall and 1 a second per chat.

python-telegram-bot's `AIORateLimiter` paces the overall rate as a leaky bucket (bursts of 30
at once) and does not pace private chats at all, so the dispatcher paces itself:

- messages are booked at evenly spaced moments, a little under the limit (29/s);
- right before a message leaves, the real clock is checked as well: never more than
  `burst` messages in any one-second window, however late a busy event loop woke the
  senders (late wake-ups would otherwise bunch up booked moments);
- each chat at most once per `chat_interval`;
- a 429 stops every send until its `retry_after` has passed.

When a message reaches Telegram is known only to lie between the moment it was let go and
the moment its answer came back; a busy process (or network) can hold the request anywhere in
between. So a send made through `sending(chat_id)` counts as in the window from the one until
the other, and the next message to its chat waits `chat_interval` from its answer: then no
delay between here and Telegram can bunch up what Telegram receives (a message held back a
quarter of a second would otherwise reach a chat 0.85 s after the one before it).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

OVERALL_PER_SECOND = 29.0
"""Booked pace, below Telegram's 30/s."""
BURST = 29
"""At most this many messages leave in any one second (Telegram allows 30: one to spare for
network jitter between here and Telegram)."""
CHAT_INTERVAL = 1.1
"""Seconds between two messages to one chat (Telegram: about 1 per second)."""
WINDOW = 1.0


class Pacer:
    """Hands out send moments. `wait(chat_id)` returns when a message to that chat may go."""

    def __init__(
        self,
        *,
        per_second: float = OVERALL_PER_SECOND,
        burst: int | None = BURST,
        chat_interval: float = CHAT_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.spacing = 1.0 / per_second
        self.burst = burst
        self.chat_interval = chat_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_send = 0.0  # the earliest moment of the next booking, any chat
        self._paused_until = 0.0  # a 429 stops everything until then
        self._chat_next: dict[int, float] = {}
        self._recent: deque[float] = deque()  # when the last messages were answered
        self._in_flight = 0  # let go, not yet answered: in every window until they are
        self._lock = asyncio.Lock()

    @property
    def paused_until(self) -> float:
        return self._paused_until

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends for `seconds` (a little more, to be safe)."""
        until = self._monotonic() + seconds + 0.05
        self._paused_until = max(self._paused_until, until)

    @asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a message to `chat_id` may be sent; send it inside. It counts from now
        until its answer came back (the end of the block)."""
        await self._take(chat_id)
        try:
            yield
        finally:
            self._answered(chat_id)

    async def wait(self, chat_id: int) -> None:
        """Sleep until a message to `chat_id` may be sent, and count it as sent (and answered)
        now."""
        await self._take(chat_id)
        self._answered(chat_id)

    def _answered(self, chat_id: int) -> None:
        now = self._monotonic()
        self._in_flight -= 1
        self._recent.append(now)
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), now + self.chat_interval)
        self._forget_old(now)

    async def _take(self, chat_id: int) -> None:
        while True:
            # The chat's own pace first, holding nobody else up.
            delay = self._chat_next.get(chat_id, 0.0) - self._monotonic()
            if delay > 0:
                await self._sleep(delay)
            async with self._lock:
                now = self._monotonic()
                if self._chat_next.get(chat_id, 0.0) > now:
                    continue  # another message to this chat got in first
                moment = max(now, self._next_send, self._paused_until)
                self._next_send = moment + self.spacing
                self._chat_next[chat_id] = moment + self.chat_interval
            delay = moment - self._monotonic()
            if delay > 0:
                await self._sleep(delay)
            async with self._lock:
                now = self._monotonic()
                free_at = self._window_free_at(now)
                if self._paused_until > now or free_at > now:
                    # A 429 arrived meanwhile, or late wake-ups bunched up: book again.
                    self._next_send = max(self._next_send, free_at)
                    self._chat_next.pop(chat_id, None)
                    continue
                self._in_flight += 1
                self._chat_next[chat_id] = now + self.chat_interval
                return

    def _window_free_at(self, now: float) -> float:
        """When one more message fits in the last second's sends (answered, or in flight)."""
        recent = self._recent
        while recent and recent[0] <= now - WINDOW:
            recent.popleft()
        if self.burst is None or self._in_flight + len(recent) < self.burst:
            return now
        if self._in_flight >= self.burst:
            return now + self.spacing  # look again once some have been answered
        return recent[len(recent) - (self.burst - self._in_flight)] + WINDOW

    def _forget_old(self, now: float) -> None:
        """Keep the per-chat table small: chats whose pace has passed need no entry."""
        if len(self._chat_next) >= 4096:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}
