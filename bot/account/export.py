"""/export: every contact and activity as two CSV files and a vCard file, sent as documents.

The rows are read a chunk at a time (`storage.queries.exports`) and written as they come;
only the finished files are held, as Telegram takes a document in one upload.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from telegram import Update
from telegram.constants import ChatAction

from bot.context import BotContext
from bot.rules.export_rows import (
    CONTACT_COLUMNS,
    INTERACTION_COLUMNS,
    contact_row,
    interaction_row,
)
from bot.rules.spreadsheet import csv_header, csv_row
from bot.rules.vcard_export import vcard
from bot.texts import Texts
from bot.ui.labels import STAGE_NAMES
from storage.db import SessionSource
from storage.queries import exports
from storage.queries.exports import ContactLine, InteractionLine

T = TypeVar("T")
CONTACTS_CSV, INTERACTIONS_CSV, CONTACTS_VCF = "contacts.csv", "interactions.csv", "contacts.vcf"


@dataclass(frozen=True)
class Export:
    """The three files, and how many contacts and activities they hold."""

    contacts: int
    interactions: int
    files: tuple[tuple[str, bytes], ...]


class _Files:
    """The three files as they are written, a batch of rows at a time."""

    def __init__(self, zone: str, t: Texts) -> None:
        self.zone = zone
        self.stage_names = {stage: t.plain(key) for stage, key in STAGE_NAMES.items()}
        self.table, self.cards, self.activities = io.BytesIO(), io.BytesIO(), io.BytesIO()
        self.table.write(csv_header(CONTACT_COLUMNS).encode())
        self.activities.write(csv_header(INTERACTION_COLUMNS).encode())
        self.contacts = self.interactions = 0

    def add_contacts(self, lines: Sequence[ContactLine]) -> None:
        for line in lines:
            self.table.write(csv_row(contact_row(line, self.zone)).encode())
            self.cards.write(vcard(line, self.stage_names[line.stage]).encode())
        self.contacts += len(lines)

    def add_interactions(self, lines: Sequence[InteractionLine]) -> None:
        for line in lines:
            self.activities.write(csv_row(interaction_row(line, self.zone)).encode())
        self.interactions += len(lines)

    def export(self) -> Export:
        return Export(
            self.contacts,
            self.interactions,
            (
                (CONTACTS_CSV, self.table.getvalue()),
                (INTERACTIONS_CSV, self.activities.getvalue()),
                (CONTACTS_VCF, self.cards.getvalue()),
            ),
        )


async def build_export(sessions: SessionSource, *, owner_id: int, zone: str, t: Texts) -> Export:
    """Read the seller's book and write the three files (times in `zone`, stages in `t`'s
    language). Each chunk of rows is written in a worker thread: writing 20,000 vCards takes
    seconds of CPU, and other sellers' updates go on meanwhile."""
    files = _Files(zone, t)
    async with sessions.begin() as session:
        contacts = exports.contact_lines(session, owner_id=owner_id)
        async for batch in _batches(contacts):
            await asyncio.to_thread(files.add_contacts, batch)
        activities = exports.interaction_lines(session, owner_id=owner_id)
        async for logged in _batches(activities):
            await asyncio.to_thread(files.add_interactions, logged)
    return files.export()


async def _batches(lines: AsyncIterator[T]) -> AsyncIterator[list[T]]:
    batch: list[T] = []
    async for line in lines:
        batch.append(line)
        if len(batch) == exports.CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


async def send_export(update: Update, context: BotContext) -> bool:
    """Send the files, or say there is nothing yet; True when files were sent."""
    message = update.effective_message
    assert message is not None
    t = context.t
    await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_DOCUMENT)
    export = await build_export(
        context.sessions, owner_id=context.me.id, zone=context.me.timezone, t=t
    )
    if export.contacts == 0:
        await context.bot.send_message(message.chat_id, t("export.empty"))
        return False
    for name, data in export.files:
        await context.bot.send_document(
            message.chat_id, data, filename=name, caption=_caption(t, name, export)
        )
    return True


def _caption(t: Texts, name: str, export: Export) -> str:
    if name == CONTACTS_CSV:
        return t("export.contacts", count=export.contacts)
    if name == INTERACTIONS_CSV:
        return t("export.interactions", count=export.interactions)
    return t("export.vcards", count=export.contacts)


async def export_command(update: Update, context: BotContext) -> None:
    """/export: everything, as files."""
    await send_export(update, context)
