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
    handlers) and then marks its ``update_id`` done - also if it raised. With ``inner``, the
    handling is the inner processor's (the application's own), tracked from outside.
    """

    def __init__(
        self, max_concurrent_updates: int = 1, *, inner: BaseUpdateProcessor | None = None
    ) -> None:
        super().__init__(
            inner.max_concurrent_updates if inner is not None else max_concurrent_updates
        )
        self.inner = inner
        self.done: set[int] = set()
        self.failures: dict[int, BaseException] = {}
        self._waiters: dict[int, asyncio.Event] = {}

    @classmethod
    def around(cls, inner: BaseUpdateProcessor) -> TrackingUpdateProcessor:
        return cls(inner=inner)

    async def initialize(self) -> None:
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        if self.inner is not None:
            await self.inner.shutdown()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        try:
            if self.inner is not None:
                await self.inner.do_process_update(update, coroutine)
            else:
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
