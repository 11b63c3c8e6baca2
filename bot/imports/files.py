"""Fetching a sent file from Telegram and reading the contacts in it.

Reading is pure CPU (about a millisecond a vCard): a big file is read in a process of its
own, on the other core, so the event loop (every other seller's replies) never waits for
it; a small one in a thread. The process gets bytes and gives back plain dataclasses it
made itself; nothing from the file is ever run or unpickled.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.rules.contact_files import read_contact_file
from bot.rules.imported import ReadFile
from bot.rules.reminders import local_day
from bot.rules.workdays import country_for_zone

DOWNLOAD_MAX = 20 * 1024 * 1024  # the Bot API's limit for getFile
IN_A_PROCESS_FROM = 256 * 1024  # bytes: smaller files are read in a thread
_pool: ProcessPoolExecutor | None = None


def seller_region(zone: str) -> str:
    """Where local phone numbers in a file are read: the seller's country ("NO" in Oslo)."""
    return country_for_zone(zone)


async def fetch_and_read(
    bot: Bot, file_id: str, name: str, mime: str | None, *, zone: str, now: datetime
) -> ReadFile | None:
    """The file's contacts, local numbers read in the seller's country and birthdays
    checked against the seller's today."""
    sent = await bot.get_file(file_id)
    data = bytes(await sent.download_as_bytearray())
    today: date = local_day(now, ZoneInfo(zone))
    read = partial(
        read_contact_file, name, data, region=seller_region(zone), today=today, mime_type=mime
    )
    if len(data) < IN_A_PROCESS_FROM:
        return await asyncio.to_thread(read)
    return await asyncio.get_running_loop().run_in_executor(_reader(), read)


def _reader() -> ProcessPoolExecutor:
    """One reading process, started on the first big file ("spawn": a fork of a process
    with threads and an event loop running is not safe)."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def close() -> None:
    """At shutdown: the reading process ends."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
