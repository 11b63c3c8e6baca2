"""Deleting a contact: ask first, delete for real, and offer a short Undo."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

from telegram import Update
from telegram.error import BadRequest

from bot import flow
from bot.contacts.keyboards import delete_keyboard, undo_keyboard
from bot.context import BotContext
from bot.ui.callbacks import Prefix, decode
from bot.ui.card import show_card, title
from bot.ui.screen import reply
from storage.models import Contact
from storage.queries import undo
from storage.queries.undo import UndoStatus

UNDO_WINDOW = timedelta(minutes=10)
MINUTES = int(UNDO_WINDOW.total_seconds() // 60)


async def confirm(update: Update, context: BotContext, contact: Contact) -> None:
    """Say what goes with the contact before anything is deleted."""
    text = context.t("book.delete.confirm", name=contact.name, minutes=MINUTES)
    await reply(update, text, delete_keyboard(context.t, contact.id))


async def delete(update: Update, context: BotContext, contact: Contact) -> bool:
    """Delete with everything that hangs on it, keeping a snapshot for Undo; False if gone."""
    async with context.sessions.begin() as session:
        item = await undo.delete_with_undo(
            session,
            owner_id=context.me.id,
            contact_id=contact.id,
            now=context.now,
            keep_for=UNDO_WINDOW,
        )
    if item is None:
        return False
    await _close_conversation(context, contact.id)
    text = context.t("book.deleted", title=title(context.t, contact), minutes=MINUTES)
    await reply(update, text, undo_keyboard(context.t, item.id))
    return True


async def _close_conversation(context: BotContext, contact_id: int) -> None:
    """A question or meeting about the deleted contact has nothing left to save into; a
    meeting it interrupted is put back (unless that too was about the deleted contact)."""
    state = await flow.current(context)
    if state is not None and state[2].get("contact_id") == contact_id:
        await flow.resume_parked(context, state[2])


async def undo_pressed(update: Update, context: BotContext) -> None:
    """↩️ Undo: the contact and all its rows come back, if in time and the seller's own."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode(query.data)
    undo_id = decoded.target if decoded and decoded.prefix is Prefix.UNDO else None
    if undo_id is None:
        await query.answer(context.t.plain("common.stale"), show_alert=True)
        return
    async with context.sessions.begin() as session:
        undone = await undo.undo_delete(
            session, owner_id=context.me.id, undo_id=undo_id, now=context.now
        )
    if undone.status is UndoStatus.EXPIRED:
        await query.answer(context.t.plain("book.undo_expired"), show_alert=True)
        with suppress(BadRequest):  # the button may be gone already (a second late tap)
            await query.edit_message_reply_markup(None)
        return
    if undone.contact is None:
        await query.answer(context.t.plain("common.stale"), show_alert=True)
        return
    await query.answer()
    header = context.t("book.restored")
    await show_card(update, context, undone.contact.id, edit=True, header=header)
