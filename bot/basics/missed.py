"""Owning up to messages the bot gave up on during a long outage.

An update that kept failing for a reason that passes (the database or Telegram down for many
minutes) is given up on after its last attempt (`bot.processing`), with nothing of it saved.
The seller's next message first gets a short note naming what was missed, so they can send it
again; then it is handled as usual, showing where things stand.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.texts import Texts
from bot.ui.text_fit import preview
from storage.queries import inbox


async def own_up(update: Update, context: BotContext) -> None:
    """Before answering: "I missed answering you… nothing from this was saved"."""
    chat = update.effective_chat
    if chat is None or context.seller is None or not context.missed:
        return  # nothing given up on (the seller loader looked)
    async with context.sessions.begin() as session:
        missed = await inbox.take_missed(session, context.me.id)
    if not missed:
        return
    items = "\n".join(f"• {_what(payload, context.t)}" for payload in missed)
    await context.bot.send_message(chat.id, context.t("inbox.missed", items=items))


def _what(payload: dict[str, Any], t: Texts) -> str:
    message = payload.get("message")
    if isinstance(message, dict) and isinstance(message.get("text"), str):
        return f"«{preview(message['text'], 80)}»"
    return t.plain("inbox.missed_press")
