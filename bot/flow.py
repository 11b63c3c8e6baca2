"""Multi-step conversations whose step lives in the database, not in process memory.

Buttons carry their own routing in their callback data; only free text needs to know which
question it answers. So a conversation is just a row (flow, step, data) per seller, read on
each text message: a restart resumes at the same step and several workers agree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from telegram import Update

from bot.context import BotContext
from storage.queries import conversations

ANY_STEP = "*"  # a flow that reads every step's text itself registers (flow, ANY_STEP)
TextStep = Callable[[Update, BotContext, dict[str, Any]], Awaitable[None]]
StepKey = tuple[str, str]


async def begin(context: BotContext, *, flow: str, step: str, data: dict[str, Any]) -> None:
    """Start or advance the seller's conversation, saving what they typed so far."""
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
        if state is None or step is None:
            await otherwise(update, context)
            return
        await step(update, context, state[2])

    return route_text
