"""SIGKILL in the middle of /meet: the bot process is killed at random moments and started
again, while sellers type their meetings as they would (waiting for each answer).

Every update must be handled exactly once (each contact, answer, note and follow-up stored
once), every message answered, and no seller left stuck. Replies may come twice (one sent
just before a kill is sent again when the update is handled again): they are counted, and
printed with the kill count (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.backend import sqlite_only
from tests.e2e.test_run_command import ROOT
from tests.fakeapi import DEFAULT_TOKEN, FakeTelegramServer, PhoneUser

pytestmark = sqlite_only(
    "a bot process killed on its SQLite file, for 150 s; on PostgreSQL, "
    "test_sender_failover and test_webhook kill workers"
)

KILLS = 20  # at least, per run
TIME_LIMIT = 150.0  # seconds for the whole test, whatever happens
ANSWER_WITHIN = 40.0  # seconds a seller waits for an answer (restarts included)

MEETINGS = {
    "en": ["yes", "no", "yes", "{note}", "in 2 weeks", "skip"],
    "nb": ["ja", "nei", "ja", "{note}", "om 2 uker", "hopp over"],
}
SELLERS = [(2001, "en"), (2002, "nb"), (2003, "en"), (2004, "nb")]
# People no two of whom look alike (a look-alike would get a "same person?" question).
FIRST = ["Åse", "Ørjan", "Kari", "Per", "Siri", "Nils", "Berit", "Ola", "Tone", "Geir", "Hege",
         "Rune", "Mette", "Stig", "Liv", "Arne", "Eva", "Knut", "Ida", "Tor"]  # fmt: skip
LAST = ["Ødegård", "Bækkelund", "Nordmann", "Ås", "Lien", "Hauge", "Dæhli", "Fjeld", "Strand",
        "Berg", "Moen", "Vik", "Holm", "Sæther", "Dahl", "Lunde", "Bakke", "Eide", "Foss",
        "Tveit"]  # fmt: skip


@dataclass
class BotProcess:
    """`python -m bot` in `folder` (on its SQLite file unless `env` names another database),
    killed and started again at will. `env`: settings beyond the token and the API address."""

    telegram: FakeTelegramServer
    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    process: asyncio.subprocess.Process | None = None
    kills: int = 0
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "bot.log"

    async def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_URL": self.telegram.url,
            **self.env,
        }
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=env, stdout=log, stderr=log
            )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.kills += 1

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(20):
                    await self.process.wait()
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    def handled(self) -> int:
        """How many updates the bot has finished so far (0 before its database exists)."""
        if not (self.folder / "data" / "prospekt.sqlite3").exists():
            return 0
        try:
            [(count,)] = self.rows("SELECT count(*) FROM inbox_update WHERE state != 'queued'")
        except sqlite3.Error:  # the bot's migrations not run yet
            return 0
        return count if isinstance(count, int) else 0

    def rows(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.folder / "data" / "prospekt.sqlite3") as connection:
            return connection.execute(sql, params).fetchall()


@dataclass
class Seller:
    phone: PhoneUser
    language: str
    typed: list[str] = field(default_factory=list)
    meetings: list[tuple[str, str]] = field(default_factory=list)  # (contact name, note)
    unanswered: list[str] = field(default_factory=list)

    async def type(self, text: str) -> None:
        """Send `text` as a seller does: then wait for the bot's answer to it."""
        chat = self.phone.chat
        mark = len(chat.events)
        self.phone.push(text)
        self.typed.append(text)
        deadline = time.monotonic() + ANSWER_WITHIN
        while not any(event.prefix.startswith("< bot") for event in chat.events[mark:]):
            if time.monotonic() > deadline:
                self.unanswered.append(text)
                return
            await asyncio.sleep(0.02)


async def meet(seller: Seller, number: int) -> None:
    name = f"{FIRST[number % len(FIRST)]} {LAST[(number * 7) % len(LAST)]}"
    note = f"Notat {seller.phone.user_id}-{number}: vil ha demo, æøå"
    seller.meetings.append((name, note))
    await seller.type(f"/meet {name}, Bæ AS")
    for step in MEETINGS[seller.language]:
        await seller.type(step.format(note=note))


