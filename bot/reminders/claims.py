"""The reminders one dispatcher holds: claimed in batches, renewed while held, then settled.

A claim is a row in `sending` with its `claimed_at`. One older than `stale_after` belongs to a
dispatcher that died and is given back at the next run; a live dispatcher renews its own, so a
long pause (a big retry_after) never looks like a dead one to another worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from storage.db import Sessions
from storage.models import Reminder
from storage.queries import dispatch as q

log = logging.getLogger(__name__)

RENEW_EVERY = 60.0
"""Seconds between renewals of the claims a running dispatcher holds."""

Clock = Callable[[], datetime]


class Claims:
    """The rows one dispatcher has claimed and not yet settled."""

    def __init__(
        self,
        sessions: Sessions,
        clock: Clock,
        *,
        batch: int,
        stale_after: timedelta,
        only_owners: Collection[int] | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.batch = batch
        self.stale_after = stale_after
        self.only_owners = only_owners  # the allow-list: anyone else's reminders wait
        self.held: set[int] = set()
        # SQLite has one writer, and a transaction that read before it writes fails at once
        # (no busy wait) when another connection wrote meanwhile: the dispatcher's own
        # sessions take turns there. PostgreSQL needs no such care.
        bind = sessions.kw.get("bind")
        self._serial = bind is not None and bind.dialect.name == "sqlite"
        self._turn = asyncio.Lock()

    def turn(self) -> AbstractAsyncContextManager[object]:
        """Hold this while using the database (a no-op except on SQLite)."""
        return self._turn if self._serial else nullcontext()

    async def recover(self, now: datetime) -> int:
        """Give back the claims of dispatchers that died."""
        async with self.turn(), self.sessions.begin() as session:
            return await q.recover_stale(session, claimed_before=now - self.stale_after)

    async def claim(self) -> list[Reminder]:
        """The next batch of due reminders of active sellers, now held by this dispatcher."""
        async with self.turn(), self.sessions.begin() as session:
            claimed = await q.claim_batch(
                session, now=self.clock(), limit=self.batch, only_owners=self.only_owners
            )
        self.held.update(reminder.id for reminder in claimed)
        return claimed

    async def renew_while_held(self) -> None:
        """Keep held claims fresh until cancelled."""
        while True:
            await asyncio.sleep(RENEW_EVERY)
            if self.held:
                try:
                    async with self.turn(), self.sessions.begin() as session:
                        await q.renew_claims(session, ids=set(self.held), now=self.clock())
                except Exception:
                    log.exception("could not renew reminder claims")

    async def settle(
        self, ids: Collection[int], query: Callable[..., Awaitable[int]], **values: Any
    ) -> int:
        """Record the outcome of `ids` in one transaction, then stop holding them."""
        ids = set(ids)
        async with self.turn(), self.sessions.begin() as session:
            changed = await query(session, ids=ids, **values)
        self.held.difference_update(ids)
        return changed

    async def give_back_all(self) -> int:
        """Pending again, untouched: after an unexpected error nothing stays claimed."""
        if not self.held:
            return 0
        return await self.settle(set(self.held), q.release)
