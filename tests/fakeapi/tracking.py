"""Know exactly when the bot has finished an update, instead of sleeping and hoping."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class TrackingUpdateProcessor(BaseUpdateProcessor):
    """PTB update processor that records which update ids have been fully handled.

    ``do_process_update`` awaits PTB's handling of an update (handlers and blocking error
    handlers) and then marks its ``update_id`` done - also if it raised.
    """

    def __init__(self, max_concurrent_updates: int = 1) -> None:
        super().__init__(max_concurrent_updates)
        self.done: set[int] = set()
        self.failures: dict[int, BaseException] = {}
        self._waiters: dict[int, asyncio.Event] = {}

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        try:
            await coroutine
        except BaseException as exc:
            if update_id is not None:
                self.failures[update_id] = exc
            raise
        finally:
            if update_id is not None:
                self._mark_done(update_id)

    def _mark_done(self, update_id: int) -> None:
        self.done.add(update_id)
        waiter = self._waiters.pop(update_id, None)
        if waiter is not None:
            waiter.set()

    def is_done(self, update_id: int) -> bool:
        return update_id in self.done

    async def wait_for(self, update_id: int, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Return once ``update_id`` has been handled; raise TimeoutError after ``timeout`` s."""
        if update_id in self.done:
            return
        waiter = self._waiters.setdefault(update_id, asyncio.Event())
        try:
            await asyncio.wait_for(waiter.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"update {update_id} was not fully handled by the bot within {timeout:g}s"
            ) from None
