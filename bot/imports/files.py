"""Fetching a sent file from Telegram and reading the contacts in it."""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import Bot

from bot.rules.contact_files import read_contact_file
from bot.rules.imported import ReadFile

DOWNLOAD_MAX = 20 * 1024 * 1024  # the Bot API's limit for getFile


async def fetch_and_read(
    bot: Bot, file_id: str, name: str, mime: str | None, *, region: str, today: date
) -> ReadFile | None:
    """The file's contacts. Read in a thread: twenty thousand cards take seconds of CPU,
    which would otherwise hold up every other seller's replies."""
    sent = await bot.get_file(file_id)
    data = bytes(await sent.download_as_bytearray())
    return await asyncio.to_thread(
        read_contact_file, name, data, region=region, today=today, mime_type=mime
    )
