"""The server's update queue with Telegram's getUpdates semantics, including long polling."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

# Telegram's default when allowed_updates is empty: everything but these opt-in types.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates; an update stays pending until a later ``offset`` confirms it.

    Only one long poll is served at a time: a new getUpdates call ends older ones with an
    empty result (Telegram answers them with 409; the fake stays quiet so that PTB's
    cancel-then-confirm shutdown does not count as an error).
    """

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._last_id = 0
        self._wake = asyncio.Event()
        self._generation = 0
        self._closed = False
        self._allowed: frozenset[str] = frozenset()  # empty: Telegram's default set
        self.delivered: set[int] = set()
        self.dropped: set[int] = set()

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (without ``update_id``) and wake a waiting long poll."""
        self._last_id += 1
        self._pending.append({"update_id": self._last_id, **update})
        self._notify()
        return self._last_id

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def _notify(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()

    def close(self) -> None:
        """Make every long poll return now, so shutting down never waits for a timeout."""
        self._closed = True
        self._notify()

    def drop_pending(self) -> None:
        self.dropped.update(update["update_id"] for update in self._pending)
        self._pending.clear()

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            kept = self._pending[offset:]
            self.dropped.update(
                u["update_id"] for u in self._pending[: len(self._pending) + offset]
            )
            self._pending = kept
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _accepts(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        return kind in self._allowed if self._allowed else kind not in OPT_IN_TYPES

    def _select(self, limit: int) -> list[dict[str, Any]]:
        """Updates of types the bot did not ask for are discarded, as Telegram does."""
        refused = [u for u in self._pending if not self._accepts(u)]
        if refused:
            self.dropped.update(u["update_id"] for u in refused)
            self._pending = [u for u in self._pending if self._accepts(u)]
        batch = self._pending[:limit]
        self.delivered.update(u["update_id"] for u in batch)
        return batch

    async def get_updates(
        self, *, offset: int, limit: int, wait_seconds: float, allowed_updates: object
    ) -> list[dict[str, Any]]:
        self._generation += 1
        generation = self._generation
        self._notify()  # supersede an older long poll
        if isinstance(allowed_updates, list):  # remembered until the next list, like Telegram
            self._allowed = frozenset(str(kind) for kind in allowed_updates)
        self._confirm(offset)
        limit = min(max(limit, 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait_seconds, 0)
        while True:
            if generation != self._generation:
                return []
            batch = self._select(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closed:
                return batch
            wake = self._wake
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), remaining)
