"""Replies go out at once; a 429 is waited out for the request that got it, and counted.

Telegram's 30 messages a second is for bulk notifications, which the reminder dispatcher
paces itself (on a bot of its own). Answers to a seller's own messages are not broadcasts:
PTB's `AIORateLimiter` would queue every reply behind one overall 30/s limit, and on a 429
hold back every other request too. Here only the refused request waits its `retry_after`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class RetryAfterOnly(BaseRateLimiter[None]):
    """No pacing; a request refused with 429 is sent again after its `retry_after`."""

    def __init__(self, max_retries: int = 2) -> None:
        self.max_retries = max_retries
        self.flood_waits = 0  # 429s met, for the health report and the benchmarks

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        for attempt in range(self.max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self.flood_waits += 1
                if attempt == self.max_retries:
                    raise
                wait = _seconds(error) + 0.1
                log.warning("429 on %s: sending it again in %.1f s", endpoint, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _seconds(error: RetryAfter) -> float:
    retry_after = error.retry_after
    return retry_after if isinstance(retry_after, int | float) else retry_after.total_seconds()
