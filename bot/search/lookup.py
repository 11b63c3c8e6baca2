"""Looking contacts up: the seller's keys and note matches read once, ranked in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.rules.search import MAX_QUERY, clear_winner, rank
from bot.ui.keyboards import button, markup, short_label
from storage.db import Sessions
from storage.queries import search

SHOWN = 8  # result buttons in one message
LABEL_MAX = 60


@dataclass(frozen=True)
class Match:
    """A contact found, with what its button shows."""

    id: int
    name: str
    company: str | None
    via_note: bool = False

    @property
    def label(self) -> str:
        """ "Kari Nordmann · Acme AS"; a note match is marked so the seller sees why."""
        text = " · ".join(part for part in (self.name, self.company) if part)
        return ("📝 " if self.via_note else "") + short_label(text, LABEL_MAX)


@dataclass(frozen=True)
class Found:
    """The best matches (at most SHOWN), how many matched in all, and a clear winner if any."""

    matches: list[Match]
    total: int
    winner: Match | None


async def look_up(sessions: Sessions, owner_id: int, text: str) -> Found:
    """The seller's contacts matching `text`, best first."""
    query = text.strip()[:MAX_QUERY]
    async with sessions.begin() as session:
        keys = await search.search_keys(session, owner_id=owner_id)
        notes = (
            await search.contacts_with_notes_containing(session, owner_id=owner_id, text=query)
            if keys
            else []
        )
    hits = rank(query, keys, note_hits=notes)
    by_id = {key.id: key for key in keys}
    matches = [
        Match(hit.id, by_id[hit.id].name, by_id[hit.id].company, hit.via_note)
        for hit in hits[:SHOWN]
    ]
    winner = clear_winner(hits)
    return Found(matches, len(hits), matches[0] if winner is not None else None)


def results_keyboard(matches: list[Match], opens: Callable[[int], str]) -> InlineKeyboardMarkup:
    """One button per match, one per row, each opening what `opens` encodes (card or brief)."""
    return markup(*([button(match.label, opens(match.id))] for match in matches))
