"""The import itself, after the seller chose: in the background, a batch per transaction.

An update is handled in one transaction and in the seller's turn (`bot.processing`); twenty
thousand contacts in one would hold SQLite's single writer, and so every other seller,
for as long as it took. So the press only records the choice (step `starting`) and hands
the work to a task of its own, outside any update, started once the press's transaction
has committed (a press rolled back and handled again starts no second import): it takes
the step over in one statement, fetches and reads the file again, and writes
`BATCH` contacts per transaction, with the count done in the conversation row, yielding
to the event loop between batches. One message shows the progress, edited at most every
`EDIT_EVERY` seconds. The seller may go on using the bot meanwhile; a restart finds the
step `running` and goes on from the count done (`bot.imports.handlers.resume`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile
from telegram.error import BadRequest, TelegramError

from bot.context import AppData, BotApp
from bot.imports import background, wording
from bot.imports.files import fetch_and_read
from bot.imports.state import FLOW, RUNNING, SOURCES, STARTING, file_name
from bot.records.imports import Choice, matcher, write_batch
from bot.texts import Texts
from storage.queries import conversations, sellers

log = logging.getLogger(__name__)

BATCH = 500
EDIT_EVERY = 2.0  # seconds between edits of the progress message


def start(application: BotApp, seller_id: int, *, resumed: bool = False) -> None:
    background.spawn(lambda: run(application, seller_id, resumed=resumed), f"import-{seller_id}")


async def run(application: BotApp, seller_id: int, *, resumed: bool = False) -> None:
    """Take the chosen import over (or, `resumed`, the one a stop interrupted) and do it."""
    data: AppData = application.bot_data
    assert data.sessions is not None
    sessions = data.sessions
    state = await background.take_over(
        sessions,
        seller_id,
        flow=FLOW,
        from_steps=(STARTING, RUNNING) if resumed else (STARTING,),
        to_step=RUNNING,
    )
    if state is None:
        return  # chosen by a press rolled back since, or already taken
    async with sessions.begin() as session:
        seller = await sellers.get_seller(session, seller_id=seller_id)
    assert seller is not None
    job: dict[str, Any] = dict(state.data)
    t = Texts(seller.language)
    try:
        await _import(application, seller_id, job, t)
    except asyncio.CancelledError:
        raise
    except Exception:  # a bug or an outage: the seller hears what was saved
        log.exception("import for seller %s stopped", seller_id)
        with suppress(TelegramError):
            await application.bot.send_message(
                seller_id,
                t(
                    "imports.failed",
                    name=file_name(job),
                    done=job.get("done", 0),
                    total=job.get("total", 0),
                ),
            )
        async with sessions.begin() as session:
            await _end(session, seller_id)


async def _import(application: BotApp, seller_id: int, job: dict[str, Any], t: Texts) -> None:
    data: AppData = application.bot_data
    assert data.sessions is not None
    sessions, bot = data.sessions, application.bot
    async with sessions.begin() as session:
        seller = await sellers.get_seller(session, seller_id=seller_id)
    assert seller is not None
    read = await fetch_and_read(
        bot, job["file_id"], file_name(job), job.get("mime"), zone=seller.timezone, now=data.clock()
    )
    people = list(read.contacts) if read else []
    problems = list(read.problems) if read else []
    kind = read.kind if read else str(job.get("kind"))
    choice = Choice(job["choice"])
    total, done = len(people), int(job.get("done", 0))
    job.update(total=total)
    async with sessions.begin() as session:
        found = await matcher(session, seller_id)
    progress = _Progress(application, seller_id, job.get("message_id"), t, file_name(job), total)
    while done < total:
        batch = people[done : done + BATCH]
        pairs = [
            (wording.new_contact(t, p), found.match(p.name, p.phones, p.emails)) for p in batch
        ]
        if choice is Choice.SKIP:
            job["skipped"] = job.get("skipped", 0) + sum(1 for _, same in pairs if same)
        async with sessions.begin() as session:
            owner = await sellers.get_seller(session, seller_id=seller_id)
            assert owner is not None
            written = await write_batch(
                session,
                seller=owner,
                people=pairs,
                choice=choice,
                source=SOURCES.get(kind, "import"),
                now=data.clock(),
            )
            done += len(batch)
            job["done"] = done
            job["added"] = job.get("added", 0) + written.added
            job["merged"] = job.get("merged", 0) + written.merged
            await conversations.move_step(
                session,
                seller_id=seller_id,
                flow=FLOW,
                from_steps=(RUNNING,),
                to_step=RUNNING,
                data=job,
            )
        await progress.show(done)
        await asyncio.sleep(0)  # other sellers' updates go first
    await progress.show(done, last=True)
    async with sessions.begin() as session:
        await _end(session, seller_id)
    await _report(application, seller_id, t, job, kind, problems)


async def _end(session: AsyncSession, seller_id: int) -> None:
    """The import's row goes, unless the seller has started something else since."""
    state = await conversations.get_state(session, seller_id=seller_id)
    if state is not None and state.flow == FLOW and state.step in (STARTING, RUNNING):
        await conversations.clear_state(session, seller_id=seller_id)


async def _report(
    application: BotApp,
    seller_id: int,
    t: Texts,
    job: dict[str, Any],
    kind: str,
    problems: list[Any],
) -> None:
    bot = application.bot
    text = wording.summary(
        t,
        file_name(job),
        kind,
        added=job.get("added", 0),
        merged=job.get("merged", 0),
        skipped=job.get("skipped", 0),
        problems=problems,
    )
    await bot.send_message(seller_id, text)
    if len(problems) > wording.PROBLEMS_SHOWN:
        await bot.send_document(
            seller_id,
            InputFile(wording.problems_file(t, kind, problems), filename="problems.txt"),
            caption=t("imports.done.file", name=file_name(job)),
        )


class _Progress:
    """The one progress message, edited at most every `EDIT_EVERY` seconds."""

    def __init__(
        self,
        application: BotApp,
        seller_id: int,
        message_id: object,
        t: Texts,
        name: str,
        total: int,
    ) -> None:
        self._bot = application.bot
        self._seller_id = seller_id
        self._message_id = message_id if isinstance(message_id, int) else None
        self._t, self._name, self._total = t, name, total
        self._shown_at = time.monotonic()
        self._shown_done = 0

    async def show(self, done: int, *, last: bool = False) -> None:
        if self._message_id is None or done == self._shown_done:
            return
        if not last and time.monotonic() - self._shown_at < EDIT_EVERY:
            return
        self._shown_at, self._shown_done = time.monotonic(), done
        text = self._t("imports.progress", name=self._name, done=done, total=self._total)
        with suppress(BadRequest):  # the same text again, or the seller deleted it
            await self._bot.edit_message_text(text, self._seller_id, self._message_id)
