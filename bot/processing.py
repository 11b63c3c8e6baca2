"""Handling updates: sellers at once, each seller's in order, each update in one transaction.

An update kept in the inbox is handled in its own transaction (`bot.update_scope`) that also
marks it done, so its effects happen once. When handling fails for a reason that passes (the
database unreachable or locked, the Bot API down or refusing with 5xx), everything it wrote
is rolled back and the whole update is handled again after a pause, still ahead of the same
seller's later updates; other sellers go on meanwhile. A bug rolls back too, and the update
is marked failed rather than retried for ever. Replies sent before a failure are sent again
on the retry: replies are at-least-once, effects exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from inspect import CORO_CREATED, getcoroutinestate
from types import CoroutineType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, BaseUpdateProcessor

from bot import update_scope
from bot.context import AppData
from storage.db import unreachable
from storage.queries import conversations, inbox

log = logging.getLogger(__name__)

PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
"""Seconds before each new attempt after a passing failure; then every 30 s."""
GIVE_UP_AFTER = 30
"""Attempts (about 12 minutes) before an update is marked failed instead of tried again."""


def passing(error: BaseException | None) -> bool:
    """A failure that goes away by itself: worth handling the update again later."""
    if isinstance(error, BadRequest):
        return False  # Telegram refused what was sent: the same again fails the same way
    if isinstance(error, NetworkError | RetryAfter):
        return True  # the Bot API down, a 5xx, a timeout, a flood wait beyond the retries
    return unreachable(error)


class InboxProcessor(BaseUpdateProcessor):
    """PTB's update processor for Prospekt (see the module docstring)."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        # PTB's own semaphore would be taken before the seller's turn, so that one seller's
        # backlog could fill every slot; it is left wide open and `_slots` taken after.
        super().__init__(2**16)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self.application: Application[Any, Any, Any, Any, AppData, Any] | None = None
        self.kept: set[int] = set()  # inbox rows this process holds, not yet finished
        self._turns: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}
        self.pauses: tuple[float, ...] = PAUSES
        self.give_up_after = GIVE_UP_AFTER

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: what was not finished stays queued in the inbox."""

    @asynccontextmanager
    async def _turn(self, seller_id: int | None) -> AsyncIterator[None]:
        if seller_id is None:
            yield
            return
        lock = self._turns.setdefault(seller_id, asyncio.Lock())
        self._queued[seller_id] = self._queued.get(seller_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._queued[seller_id] -= 1
            if not self._queued[seller_id]:
                del self._queued[seller_id], self._turns[seller_id]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # The seller's turn first, then a slot: a seller with many updates waiting holds no
        # slot until it is their turn.
        async with self._turn(_seller_of(update)), self._slots:
            await self._process(update, coroutine)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        data = self.application.bot_data if self.application is not None else None
        if (
            not isinstance(update, Update)
            or update.update_id not in self.kept
            or data is None
            or data.sessions is None
        ):
            await coroutine  # not kept (an outsider, a group): the gate answers, stores nothing
            return
        try:
            await self._handle_kept(update, coroutine, data)
        finally:
            self.kept.discard(update.update_id)

    async def _handle_kept(self, update: Update, first: Awaitable[Any], data: AppData) -> None:
        try:
            await self._attempts(update, first, data)
        finally:
            if isinstance(first, CoroutineType) and getcoroutinestate(first) == CORO_CREATED:
                first.close()  # never started (the database never let it): not left dangling

    async def _attempts(self, update: Update, first: Awaitable[Any], data: AppData) -> None:
        assert data.sessions is not None and self.application is not None
        attempt: Awaitable[Any] | None = first
        for number in range(1, self.give_up_after + 1):
            async with data.sessions() as session:
                scope = update_scope.UpdateScope(update.update_id, session)
                conversations.stage_writes(session)
                seller = _seller_of(update)
                try:
                    if seller is not None:
                        await inbox.hold_seller(session, seller)
                except SQLAlchemyError as error:
                    scope.error = error  # not handled at all: the first attempt is kept
                else:
                    async with update_scope.entered(scope):
                        await (attempt or self.application.process_update(update))
                    attempt = None
                if scope.error is None or isinstance(scope.error, Forbidden):
                    # Done, or the seller blocked the bot: what they typed is kept anyway.
                    try:
                        await conversations.write_staged(session)
                        await inbox.finish(session, update.update_id, now=data.clock())
                        await session.commit()
                        for callback in scope.committed:
                            callback()
                        data.told_unavailable.discard(_seller_of(update) or 0)
                        return
                    except SQLAlchemyError as error:
                        scope.error = error
                with suppress(SQLAlchemyError):  # a dropped connection rolls back by itself
                    await session.rollback()
            if not passing(scope.error):
                await self._finish(update.update_id, data, inbox.FAILED)
                return
            pause = self.pauses[min(number, len(self.pauses)) - 1]
            log.warning(
                "update %s: attempt %s failed (%s); trying again in %s s",
                update.update_id,
                number,
                type(scope.error).__name__,
                pause,
            )
            await asyncio.sleep(pause)
        log.error("update %s: gave up after %s attempts", update.update_id, self.give_up_after)
        await self._finish(update.update_id, data, inbox.MISSED)

    async def _finish(self, update_id: int, data: AppData, state: str) -> None:
        """Mark the update finished outside its rolled-back transaction; if even that fails,
        it stays queued and the next sweep hands it out again."""
        assert data.sessions is not None
        try:
            async with data.sessions.begin() as session:
                await inbox.finish(session, update_id, now=data.clock(), state=state)
        except SQLAlchemyError:
            log.warning("update %s: could not be marked %s", update_id, state, exc_info=True)


def _seller_of(update: object) -> int | None:
    """Whose turn an update waits for: its sender's (or its chat's)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
