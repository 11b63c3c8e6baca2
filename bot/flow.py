"""Multi-step conversations whose step lives in the database, not in process memory.

Buttons carry their own routing in their callback data; only free text needs to know which
question it answers. So a conversation is just a row (flow, step, data) per seller, read on
each text message: a restart resumes at the same step and several workers agree.

A conversation that holds work in progress (a meeting) is `resumable`: a question that
interrupts it (editing another card) parks it in its own data and puts it back when answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.texts import Safe
from storage.queries import conversations

ANY_STEP = "*"  # a flow that reads every step's text itself registers (flow, ANY_STEP)
KEPT_NAMES = "kept_names"  # a row that only holds names for buttons: not a conversation
KEEP_AT_MOST = 5  # names kept for buttons: the latest searches that found nobody
RESUMABLE = "resumable"  # data key: put this conversation back after an interruption
PARKED = "parked"  # data key: the conversation this one interrupted, {flow, step, data}
TextStep = Callable[[Update, BotContext, dict[str, Any]], Awaitable[bool | None]]
"""A step's reading of a typed text; False when the step lets it go where it would without it."""
StepKey = tuple[str, str]


async def begin(
    context: BotContext,
    *,
    flow: str,
    step: str,
    data: dict[str, Any],
    resumable: bool = False,
) -> None:
    """Start or advance the seller's conversation, saving what they typed so far."""
    if resumable:
        data = {**data, RESUMABLE: True}
    async with context.sessions.begin() as session:
        await conversations.set_state(
            session, seller_id=context.me.id, flow=flow, step=step, data=data
        )


async def finish(context: BotContext) -> bool:
    """End the seller's conversation; True when one was open."""
    async with context.sessions.begin() as session:
        return await conversations.clear_state(session, seller_id=context.me.id)


async def current(context: BotContext) -> tuple[str, str, dict[str, Any]] | None:
    async with context.sessions.begin() as session:
        state = await conversations.get_state(session, seller_id=context.me.id)
        return None if state is None else (state.flow, state.step, dict(state.data))


async def to_park(context: BotContext) -> dict[str, Any] | None:
    """What an interrupting question puts back when it ends: the open conversation if it is
    resumable, else whatever that one had parked itself (asking again keeps it)."""
    state = await current(context)
    if state is None:
        return None
    name, step, data = state
    if data.get(RESUMABLE):
        return {"flow": name, "step": step, "data": data}
    parked = data.get(PARKED)
    return parked if isinstance(parked, dict) else None


async def resume_parked(context: BotContext, data: dict[str, Any]) -> Safe | None:
    """End the current conversation and put back the one it parked, saying how to go on.

    A parked conversation about a contact deleted since has nothing left to resume.
    """
    parked = data.get(PARKED)
    await finish(context)
    if not isinstance(parked, dict):
        return None
    held = parked["data"]
    contact_id = held.get("contact_id")
    contact = await context.records.contact(int(contact_id)) if contact_id else None
    if contact_id and contact is None:
        return None
    await begin(context, flow=parked["flow"], step=parked["step"], data=held)
    return context.t("meet.parked", name=contact.name if contact else held.get("name") or "")


def name_code(name: str) -> str:
    """A name's short stand-in in callback data: eight hex digits (any name fits in 64 bytes)."""
    return hashlib.blake2s(name.encode(), digest_size=4).hexdigest()


async def keep_name(context: BotContext, name: str) -> str | None:
    """Keep a typed name for a button another feature answers; the code the button carries.

    A search that found nobody offers "New meeting with <name>": the name may be longer than
    callback data allows, so it waits in the seller's conversation row, and the button
    carries only its code. The row asks no question (typed text goes where it would without
    it), keeps the latest few names, so an older search's button still works, and is gone
    with the next command or conversation: a press after that finds nothing and is answered
    as stale. None (no button) when a real conversation holds the row.
    """
    state = await current(context)
    if state is not None and state[0] != KEPT_NAMES:
        return None
    kept = [n for n in (state[2].get("names", []) if state else []) if n != name]
    names = [*kept, name][-KEEP_AT_MOST:]
    await begin(context, flow=KEPT_NAMES, step=KEPT_NAMES, data={"names": names})
    return name_code(name)


async def kept_name(context: BotContext, code: str) -> str | None:
    """The name `keep_name` kept under `code`, while the seller has not moved on."""
    state = await current(context)
    if state is None or state[0] != KEPT_NAMES:
        return None
    names = state[2].get("names", [])
    return next((n for n in names if isinstance(n, str) and name_code(n) == code), None)


def text_router(
    steps: Mapping[StepKey, TextStep], otherwise: Callable[[Update, BotContext], Awaitable[None]]
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A handler that gives free text to the step waiting for it, or to `otherwise`."""

    async def route_text(update: Update, context: BotContext) -> None:
        """Send typed text to the question the seller is answering."""
        state = await current(context)
        step = (
            (steps.get((state[0], state[1])) or steps.get((state[0], ANY_STEP))) if state else None
        )
        if state is None or step is None or await step(update, context, state[2]) is False:
            await otherwise(update, context)

    return route_text
