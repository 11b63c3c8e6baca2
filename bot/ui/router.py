"""The button router: read the press, load the presser's own row, run its action, answer.

Every feature with buttons on a row (a contact, a reminder) routes them here. A press whose id
is not the presser's (forged, or deleted since) or whose action is unknown gets the "no
longer available" alert and changes nothing; a handled press is answered once, with a short
notice when the action gives one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar

from telegram import Update

from bot.context import BotContext
from bot.ui.callbacks import Decoded, Prefix, decode

T = TypeVar("T")
# What an action did: False = nothing (answered "no longer available"), True = done,
# a string = done, with that short notice on the seller's screen.
Done = bool | str
Load = Callable[[Update, BotContext, Decoded], Awaitable[T | None]]
Action = Callable[[T], Awaitable[Done]]


def button_router(
    prefix: Prefix, load: Load[T], actions: Mapping[str, Action[T]]
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A callback handler for `prefix`: `load` finds the press's target among the seller's
    own rows (None when there is none), `actions` by the press's action name."""

    async def pressed(update: Update, context: BotContext) -> None:
        """A button press: checked against the seller's own data, then done."""
        query = update.callback_query
        assert query is not None
        decoded = decode(query.data or "")
        action = actions.get(decoded.action) if decoded and decoded.prefix is prefix else None
        done: Done = False
        if decoded is not None and action is not None:
            target = await load(update, context, decoded)
            if target is not None:
                done = await action(target)
        if done is False:
            await query.answer(context.t.plain("common.stale"), show_alert=True)
            return
        await query.answer(done if isinstance(done, str) else None)

    return pressed


async def stale(update: Update, context: BotContext) -> None:
    """Any press no feature claims (an unknown prefix): answered, so the button stops spinning."""
    query = update.callback_query
    assert query is not None
    await query.answer(context.t.plain("common.stale"), show_alert=True)
