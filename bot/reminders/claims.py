"""The reminders one dispatcher holds: claimed in batches, renewed while held, then settled.

A claim is a row in `sending` with its `claimed_at` and the id of the dispatcher holding it
(`claimed_by`). Each run gives back the claims of dispatchers that are provably dead
(`liveness`), so the first run after a crash and restart sends them; and any claim older than
`stale_after`, whoever made it. A live dispatcher renews its own, so a long pause (a big
retry_after) never looks like a dead one to another worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from bot.reminders.liveness import Liveness, new_worker_id
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
        self.worker = new_worker_id()
        # SQLite has one writer, and a transaction that read before it writes fails at once
        # (no busy wait) when another connection wrote meanwhile: the dispatcher's own
        # sessions take turns there. PostgreSQL needs no such care.
        bind = sessions.kw.get("bind")
        self._serial = bind is not None and bind.dialect.name == "sqlite"
        self._turn = asyncio.Lock()
        self.liveness = Liveness(bind, self.worker) if bind is not None else None

    def turn(self) -> AbstractAsyncContextManager[object]:
        """Hold this while using the database (a no-op except on SQLite)."""
        return self._turn if self._serial else nullcontext()

    async def recover(self, now: datetime) -> int:
        """Give back the claims of dispatchers that died: those provably dead, and any stale."""
        dead: set[str] = set()
        if self.liveness is not None:
            await self.liveness.hold()
            async with self.turn(), self.sessions.begin() as session:
                holders = await q.claim_holders(session, other_than=self.worker)
            dead = await self.liveness.dead(holders) if holders else set()
        async with self.turn(), self.sessions.begin() as session:
            stale = await q.recover_stale(session, claimed_before=now - self.stale_after)
            recovered = stale + await q.recover_held_by(session, workers=dead)
        if dead:
            log.warning("took back the claims of dispatchers that died: %s", sorted(dead))
        return recovered

    async def close(self) -> None:
        if self.liveness is not None:
            await self.liveness.release()

    async def claim(self) -> list[Reminder]:
        """The next batch of due reminders of active sellers, now held by this dispatcher."""
        async with self.turn(), self.sessions.begin() as session:
            claimed = await q.claim_batch(
                session,
                now=self.clock(),
                limit=self.batch,
                only_owners=self.only_owners,
                worker=self.worker,
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
                        await q.renew_claims(
                            session, ids=set(self.held), now=self.clock(), worker=self.worker
                        )
                except Exception:
                    log.exception("could not renew reminder claims")

    async def settle(
        self, ids: Collection[int], query: Callable[..., Awaitable[int]], **values: Any
    ) -> int:
        """Record the outcome of `ids` in one transaction, then stop holding them."""
        ids = set(ids)
        async with self.turn(), self.sessions.begin() as session:
            changed = await query(session, ids=ids, worker=self.worker, **values)
        self.held.difference_update(ids)
        return changed

    async def give_back_all(self) -> int:
        """Pending again, untouched: after an unexpected error nothing stays claimed."""
        if not self.held:
            return 0
        return await self.settle(set(self.held), q.release)