async def killer(
    bot: BotProcess, done: asyncio.Event, rng: random.Random, *, calm_after: float
) -> None:
    """Kill the bot at random moments while it is handling, and start it again at once;
    after `calm_after` (time.monotonic) and KILLS kills, let it finish the meetings under
    way. On a loaded machine a life is mostly start-up (seconds of imports under load), and
    killing on would leave no time to finish them.

    Each life is let finish one update first (the other sellers' are still in flight when
    it dies). Killed within 0.4 s of its first reply, a slow life never got as far as a
    commit, and ten lives in a row handed out the same backlog and died with it.
    """
    finished = bot.handled()
    while not done.is_set() and (bot.kills < KILLS or time.monotonic() < calm_after):
        answered = len(bot.telegram.calls_to("sendMessage"))
        deadline = time.monotonic() + 10
        while len(bot.telegram.calls_to("sendMessage")) == answered or (
            bot.handled() == finished
        ):  # up, answering, and on from where the last life died
            if done.is_set() or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.01)
        if done.is_set():
            return
        await asyncio.sleep(rng.uniform(0.0, 0.4))
        await bot.kill()
        finished = bot.handled()
        await bot.start()


async def settled(bot: BotProcess, within: float = 30.0) -> None:
    """Wait until the bot has fetched and finished every update typed. A seller can be a
    message or two ahead of it at the end: a reply sent again after a kill reads, to the
    seller, as the answer to the next message."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        fetched = not bot.telegram.state.updates.pending
        if fetched and bot.rows("SELECT count(*) FROM inbox_update WHERE state != 'done'") == [
            (0,)
        ]:
            return
        await asyncio.sleep(0.1)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_sigkill_during_meetings_loses_nothing_and_does_nothing_twice(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("PROSPEKT_CRASH_SEED", "12")))
    bot = BotProcess(telegram, tmp_path)
    sellers = [
        Seller(telegram.user(uid, first_name="Selger", language_code=lang), lang)
        for uid, lang in SELLERS
    ]
    started = time.monotonic()
    await bot.start()
    done = asyncio.Event()
    kill_task = asyncio.create_task(killer(bot, done, rng, calm_after=started + TIME_LIMIT / 2))

    async def meetings(seller: Seller) -> None:
        number = 0
        while number < 2 or (
            bot.kills < KILLS and time.monotonic() - started < TIME_LIMIT / 2 and number < 20
        ):
            number += 1
            await meet(seller, number)

    try:
        async with asyncio.timeout(TIME_LIMIT):
            await asyncio.gather(*(meetings(seller) for seller in sellers))
    finally:
        done.set()
        await kill_task
    await settled(bot)
    await bot.stop()

    duplicates = 0
    for seller in sellers:
        assert not seller.unanswered, f"{seller.phone.user_id}: no answer to {seller.unanswered}"
        owner = seller.phone.user_id
        contacts = bot.rows(
            "SELECT name, market_fit, budget, authority FROM contact WHERE owner_id = ? "
            "ORDER BY id",
            owner,
        )
        assert contacts == [(name, "yes", "no", "yes") for name, _ in seller.meetings]
        notes = bot.rows(
            "SELECT c.name, i.text FROM interaction i JOIN contact c ON c.id = i.contact_id "
            "WHERE i.owner_id = ? AND i.kind = 'note' ORDER BY i.id",
            owner,
        )
        assert notes == seller.meetings, "each note once, on its own contact"
        follow_ups = bot.rows(
            "SELECT count(*) FROM reminder WHERE owner_id = ? AND kind = 'follow_up' "
            "AND status = 'pending'",
            owner,
        )
        assert follow_ups == [(len(seller.meetings),)]
        assert bot.rows("SELECT count(*) FROM conversation_state WHERE seller_id = ?", owner) == [
            (0,)
        ], "the last meeting ended: nothing left open"
        replies = [e for e in seller.phone.chat.events if e.prefix == "< bot"]
        duplicates += len(replies) - len(seller.typed)
    assert bot.rows("SELECT count(*) FROM inbox_update WHERE state != 'done'") == [(0,)]
    assert bot.kills >= KILLS, f"only {bot.kills} kills in {TIME_LIMIT} s"
    typed = sum(len(seller.typed) for seller in sellers)
    print(
        f"\nSIGKILL test: {bot.kills} kills, {typed} messages typed by {len(sellers)} sellers, "
        f"{sum(len(s.meetings) for s in sellers)} meetings, 0 lost, 0 handled twice, "
        f"{duplicates} replies sent again, {time.monotonic() - started:.0f} s"
    )
