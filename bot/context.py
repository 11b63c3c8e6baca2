"""A typed context: handlers reach settings, the database and the seller without casts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot import update_scope
from bot.config import Settings
from bot.records.contacts import ContactRecords
from bot.rules.language import language_for
from bot.texts import Texts
from storage.db import Sessions, SessionSource
from storage.models import Contact, Seller


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ContactEntry(Protocol):
    """A conversation about one contact, started from another feature."""

    def __call__(
        self, update: Update, context: BotContext, contact: Contact, /
    ) -> Awaitable[None]: ...


@dataclass
class Entries:
    """The named ways into one feature's conversation that other features use.

    `bot.app` fills them in, so features never import each other: a reminder's Done asks how
    it went through `ask_outcome` without knowing the meeting conversation exists.
    """

    ask_outcome: ContactEntry | None = None  # how did it go with this contact (/meet's step)


@dataclass
class AppData:
    """What the whole application shares; filled in by `build_application` and `post_init`."""

    settings: Settings | None = None
    engine: AsyncEngine | None = None
    sessions: Sessions | None = None
    health: dict[str, Any] = field(default_factory=dict)
    # The one "now" of the whole bot; tests replace it to move time without sleeping.
    clock: Callable[[], datetime] = field(default=_utcnow)
    entries: Entries = field(default_factory=Entries)
    told_private: set[int] = field(default_factory=set)  # groups told the CRM is private only
    told_unavailable: set[int] = field(default_factory=set)  # sellers told of an outage


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], AppData]):
    """One per update. `seller` is loaded before any feature handler runs (group -1)."""

    seller: Seller | None = None
    missed: bool = False  # updates of this seller were given up on (`bot.basics.missed`)
    language_hint: str | None = None

    @property
    def settings(self) -> Settings:
        settings = self.bot_data.settings
        assert settings is not None, "build_application sets the settings"
        return settings

    @property
    def sessions(self) -> SessionSource:
        """While an update is handled, its one transaction (`bot.update_scope`)."""
        scope = update_scope.current()
        if scope is not None:
            return scope
        sessions = self.bot_data.sessions
        assert sessions is not None, "post_init opens the database before polling starts"
        return sessions

    @property
    def now(self) -> datetime:
        """The current instant (UTC) from the application's clock, never the wall clock."""
        return self.bot_data.clock()

    @property
    def records(self) -> ContactRecords:
        """The seller's contact records, writing with their effects (stage, reminders)."""
        return ContactRecords(self.sessions, self.me.id, self.bot_data.clock)

    @property
    def entries(self) -> Entries:
        return self.bot_data.entries

    @property
    def me(self) -> Seller:
        """The seller behind this update; handlers for sellers only run once it is loaded."""
        assert self.seller is not None, "the seller loader runs in group -1"
        return self.seller

    @property
    def t(self) -> Texts:
        """The catalogue in the seller's language, or in their Telegram language before that."""
        if self.seller is not None:
            return Texts(self.seller.language)
        return Texts(self.language_hint or language_for(None, self.settings.default_language))


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], AppData, Any]
