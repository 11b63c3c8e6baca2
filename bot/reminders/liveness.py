"""Which dispatcher holds a claim, and whether its process still lives.

Every dispatcher gets an id when it is made, `host:pid:boot` (`boot` random), and writes it on
each claim (`reminder.claimed_by`). Each run takes back at once the claims of dispatchers that
are provably dead, so after a crash the first run of the restarted bot sends what the dead
process held, instead of waiting `STALE_AFTER` for the claims to grow stale. "Provably":

- PostgreSQL (several workers, perhaps on several hosts): a dispatcher holds a session-level
  advisory lock keyed by its id, on a connection of its own, for as long as it lives. The
  server frees the lock when that connection ends, as it does when the process dies, so a
  lock anyone can take belongs to a dead dispatcher; a live one's lock is held and its claims
  are left alone. Should a live worker lose its connection, it locks again at its next run;
  meanwhile another may take back its claims (a message may then go twice, and the settle,
  which checks the holder, keeps the record right).
- SQLite (one host; one bot process per file): dead when it ran on this host and its pid is
  gone, or it had this process's pid under another boot id (a container restarted as pid 1)
  and no dispatcher of this process has that id. An owner on another host is never judged.

Not the age of the last renewal, as another worker would: claims are renewed every
`RENEW_EVERY` seconds, so at a restart a few seconds after a crash they are no older than a
live worker's, and a period plus a margin would have to pass. What cannot be judged here (a
claim made before `claimed_by` existed, an owner on another host with SQLite) still comes back
once stale.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
from collections.abc import Collection

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.reminders.leadership import end_session

log = logging.getLogger(__name__)

_ALIVE_HERE: set[str] = set()
"""Ids of the dispatchers alive in this process."""


def new_worker_id() -> str:
    """`host:pid:boot`, unique to one dispatcher of one process."""
    return f"{_host()}:{os.getpid()}:{secrets.token_hex(4)}"


class Liveness:
    """This dispatcher's sign of life, and a judge of other dispatchers' (see the module)."""

    def __init__(self, engine: AsyncEngine, worker: str) -> None:
        self.engine = engine
        self.worker = worker
        self._postgres = engine.dialect.name == "postgresql"
        self._connection: AsyncConnection | None = None

    async def hold(self) -> None:
        """Show this dispatcher alive (again, if its lock's connection was lost)."""
        _ALIVE_HERE.add(self.worker)
        if not self._postgres:
            return
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                await self._connection.commit()
                return
            except Exception:
                log.warning("lost the dispatcher's lock connection: taking the lock again")
                await self._drop_connection()
        connection = await self.engine.connect()
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _key(self.worker)})
        await connection.commit()
        self._connection = connection

    async def dead(self, workers: Collection[str]) -> set[str]:
        """Those of `workers` whose process is provably gone."""
        others = set(workers) - {self.worker}
        if not others or not self._postgres:
            return {worker for worker in others if _dead_on_this_host(worker)}
        found: set[str] = set()
        async with self.engine.connect() as connection:
            for worker in others:
                key = {"key": _key(worker)}
                if await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
                    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                    found.add(worker)
            await connection.commit()
        return found

    async def release(self) -> None:
        """This dispatcher stops (its claims were given back)."""
        _ALIVE_HERE.discard(self.worker)
        await self._drop_connection()

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await end_session(connection)  # and with it the lock
            except Exception:
                log.warning("could not close the dispatcher's lock connection", exc_info=True)


def _key(worker: str) -> int:
    """A PostgreSQL advisory lock key (bigint) for a dispatcher id."""
    digest = hashlib.blake2b(f"prospekt.dispatcher:{worker}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _host() -> str:
    return socket.gethostname()[:40]


def _dead_on_this_host(worker: str) -> bool:
    host, _, rest = worker.partition(":")
    pid_text, _, _boot = rest.partition(":")
    if host != _host() or not pid_text.isdigit() or worker in _ALIVE_HERE:
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # an earlier life of this process's pid: no dispatcher here has that id
    return pid > 0 and not _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True
