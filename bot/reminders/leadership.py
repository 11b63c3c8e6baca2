"""Exactly one worker sends reminders at a time, elected through PostgreSQL.

With several workers on one database, each runs the dispatcher job, but only the one holding
a session-level advisory lock (`SENDER_LOCK`, on a connection of its own) sends. The server
frees the lock when that connection ends, as it does when the process dies; the next run of
another worker (every `REMINDER_INTERVAL`, 30 s) takes it over, so reminders go on within a
minute. The pace of 30 messages a second is the sender's alone, so it holds for the whole
deployment; across a hand-over too, as a new sender waits a second before its first send (the
one before it may have sent until it died), and a sender that loses its lock's connection
while it lives stops sending within `CHECK_EVERY` (another worker may have taken the lock).
On SQLite one process owns the file: it always sends.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from enum import Enum

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

SENDER_LOCK = 0x5052_4F53_5045_4B54  # "PROSPEKT": one key per database, shared by all workers
CHECK_EVERY = 0.5
"""Seconds between checks, while sending, that the lock is still this worker's."""


class Turn(Enum):
    """What `SenderLock.turn` found."""

    STANDBY = "standby"  # another worker sends
    HELD = "held"  # this worker sent before and still does
    TAKEN = "taken"  # this worker has just become the sender


class SenderLock:
    """Whether this worker is the one that sends reminders (see the module docstring)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._connection: AsyncConnection | None = None

    async def turn(self) -> Turn:
        """Whether this worker sends, and since when (see `Turn`)."""
        if not self._postgres:
            return Turn.HELD
        if self._connection is not None:
            if await self._alive():
                return Turn.HELD
            log.warning("lost the reminder sender's lock connection; trying to take it again")
        connection = await self.engine.connect()
        taken = await connection.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": SENDER_LOCK}
        )
        await connection.commit()
        if not taken:
            await connection.close()
            return Turn.STANDBY
        self._connection = connection
        log.info("this worker sends the reminders now")
        return Turn.TAKEN

    async def lost(self) -> None:
        """Return once this worker no longer holds the lock: its connection was lost, so
        another worker may take it now. Checked every `CHECK_EVERY` s (on SQLite, never)."""
        while True:
            await asyncio.sleep(CHECK_EVERY)
            if self._postgres and not await self._alive():
                return

    async def _alive(self) -> bool:
        """Whether the lock's connection still answers; if not, let go of it."""
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
        except SQLAlchemyError:
            await self.release()
            return False
        return True

    async def release(self) -> None:
        """Let another worker send (at shutdown, or when the connection was lost)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with suppress(SQLAlchemyError):  # already gone with the server's side of it
                await end_session(connection)


async def end_session(connection: AsyncConnection) -> None:
    """Close `connection` for good: its server session ends, and the advisory locks with it.
    `close()` alone hands a pooled connection back to the pool, session and locks included:
    the lock would stay held by an idle connection, and no worker could take it over."""
    await connection.invalidate()
    await connection.close()
