"""One transaction per update: what a handler writes commits together with the update's
`done` mark in the inbox, or not at all.

Handlers open sessions through `context.sessions` as often as they like; while an update is
handled each of those is the same session, in one transaction the update processor
(`bot.processing`) commits after the last handler returned. A crash or a failed reply in
between leaves no half-made contact, and the update, still queued, is handled again from
the start. Code outside an update (jobs, the dispatcher) gets the app's own factory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass
class UpdateScope:
    """The update being handled in this task, its one session, and how handling went."""

    update_id: int
    session: AsyncSession
    error: BaseException | None = None
    committed: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this update's transaction has committed; never if it rolls
        back (the update is then handled again, and asks again)."""
        self.committed.append(callback)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        """Like `Sessions.begin()`, but changes wait in the session: they are written with
        its next query or at the update's commit, after the replies. On SQLite the first
        write holds the database's one write lock until the commit, so written before a
        reply it would keep every other seller waiting out that reply's trip to Telegram.
        The rows loaded stay in the session for the rest of the update, so a contact read by
        three handlers costs one SELECT (this transaction's own writes keep them current)."""
        yield self.session

    __call__ = begin


_current: ContextVar[UpdateScope | None] = ContextVar("update_scope", default=None)


def current() -> UpdateScope | None:
    """The scope of the update this task is handling, if any."""
    return _current.get()


@asynccontextmanager
async def entered(scope: UpdateScope) -> AsyncIterator[UpdateScope]:
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)
