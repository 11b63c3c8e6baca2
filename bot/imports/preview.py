"""A file arrives: read it, say what is in it and who looks like a contact the seller has,
and wait for their choice. Nothing is written but the conversation row.

The update only answers "Reading …" and records the step `reading`; the file is fetched and
read in the background (`bot.imports.background`), which then turns that message into the
preview and the step into `preview`.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from telegram import Document, Update
from telegram.error import TelegramError

from bot import flow
from bot.context import AppData, BotApp, BotContext
from bot.imports import background, wording
from bot.imports.files import DOWNLOAD_MAX, fetch_and_read
from bot.imports.state import FLOW, PREVIEW, READING, RUNNING, STARTING, file_name
from bot.records.imports import matcher
from bot.rules.contact_files import contact_file_kind
from bot.texts import Texts
from bot.ui.screen import drop_buttons
from storage.models import Seller
from storage.queries import conversations, sellers

log = logging.getLogger(__name__)
# An import being read or written shows progress, never buttons: nothing to take off.
WITHOUT_BUTTONS = {(FLOW, READING), (FLOW, STARTING), (FLOW, RUNNING)}


async def document_sent(update: Update, context: BotContext) -> None:
    """A file: a contacts file gets read; any other gets told what can be read."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document: Document = message.document
    name = (document.file_name or "?")[:120]
    kind = contact_file_kind(document.file_name, document.mime_type)
    if kind is None:
        await message.reply_text(context.t("imports.not_contacts", name=name))
        return
    if (document.file_size or 0) > DOWNLOAD_MAX:
        size = f"{(document.file_size or 0) / 1024 / 1024:.0f}"
        await message.reply_text(context.t("imports.too_big", name=name, size=size))
        return
    shown = await message.reply_text(context.t("imports.reading", name=name))
    data = {
        "file_id": document.file_id,
        "name": name,
        "mime": document.mime_type,
        "kind": kind,
        "code": flow.name_code(document.file_unique_id),
        "message_id": shown.message_id,
    }
    before = await flow.current(context)  # a question left open loses its buttons
    if (
        before is not None
        and before[:2] not in WITHOUT_BUTTONS
        and isinstance(before[2].get("message_id"), int)
    ):
        await drop_buttons(context, before[2]["message_id"])
    await flow.begin(context, flow=FLOW, step=READING, data=data)
    start(context.application, context.me.id)  # type: ignore[arg-type]


def start(application: BotApp, seller_id: int) -> None:
    background.spawn(lambda: show_preview(application, seller_id), f"import-preview-{seller_id}")


async def show_preview(application: BotApp, seller_id: int) -> None:
    """Fetch and read the file the step names, and show what is in it."""
    app: AppData = application.bot_data
    assert app.sessions is not None
    state = await background.take_over(
        app.sessions, seller_id, flow=FLOW, from_steps=(READING,), to_step=READING
    )
    if state is None:
        return  # the update that sent the file rolled back, or the seller moved on
    data: dict[str, Any] = dict(state.data)
    async with app.sessions.begin() as session:
        seller = await sellers.get_seller(session, seller_id=seller_id)
    assert seller is not None
    t, name = Texts(seller.language), file_name(data)
    try:
        await _read_and_show(application, seller, data, t)
    except Exception:  # "file is too big", gone, Telegram unreachable, or a bug
        log.warning("import: could not read %s for seller %s", name, seller_id, exc_info=True)
        with suppress(TelegramError):
            await _end(application, seller_id, data, t("imports.unavailable", name=name))


async def _read_and_show(
    application: BotApp, seller: Seller, data: dict[str, Any], t: Texts
) -> None:
    app: AppData = application.bot_data
    assert app.sessions is not None
    name, bot, seller_id = file_name(data), application.bot, seller.id
    read = await fetch_and_read(
        bot, data["file_id"], name, data.get("mime"), zone=seller.timezone, now=app.clock()
    )
    if read is None or not read.contacts:
        lines: list[str] = [t("imports.none_found", name=name)]
        problems = read.problems if read else ()
        lines += [wording.problem_line(t, str(data["kind"]), p) for p in problems]
        await _end(application, seller_id, data, "\n".join(lines[: wording.PROBLEMS_SHOWN + 1]))
        return
    async with app.sessions.begin() as session:
        found = await matcher(session, seller_id)
    examples: list[tuple[str, str]] = []
    same = 0
    for person in read.contacts:
        existing = found.match(person.name, person.phones, person.emails)
        if existing is not None:
            same += 1
            if len(examples) < wording.EXAMPLES:
                examples.append((person.name, found.name_of(existing)))
    data.update(total=len(read.contacts), same=same)
    async with app.sessions.begin() as session:
        moved = await conversations.move_step(
            session, seller_id=seller_id, flow=FLOW, from_steps=(READING,), to_step=PREVIEW,
            data=data,
        )  # fmt: skip
    if moved is None:  # the seller moved on (/cancel, another file) while it was read
        await bot.edit_message_text(
            t("imports.cancelled", name=name), seller_id, data["message_id"]
        )
        return
    text = wording.preview(
        t, name, total=len(read.contacts), same=same, examples=examples,
        problems=len(read.problems),
    )  # fmt: skip
    await bot.edit_message_text(
        text,
        seller_id,
        data["message_id"],
        reply_markup=wording.choices(t, data["code"], same=same),
    )


async def _end(application: BotApp, seller_id: int, data: dict[str, Any], text: str) -> None:
    """No preview after all: the step goes (unless the seller moved on) and they are told."""
    app: AppData = application.bot_data
    assert app.sessions is not None
    async with app.sessions.begin() as session:
        state = await conversations.get_state(session, seller_id=seller_id)
        if state is not None and (state.flow, state.step) == (FLOW, READING):
            await conversations.clear_state(session, seller_id=seller_id)
    await application.bot.edit_message_text(text, seller_id, data["message_id"])
