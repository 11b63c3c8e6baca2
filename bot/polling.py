"""Polling that one unreadable update cannot stop.

The library reads a whole getUpdates batch at once: one update it cannot parse fails the
batch, is logged with its full content, and the same batch is fetched again at once, for
ever, with every update behind it stuck. Here each update is read on its own; one that
fails is logged by id and type (never its content), left out, and confirmed, so the ones
behind it go on.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class PollingBot(ExtBot[None]):
    """An `ExtBot` whose getUpdates skips what it cannot read instead of spinning on it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._confirm_from = 0  # the offset past the last update skipped

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if endpoint != "getUpdates" or data is None:
            return await super()._post(endpoint, data, **kwargs)
        offset = data.get("offset")
        if self._confirm_from and (offset is None or offset < self._confirm_from):
            data = {**data, "offset": self._confirm_from}  # the skipped ones are confirmed
        raw = await super()._post(endpoint, data, **kwargs)
        return [update for update in raw if self._readable(update)]

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
