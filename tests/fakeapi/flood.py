"""Flood control: forced 429s on demand, and optionally Telegram's real sending rates."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable

from tests.fakeapi.errors import too_many_requests

# Calls that can be forced to fail with 429.
SEND_METHODS = frozenset(
    {
        "sendmessage", "senddocument", "sendphoto", "editmessagetext", "editmessagecaption",
        "editmessagereplymarkup",
    }
)  # fmt: skip
# Calls that count as new messages for the real-rate limits.
NEW_MESSAGE_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})


class FloodControl:
    """``force(n)`` fails the next n sends; ``enforce`` applies 30 msg/s overall and
    1 msg/s per private chat (sliding one-second windows). ``rejected`` counts 429s."""

    def __init__(
        self,
        *,
        enforce: bool = False,
        per_second: int = 30,
        per_chat_per_second: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enforce = enforce
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.rejected = 0
        self._clock = clock
        self._forced: list[int] = []
        self._sent: deque[float] = deque()
        self._sent_per_chat: defaultdict[int, deque[float]] = defaultdict(deque)

    def force(self, n: int = 1, *, retry_after: int = 1) -> None:
        """Make the next ``n`` send-type calls answer 429 with ``retry_after`` seconds."""
        self._forced.extend([retry_after] * n)

    def check(self, method: str, chat_id: int | None) -> None:
        """Raise a 429 ApiError, or record the send against the windows."""
        method = method.lower()
        if method in SEND_METHODS and self._forced:
            self.rejected += 1
            raise too_many_requests(self._forced.pop(0))
        if not self.enforce or method not in NEW_MESSAGE_METHODS:
            return
        now = self._clock()
        windows = [(self._sent, self.per_second)]
        if chat_id is not None:
            windows.append((self._sent_per_chat[chat_id], self.per_chat_per_second))
        for window, limit in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                self.rejected += 1
                raise too_many_requests(max(1, math.ceil(window[0] + 1.0 - now)))
        for window, _ in windows:
            window.append(now)
