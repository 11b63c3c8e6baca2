"""SQLite run on the event loop's own thread, waiting for the write lock without blocking it.

aiosqlite gives each connection a thread and hands every call over to it: a future, a queue,
a wake-up of the event loop, the GIL passed back and forth. For the short indexed statements
a bot runs, that hand-over costs many times what SQLite takes to answer (about 4 µs for an
indexed SELECT), and under a crowd the threads' share of the GIL left the loop idle a fifth
of the time. Here a statement runs where it is called, and nothing waits unless another
connection holds the write lock (`busy_timeout` is 0: SQLite never sleeps on this thread).
Then the connection waits on the loop: in line, when the holder is one of this process's
connections (`_WriteTurns`), or napping a few milliseconds, when it is in another process;
for up to `BUSY_WAIT` seconds, as `busy_timeout=5000` waited before.

A commit that fills the WAL to SQLite's 1,000 pages runs its checkpoint, which copies the
pages into the database file and syncs it, on the loop: 20,000 commits here stalled the loop
at most 6.9 ms. Run on a worker thread instead, checkpoints raced the writers and never caught
up: the WAL grew without end (100 MB after those 20,000), so they stay SQLite's own.

Plugged into SQLAlchemy as the aiosqlite dialect's module (`create_async_engine(url,
module=InLoopDBAPI())`): the dialect, pooling and error translation stay its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.connectors.asyncio import (
    AsyncAdapt_dbapi_connection,
    AsyncAdapt_dbapi_cursor,
    AsyncAdapt_terminate,
)
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.util.concurrency import await_

BUSY_WAIT = 5.0
"""Seconds a statement waits for the write lock before SQLite's "database is locked"."""
NAPS = (0.001, 0.002, 0.005, 0.010)
"""Waits between tries while a writer in another process holds the lock (one of this
process's hands the lock on as soon as it is done)."""
PRAGMAS = ("busy_timeout=0",)
"""Set on each connection (after `storage.db`'s own): SQLite never sleeps on the loop."""


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")
"""How a statement that may take the write lock starts (a WITH may end in an UPDATE)."""


def _writes(operation: str) -> bool:
    return operation.lstrip()[:7].upper().startswith(WRITES)


