"""Showing a screen: edit the message whose button was pressed, or answer with a new one."""

from __future__ import annotations

from contextlib import suppress

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import BotContext


async def reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> int | None:
    """Edit the pressed message in place, or answer typed text with a new message.

    The id of the message now showing `text`, when known.
    """
    query = update.callback_query
    if query is not None and edit:
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise
        return query.message.message_id if query.message else None
    message = update.effective_message
    assert message is not None
    sent = await message.reply_text(text, reply_markup=keyboard)
    return sent.message_id


async def drop_buttons(context: BotContext, message_id: int) -> None:
    """Take the buttons off an older message, so only the newest question can be pressed."""
    with suppress(BadRequest):  # already without buttons, or deleted by the seller
        await context.bot.edit_message_reply_markup(context.me.id, message_id, reply_markup=None)
