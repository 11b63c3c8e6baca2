"""The step each seller is at in a multi-step conversation, read on every update."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Executable, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage import dialects
from storage.models import ConversationState
from storage.types import utcnow

_states = cast(Table, ConversationState.__table__)

ABSENT = "conversations_absent"
"""`session.info` key: the sellers this session knows to have no conversation row."""
HELD = "conversations_held"
"""`session.info` key: rows read ahead of `get_state` (the identity map holds rows weakly)."""
STAGED = "conversations_staged"
"""`session.info` key: steps saved by this session, written at its end (`stage_writes`)."""


def loaded(session: AsyncSession, seller_id: int, state: ConversationState | None) -> None:
    """The seller's conversation as just read with other rows: until this session writes it,
    `get_state` answers from here without a query."""
    if state is None:
        known_absent(session, seller_id)
    else:
        session.info.setdefault(HELD, {})[seller_id] = state


def known_absent(session: AsyncSession, seller_id: int) -> None:
    session.info.setdefault(ABSENT, set()).add(seller_id)


def stage_writes(session: AsyncSession) -> None:
    """From now on `set_state` keeps the step in `session` until `write_staged`.

    An update's handler saves its step, then sends its reply. On SQLite a write takes the
    database's one write lock until the transaction ends, so that written early, every other
    seller's update would wait out this one's round trip to Telegram. Written at the end,
    with the update's other writes, the lock is held for milliseconds.
    """
    session.info[STAGED] = {}


async def write_staged(session: AsyncSession) -> None:
    """Write the steps `set_state` kept since `stage_writes` (each seller's latest)."""
    staged: dict[int, dict[str, Any]] = session.info.get(STAGED) or {}
    while staged:
        seller_id = next(iter(staged))
        await _write(session, seller_id, staged.pop(seller_id))


async def get_state(session: AsyncSession, *, seller_id: int) -> ConversationState | None:
    staged = session.info.get(STAGED)
    if staged and seller_id in staged:
        return ConversationState(seller_id=seller_id, **staged[seller_id])
    if seller_id in session.info.get(ABSENT, ()):
        return None
    return await session.get(ConversationState, seller_id)


async def set_state(
    session: AsyncSession, *, seller_id: int, flow: str, step: str, data: dict[str, Any]
) -> None:
    """Save the step and everything typed so far, replacing any earlier conversation.

    One statement (insert, or update on conflict), not a read and then a write: work in
    the background (an import) may end its own conversation row in between, and the
    seller's new step must land either way.
    """
    values = {"flow": flow, "step": step, "data": dict(data), "updated_at": utcnow()}
    staged = session.info.get(STAGED)
    if staged is not None:
        staged[seller_id] = values
        return
    await _write(session, seller_id, values)


async def _write(session: AsyncSession, seller_id: int, values: dict[str, Any]) -> None:
    await session.flush()  # a change to the row still pending in this session goes first
    session.info.get(ABSENT, set()).discard(seller_id)
    await session.execute(_upsert(session), {"seller_id": seller_id, **values})
    row = session.identity_map.get(session.identity_key(ConversationState, seller_id))
    if isinstance(row, ConversationState):
        for name, value in values.items():
            set_committed_value(row, name, value)


@cache
def _prebuilt_upsert(dialect: str) -> Executable:
    insert = dialects.insert_for(dialect, _states)
    return insert.on_conflict_do_update(
        index_elements=[_states.c.seller_id],
        set_={name: insert.excluded[name] for name in ("flow", "step", "data", "updated_at")},
    )


def _upsert(session: AsyncSession) -> Executable:
    """The step's upsert, built once per database and on the table, not the ORM class: it
    runs on every step of a conversation, and building the ORM's upsert with RETURNING each
    time cost three times the CPU. A row already loaded in this session is brought up to
    date in place instead."""
    return _prebuilt_upsert(session.get_bind().dialect.name)


async def clear_state(session: AsyncSession, *, seller_id: int) -> bool:
    """End the seller's conversation; True when there was one."""
    await _write_staged_for(session, seller_id)
    result = await session.execute(
        delete(ConversationState).where(ConversationState.seller_id == seller_id)
    )
    await session.flush()
    known_absent(session, seller_id)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def move_step(
    session: AsyncSession,
    *,
    seller_id: int,
    flow: str,
    from_steps: tuple[str, ...],
    to_step: str,
    data: dict[str, Any] | None = None,
) -> ConversationState | None:
    """Move the seller's conversation on from one of `from_steps`, in one statement, and
    return it; None when it is elsewhere (ended, replaced, or moved by someone else first).

    As the first statement of a transaction, it waits for a transaction that is still
    changing the row, so a step written by an update not yet committed is never taken.
    """
    await _write_staged_for(session, seller_id)
    values: dict[str, Any] = {"step": to_step, "updated_at": utcnow()}
    if data is not None:
        values["data"] = dict(data)
    result = await session.execute(
        update(ConversationState)
        .where(
            ConversationState.seller_id == seller_id,
            ConversationState.flow == flow,
            ConversationState.step.in_(from_steps),
        )
        .values(**values)
        .returning(ConversationState.seller_id)
    )
    if result.first() is None:
        return None
    return await session.get(ConversationState, seller_id, populate_existing=True)


async def in_step(session: AsyncSession, *, flow: str, step: str) -> list[ConversationState]:
    """Every seller's conversation at `step` of `flow` (work to pick up again at start)."""
    query = select(ConversationState).where(
        ConversationState.flow == flow, ConversationState.step == step
    )
    return list(await session.scalars(query))


async def _write_staged_for(session: AsyncSession, seller_id: int) -> None:
    """A statement on the seller's row itself comes after the step kept for it."""
    staged = session.info.get(STAGED)
    if staged and seller_id in staged:
        await _write(session, seller_id, staged.pop(seller_id))