class _WriteTurns:
    """This process's connections take SQLite's write lock in turn, first come first served.

    SQLite answers a writer that finds the lock taken with SQLITE_BUSY, and all of them try
    again when the holder lets go: one wins, the others fail again, each failure a statement
    prepared, refused and rolled back. With a crowd, five refusals for every write that got
    through. So a connection that finds the lock held by another of this process's
    connections waits in line instead; the lock is handed to the first in line when its
    holder commits or rolls back. A writer in another process is seen only as SQLITE_BUSY;
    then the connection naps and tries again.
    """

    def __init__(self) -> None:
        self.holder: object | None = None  # the connection writing now, or next to
        self._line: deque[tuple[object, asyncio.Future[None]]] = deque()

    def held_by_another(self, connection: object) -> bool:
        return self.holder is not None and self.holder is not connection

    def took(self, connection: object) -> None:
        self.holder = connection

    async def wait(self, connection: object, within: float) -> None:
        """Until the lock is handed to `connection`, or `within` seconds have passed."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        place = (connection, waiter)
        self._line.append(place)
        try:
            await asyncio.wait_for(waiter, within)
        except TimeoutError:
            pass
        except BaseException:
            self.let_go(connection)  # cancelled once it was its turn: the next one's now
            raise
        finally:
            if place in self._line:
                self._line.remove(place)

    def let_go(self, connection: object) -> None:
        """`connection` ended its transaction: the next in line, if any, writes now."""
        if self.holder is not connection:
            return
        self.holder = None
        while self._line:
            successor, waiter = self._line.popleft()
            if not waiter.done():
                self.holder = successor
                waiter.set_result(None)
                return


class _InLoopCursor(AsyncAdapt_dbapi_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False
    _cursor: Any  # the sqlite3 cursor of the last statement (None before the first)

    def _make_new_cursor(self, connection: Any) -> Any:
        return None

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    @property
    def description(self) -> Any:
        return self._cursor.description if self._cursor is not None else None

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount if self._cursor is not None else -1

    @property
    def lastrowid(self) -> int:
        return self._cursor.lastrowid if self._cursor is not None else 0

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, () if parameters is None else parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: str, parameters: Any, many: bool) -> None:
        adapted: _InLoopConnection = self._adapt_connection  # type: ignore[assignment]
        # A coroutine that returns without suspending unless SQLite is busy: awaiting it
        # costs a greenlet switch, not a trip through the event loop.
        self._cursor = await_(adapted.run(operation, parameters, many))
        if not self.server_side:
            self._rows = deque(self._cursor.fetchall()) if self._cursor.description else deque()

    def close(self) -> None:
        self._rows.clear()
        if self._cursor is not None:
            self._cursor.close()


class _InLoopStreamingCursor(_InLoopCursor):
    """A server-side cursor (`stream()`): rows are read from SQLite as they are asked for."""

    __slots__ = ()
    server_side = True

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> Any:
        return self._cursor.fetchmany(self.arraysize if size is None else size)

    def fetchall(self) -> Any:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class _InLoopConnection(AsyncAdapt_terminate, AsyncAdapt_dbapi_connection):
    __slots__ = ("_turns",)
    _cursor_cls = _InLoopCursor
    _ss_cursor_cls = _InLoopStreamingCursor  # type: ignore[assignment]
    _connection: Any  # the sqlite3 connection itself

    def __init__(self, dbapi: Any, connection: sqlite3.Connection, turns: _WriteTurns) -> None:
        super().__init__(dbapi, connection)  # type: ignore[arg-type]
        self._turns = turns

    async def run(self, operation: str, parameters: Any, many: bool) -> sqlite3.Cursor:
        """The statement, now; or, while another connection holds the write lock, as soon
        as it is free (waiting on the loop, up to `BUSY_WAIT` seconds)."""
        connection: sqlite3.Connection = self._connection
        turns = self._turns
        loop = asyncio.get_running_loop()
        began_here = not connection.in_transaction
        writes = began_here and _writes(operation)
        deadline = loop.time() + BUSY_WAIT
        tries = 0
        while True:
            if writes and turns.held_by_another(self):
                await turns.wait(self, max(0.0, deadline - loop.time()))
            try:
                cursor = connection.cursor()
                if many:
                    cursor.executemany(operation, parameters)
                else:
                    cursor.execute(operation, parameters)
            except sqlite3.OperationalError as error:
                if not _busy(error) or loop.time() > deadline:
                    turns.let_go(self)
                    raise
            else:
                if writes and connection.in_transaction:
                    turns.took(self)  # holds the lock until its transaction ends
                return cursor
            writes = True  # SQLite said busy: this statement writes
            if began_here and connection.in_transaction:
                # The transaction this statement began has written nothing: it starts
                # afresh, so that it does not go on from before the writer it waited for.
                connection.rollback()
            if not turns.held_by_another(self):
                # Another process's writer, which ends unseen: nap and try again, while
                # this process's other writers wait in line behind this one.
                turns.took(self)
                await asyncio.sleep(NAPS[min(tries, len(NAPS) - 1)])
                tries += 1

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection.isolation_level = value

    def create_function(self, *args: Any, **kw: Any) -> None:
        self._connection.create_function(*args, **kw)

    def commit(self) -> None:
        try:
            self._connection.commit()
        finally:
            self._turns.let_go(self)

    def rollback(self) -> None:
        try:
            self._connection.rollback()
        finally:
            self._turns.let_go(self)

    def close(self) -> None:
        try:
            self._connection.close()
        finally:
            self._turns.let_go(self)

    async def _terminate_graceful_close(self) -> None:
        self.close()

    def _terminate_force_close(self) -> None:
        self.close()


class InLoopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Give to `create_async_engine(url, module=InLoopDBAPI())` for an aiosqlite URL."""

    def __init__(self) -> None:
        # sqlite3 stands in for aiosqlite too: the same error classes, and no threads.
        super().__init__(sqlite3, sqlite3)
        self._turns = _WriteTurns()

    def connect(self, *arg: Any, **kw: Any) -> Any:
        kw.pop("async_creator_fn", None)
        kw.update(check_same_thread=False, timeout=0)
        return _InLoopConnection(self, sqlite3.connect(*arg, **kw), self._turns)
