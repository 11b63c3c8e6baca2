"""Importing contacts: a sent file, the preview's buttons and the typed answers to it."""

from __future__ import annotations

from typing import Any, cast

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import flow
from bot.context import AppData, BotApp, BotContext
from bot.imports import preview, running, wording
from bot.imports.state import FLOW, PREVIEW, READING, RUNNING, STARTING, file_name
from bot.records.imports import Choice
from bot.rules.typed_answers import read_import_choice
from bot.ui.callbacks import Prefix, decode, pattern
from bot.ui.screen import drop_buttons
from storage.queries import conversations


async def choose(update: Update, context: BotContext, data: dict[str, Any], choice: str) -> None:
    """Cancel writes nothing; any other choice starts the import in the background, its
    progress shown on the preview's message (or, when typed, on the answer to it)."""
    t, name = context.t, file_name(data)
    if choice == wording.CANCEL:
        text = t("imports.cancelled", name=name)
    else:
        text = t("imports.progress", name=name, done=0, total=data.get("total", 0))
    query = update.callback_query
    if query is not None:
        await query.edit_message_text(text)
        message_id = data.get("message_id")
    else:
        if isinstance(data.get("message_id"), int):
            await drop_buttons(context, data["message_id"])
        assert update.effective_message is not None
        message_id = (await update.effective_message.reply_text(text)).message_id
    if choice == wording.CANCEL:
        await flow.finish(context)
        return
    chosen = {**data, "choice": choice, "message_id": message_id}
    await flow.begin(context, flow=FLOW, step=STARTING, data=chosen)
    running.start(cast(BotApp, context.application), context.me.id)


async def pressed(update: Update, context: BotContext) -> None:
    """Merge / Skip those / Add anyway / Cancel under the seller's own open preview; a
    press under an older preview, or after the choice, is answered as stale."""
    query = update.callback_query
    assert query is not None
    decoded = decode(query.data or "")
    state = await flow.current(context)
    choices = {*Choice, wording.CANCEL}
    if (
        decoded is None
        or decoded.action not in choices
        or state is None
        or state[:2] != (FLOW, PREVIEW)
        or decoded.args != (state[2].get("code"),)
    ):
        await query.answer(context.t.plain("common.stale"), show_alert=True)
        return
    await query.answer()
    await choose(update, context, state[2], decoded.action)


async def typed_choice(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """ "merge", "hopp over", "legg til", "avbryt" typed at the preview."""
    message = update.effective_message
    assert message is not None and message.text is not None
    choice = read_import_choice(message.text)
    if choice is None:
        await message.reply_text(context.t("imports.choose"))
        return
    if choice in (Choice.MERGE, Choice.SKIP) and not data.get("same"):
        choice = Choice.ADD  # nobody looks like a contact the seller has: all are new
    await choose(update, context, data, choice)


async def busy(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Text while an import runs: how far it is (the text is not a command for it)."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        context.t("imports.busy", done=data.get("done", 0), total=data.get("total", 0))
    )


async def reading(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Text while the file is read: the preview comes in a moment."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t("imports.reading", name=file_name(data)))


async def resume(application: BotApp) -> None:
    """At start: what a stopped process left under way goes on from where it was (one
    process owns a SQLite file; with several workers on PostgreSQL a stopped import cannot
    be told from another worker's, so there the seller sends the file again)."""
    app: AppData = application.bot_data
    assert app.sessions is not None and app.engine is not None
    if app.engine.dialect.name != "sqlite":
        return
    async with app.sessions.begin() as session:
        reading = await conversations.in_step(session, flow=FLOW, step=READING)
        chosen = await conversations.in_step(session, flow=FLOW, step=STARTING)
        chosen += await conversations.in_step(session, flow=FLOW, step=RUNNING)
    for state in reading:
        preview.start(application, state.seller_id)
    for state in chosen:
        running.start(application, state.seller_id, resumed=True)


HANDLERS = [
    MessageHandler(filters.Document.ALL, preview.document_sent),
    CallbackQueryHandler(pressed, pattern=pattern(Prefix.IMPORT)),
]
TEXT_STEPS = {
    (FLOW, PREVIEW): typed_choice,
    (FLOW, READING): reading,
    (FLOW, STARTING): busy,
    (FLOW, RUNNING): busy,
}
