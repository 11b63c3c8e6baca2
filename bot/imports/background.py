"""The import's work outside any update: reading a file and writing its contacts take
seconds, longer than an update's one transaction and its seller's turn should last
(`bot.processing`), so an update only records the step and starts a task here."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any

from sqlalchemy.exc import OperationalError

from bot import update_scope
from bot.imports import files
from storage.db import Sessions
from storage.models import ConversationState
from storage.queries import conversations

_tasks: set[asyncio.Task[None]] = set()  # held, so a running task is not collected


def spawn(work: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
    """Run `work()` in a task of its own, in a fresh context (the update's transaction,
    `bot.update_scope`, must not leak into it). From inside an update it starts once that
    update has committed, so it finds the step the update wrote, on PostgreSQL as on SQLite
    (where the writer lock alone would make it wait); a rolled-back update starts nothing."""

    def start() -> None:
        task = asyncio.create_task(work(), name=name, context=contextvars.Context())
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    scope = update_scope.current()
    if scope is None:
        start()
    else:
        scope.after_commit(start)


async def stop() -> None:
    """At shutdown: stop what is under way; its step is still in the database, and it
    resumes at the next start."""
    for task in list(_tasks):
        task.cancel()
    for task in list(_tasks):
        with suppress(asyncio.CancelledError):
            await task
    files.close()


CLAIM_ATTEMPTS = 5


async def take_over(
    sessions: Sessions, seller_id: int, *, flow: str, from_steps: tuple[str, ...], to_step: str
) -> ConversationState | None:
    """The seller's step, once the update that wrote it has committed (None when it
    rolled back, or the seller moved on). SQLite may say "locked" while that update's
    transaction still runs: asked again."""
    for attempt in range(CLAIM_ATTEMPTS):
        try:
            async with sessions.begin() as session:
                return await conversations.move_step(
                    session, seller_id=seller_id, flow=flow, from_steps=from_steps, to_step=to_step
                )
        except OperationalError:
            if attempt == CLAIM_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    return None
