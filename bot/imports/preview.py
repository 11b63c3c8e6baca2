"""A file arrives: read it, say what is in it and who looks like a contact the seller has,
and wait for their choice. Nothing is written but the conversation row."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from telegram import Document, Update
from telegram.error import BadRequest

from bot import flow
from bot.context import BotContext
from bot.imports import wording
from bot.imports.files import DOWNLOAD_MAX, fetch_and_read
from bot.imports.state import FLOW, PREVIEW
from bot.records.imports import matcher
from bot.rules.contact_files import contact_file_kind
from bot.rules.reminders import local_day
from bot.rules.workdays import country_for_zone


def seller_region(zone: str) -> str:
    """Where local phone numbers in a file are read: the seller's country ("NO" in Oslo)."""
    return country_for_zone(zone)


def seller_today(context: BotContext) -> date:
    return local_day(context.now, ZoneInfo(context.me.timezone))


async def document_sent(update: Update, context: BotContext) -> None:
    """A file: a contacts file gets its preview; any other gets told what can be read."""
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
    try:
        read = await fetch_and_read(
            context.bot,
            document.file_id,
            name,
            document.mime_type,
            region=seller_region(context.me.timezone),
            today=seller_today(context),
        )
    except BadRequest:  # "file is too big" or gone: Telegram will not hand it over
        await shown.edit_text(context.t("imports.unavailable", name=name))
        return
    if read is None or not read.contacts:
        lines: list[str] = [context.t("imports.none_found", name=name)]
        lines += [wording.problem_line(context.t, kind, p) for p in (read.problems if read else ())]
        await shown.edit_text("\n".join(lines[: wording.PROBLEMS_SHOWN + 1]))
        return
    async with context.sessions.begin() as session:
        found = await matcher(session, context.me.id)
    examples: list[tuple[str, str]] = []
    same = 0
    for person in read.contacts:
        existing = found.match(person.name, person.phones, person.emails)
        if existing is not None:
            same += 1
            if len(examples) < wording.EXAMPLES:
                examples.append((person.name, found.name_of(existing)))
    code = flow.name_code(document.file_unique_id)
    text = wording.preview(
        context.t,
        name,
        total=len(read.contacts),
        same=same,
        examples=examples,
        problems=len(read.problems),
    )
    await shown.edit_text(text, reply_markup=wording.choices(context.t, code, same=same))
    await flow.begin(
        context,
        flow=FLOW,
        step=PREVIEW,
        data={
            "file_id": document.file_id,
            "name": name,
            "mime": document.mime_type,
            "kind": kind,
            "code": code,
            "total": len(read.contacts),
            "same": same,
            "message_id": shown.message_id,
        },
    )
