"""The durable inbox, Telegram side: nothing a seller sends is acknowledged before it is kept.

Long polling tells Telegram a batch arrived when it asks for the next one. `PollingBot` hands
each batch here first: a seller's updates are stored (idempotent on the update id) and only
then passed on, so the next getUpdates confirms what is safe. If the database cannot store
them, nothing is confirmed: Telegram sends them again, and each seller is told once that the
bot is temporarily unavailable and their message is kept. What is not a seller's (an outsider,
a group) is passed on unstored: the gate refuses it in memory.

Stored updates are handled under a lease (`bot.processing`). At start, and every
`SWEEP_EVERY` seconds, the ones a dead process left are handed out again; the leases of the
ones still being handled are extended, and old handled rows (what sellers typed) pruned.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.context import AppData
from bot.processing import InboxProcessor
from bot.rules.language import language_for
from bot.texts import Texts
from storage.queries import inbox

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
"""How long a worker owns an update it holds; renewed while it still does."""
SWEEP_EVERY = 10.0
"""Seconds between sweeps: leases renewed, abandoned updates handed out, old rows pruned."""
KEEP_HANDLED = timedelta(days=1)
"""How long a handled update is kept (it holds what the seller typed)."""

AnyApplication = Application[Any, Any, Any, Any, AppData, Any]


def seller_to_keep(raw: dict[str, Any], settings: Settings) -> int | None:
    """The seller a raw update is from, when the CRM handles it (a message or a press in a
    private chat, from a person on the allow-list); None for anything the gate refuses."""
    if isinstance(raw.get("message"), dict):
        user, chat = raw["message"].get("from"), raw["message"].get("chat")
    elif isinstance(raw.get("callback_query"), dict):
        query = raw["callback_query"]
        message = query.get("message")
        user = query.get("from")
        chat = message.get("chat") if isinstance(message, dict) else {"type": "private"}
    else:
        return None
    if not isinstance(user, dict) or user.get("is_bot") or not isinstance(chat, dict):
        return None
    user_id = user.get("id")
    if chat.get("type") != "private" or not isinstance(user_id, int):
        return None
    return user_id if settings.is_allowed(user_id) else None


class Inbox:
    """Keeps what arrives, and hands out again what was kept and never finished."""

    def __init__(self, application: AnyApplication, processor: InboxProcessor) -> None:
        self.application = application
        self.processor = processor
        self._told: set[int] = set()  # sellers told of the outage going on

    @property
    def _data(self) -> AppData:
        return self.application.bot_data

    def _now(self) -> datetime:
        return self._data.clock()

    async def keep(self, raw_updates: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """Store a polled batch; the updates to hand on, or None when it could not be stored
        (then nothing may be confirmed)."""
        data = self._data
        assert data.settings is not None and data.sessions is not None
        arrived = [
            inbox.Arrived(raw["update_id"], seller, raw)
            for raw in raw_updates
            if (seller := seller_to_keep(raw, data.settings)) is not None
        ]
        now = self._now()
        try:
            async with data.sessions.begin() as session:
                new = await inbox.store(session, arrived, now=now, lease_until=now + LEASE)
        except SQLAlchemyError as error:
            log.warning("could not keep %s update(s): %s", len(arrived), type(error).__name__)
            await self._tell_unavailable(raw_updates, {item.update_id for item in arrived})
            return None
        self._told.clear()
        self.processor.kept |= new
        stored = {item.update_id for item in arrived}
        return [
            raw for raw in raw_updates if raw["update_id"] in new or raw["update_id"] not in stored
        ]

    async def _tell_unavailable(
        self, raw_updates: list[dict[str, Any]], sellers_updates: set[int]
    ) -> None:
        """Once per seller and outage: the bot is down for a moment, the message is kept
        (Telegram holds it until it is confirmed)."""
        settings = self._data.settings
        assert settings is not None
        for raw in raw_updates:
            if raw["update_id"] not in sellers_updates:
                continue
            user = (raw.get("message") or raw.get("callback_query") or {}).get("from") or {}
            seller_id = user.get("id")
            if not isinstance(seller_id, int) or seller_id in self._told:
                continue
            self._told.add(seller_id)
            t = Texts(language_for(user.get("language_code"), settings.default_language))
            try:
                await self.application.bot.send_message(seller_id, t("inbox.unavailable"))
            except TelegramError:
                log.warning("could not tell seller %s of the outage", seller_id)

    async def resume(self, *, everything: bool = False) -> int:
        """Hand out the kept updates nobody holds (a dead process's, or with `everything`,
        any left queued: at start on SQLite, which only one process uses)."""
        data = self._data
        assert data.sessions is not None
        now = self._now()
        until = now + LEASE
        async with data.sessions.begin() as session:
            expired_by = now + timedelta(days=3650) if everything else now
            rows = await inbox.take_expired(session, now=expired_by, lease_until=until)
            rows = [row for row in rows if row.update_id not in self.processor.kept]
        for row in rows:
            update = Update.de_json(row.payload, self.application.bot)
            self.processor.kept.add(row.update_id)
            await self.application.update_queue.put(update)
        if rows:
            log.info("handing out %s update(s) kept but not handled", len(rows))
        return len(rows)

    async def sweep(self, _context: object = None) -> None:
        """Renew what this process holds, hand out what nobody does, prune the old."""
        data = self._data
        assert data.sessions is not None
        now = self._now()
        try:
            async with data.sessions.begin() as session:
                await inbox.extend(session, sorted(self.processor.kept), until=now + LEASE)
                await inbox.prune(session, handled_before=now - KEEP_HANDLED)
            await self.resume()
        except SQLAlchemyError as error:
            log.warning("inbox sweep failed: %s", type(error).__name__)
