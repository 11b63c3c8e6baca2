"""Polling that one unreadable update cannot stop.

The library reads a whole getUpdates batch at once: one update it cannot parse fails the
batch, is logged with its full content, and the same batch is fetched again at once, for
ever, with every update behind it stuck. Here each update is read on its own; one that
fails is logged by id and type (never its content), left out, and confirmed, so the ones
behind it go on.

A token revoked while running ends polling inside the library but leaves the process
alive and deaf; here it stops the application, so `python -m bot` can exit and say why.

JSON can carry lone UTF-16 surrogates (`"\\ud800"`) that no Python codec, hash or database
accepts, and NUL (`"\\u0000"`), which PostgreSQL refuses even as a query's parameter; they are
dropped from every string of an update before anything reads it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def without_unstorable(value: Any) -> Any:
    """`value` (decoded JSON) with every NUL and lone surrogate taken out of its strings."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("", value)
    if isinstance(value, dict):
        return {key: without_unstorable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_unstorable(item) for item in value]
    return value


ANSWERED_KEPT = 10_000
"""Presses remembered as answered: far more than can be handled again at once."""

Keep = Callable[[list[dict[str, Any]]], Awaitable[list[dict[str, Any]] | None]]


class PollingBot(ExtBot[None]):
    """An `ExtBot` whose getUpdates skips what it cannot read instead of spinning on it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._confirm_from = 0  # the offset past the last update skipped
        self._revoked = False
        self._on_revoked: Callable[[], None] | None = None
        self._keep: Keep | None = None
        self._not_kept = 0  # polls in a row whose batch could not be kept
        self._answered: OrderedDict[str, None] = OrderedDict()  # the latest button presses

    async def initialize(self) -> None:
        """As PTB's, but a refused token or an unreachable Bot API closes the connections it
        opened: aiohttp (`bot.aiohttp_request`) would complain about them at exit, after the
        one line that says what went wrong."""
        try:
            await super().initialize()
        except BaseException:
            await asyncio.gather(*(request.shutdown() for request in self._request))
            raise

    @property
    def token_revoked(self) -> bool:
        """Telegram refused the token after the bot had started."""
        return self._revoked

    def when_revoked(self, callback: Callable[[], None]) -> None:
        """Call `callback` (e.g. `Application.stop_running`) once the token is refused."""
        self._on_revoked = callback

    async def answer_callback_query(
        self, callback_query_id: str, *args: Any, **kwargs: Any
    ) -> bool:
        """Each press is answered once: an update handled again after a failure (`bot.
        processing`) answers its press again, which Telegram refuses ("query is too old")."""
        if callback_query_id in self._answered:
            return True
        try:
            answered = await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as error:
            if "query is too old" not in str(error).lower():
                raise
            return False  # the spinner on the button has long stopped
        self._answered[callback_query_id] = None
        if len(self._answered) > ANSWERED_KEPT:
            self._answered.popitem(last=False)
        return answered

    def keep_with(self, keep: Keep) -> None:
        """Give each batch to `keep` (`bot.inbox.Inbox.keep`) before it is confirmed."""
        self._keep = keep

    @property
    def keeper(self) -> Keep | None:
        """What keeps incoming updates (the webhook hands them to it too)."""
        return self._keep

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
        updates = [update for update in without_unstorable(raw) if self._readable(update)]
        if self._keep is None or not updates:
            return updates
        kept = await self._keep(updates)
        if kept is None:  # not stored: confirm nothing, Telegram sends them again
            self._not_kept += 1
            await asyncio.sleep(min(0.5 * 2**self._not_kept, 5.0))
            return []
        self._not_kept = 0
        handed = {update["update_id"] for update in kept}
        skipped = [u["update_id"] for u in updates if u["update_id"] not in handed]
        if skipped:  # kept before (sent again): confirmed, not handled twice
            self._confirm_from = max(self._confirm_from, max(skipped) + 1)
        return kept

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
