"""Polling that one unreadable update cannot stop.

The library reads a whole getUpdates batch at once: one update it cannot parse fails the
batch, is logged with its full content, and the same batch is fetched again at once, for
ever, with every update behind it stuck. Here each update is read on its own; one that
fails is logged by id and type (never its content), left out, and confirmed, so the ones
behind it go on.

A token revoked while running ends polling inside the library but leaves the process
alive and deaf; here it stops the application, so `python -m bot` can exit and say why.

JSON can carry lone UTF-16 surrogates (`"\\ud800"`) that no Python codec, hash or database
accepts; they are dropped from every string of an update before anything reads it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value: Any) -> Any:
    """`value` (decoded JSON) with every lone surrogate taken out of its strings."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("", value)
    if isinstance(value, dict):
        return {key: without_lone_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    return value


class PollingBot(ExtBot[None]):
    """An `ExtBot` whose getUpdates skips what it cannot read instead of spinning on it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._confirm_from = 0  # the offset past the last update skipped
        self._revoked = False
        self._on_revoked: Callable[[], None] | None = None

    @property
    def token_revoked(self) -> bool:
        """Telegram refused the token after the bot had started."""
        return self._revoked

    def when_revoked(self, callback: Callable[[], None]) -> None:
        """Call `callback` (e.g. `Application.stop_running`) once the token is refused."""
        self._on_revoked = callback

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if endpoint != "getUpdates" or data is None:
            return await super()._post(endpoint, data, **kwargs)
        offset = data.get("offset")
        if self._confirm_from and (offset is None or offset < self._confirm_from):
            data = {**data, "offset": self._confirm_from}  # the skipped ones are confirmed
        try:
            raw = await super()._post(endpoint, data, **kwargs)
        except InvalidToken:
            if self._on_revoked is None:
                raise
            # Raising would end the polling task with an error that resurfaces, half-way
            # through shutdown, from `run_polling`; an empty batch lets the stop be clean.
            if not self._revoked:
                self._revoked = True
                self._on_revoked()
            await asyncio.sleep(1)  # until the stop arrives, poll slowly, not in a spin
            return []
        updates = without_lone_surrogates(raw)
        return [update for update in updates if self._readable(update)]

    def _readable(self, update: dict[str, Any]) -> bool:
        try:
            Update.de_json(update, self)
        except Exception:  # the library's own parsing: any failure means "cannot read"
            update_id = update.get("update_id")
            kind = next((key for key in update if key != "update_id"), "-")
            log.error("skipped update %s (%s): it could not be read", update_id, kind)
            if isinstance(update_id, int):
                self._confirm_from = max(self._confirm_from, update_id + 1)
            return False
        return True
