"""Looking contacts up: the seller's keys, note and open-concern matches read once, ranked in
memory.

A contact whose open concern (an open question or objection) holds the text is found as a
note match is (`bot.rules.search`, same score): only what its button shows differs, "❓ "
rather than "📝 ", so the seller sees why it came up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.rules.search import MAX_QUERY, clear_winner, rank
from bot.ui.keyboards import button, markup, short_label
from storage.db import SessionSource
from storage.queries import search

SHOWN = 8  # result buttons in one message
LABEL_MAX = 60


@dataclass(frozen=True)
class Match:
    """A contact found, with what its button shows."""

    id: int
    name: str
    company: str | None
    via_note: bool = False  # found only by the text of a note or an open concern
    via_concern: bool = False  # ... and an open concern holds it

    @property
    def label(self) -> str:
        """ "Kari Nordmann · Acme AS"; a match by an open concern ("❓ ") or a note ("📝 ")
        is marked so the seller sees why it came up."""
        text = " · ".join(part for part in (self.name, self.company) if part)
        mark = "❓ " if self.via_concern else "📝 " if self.via_note else ""
        return mark + short_label(text, LABEL_MAX)


@dataclass(frozen=True)
class Found:
    """The best matches (at most SHOWN), how many matched in all, and a clear winner if any."""

    matches: list[Match]
    total: int
    winner: Match | None


async def look_up(sessions: SessionSource, owner_id: int, text: str) -> Found:
    """The seller's contacts matching `text`, best first."""
    query = text.strip()[:MAX_QUERY]
    async with sessions.begin() as session:
        keys = await search.search_keys(session, owner_id=owner_id)
        notes: list[int] = []
        concerns: list[int] = []
        if keys:
            notes = await search.contacts_with_notes_containing(
                session, owner_id=owner_id, text=query
            )
            concerns = await search.contacts_with_concerns_containing(
                session, owner_id=owner_id, text=query
            )
    hits = rank(query, keys, note_hits={*notes, *concerns})
    by_id, asked = {key.id: key for key in keys}, set(concerns)
    matches = [
        Match(
            hit.id,
            by_id[hit.id].name,
            by_id[hit.id].company,
            via_note=hit.via_note,
            via_concern=hit.via_note and hit.id in asked,
        )
        for hit in hits[:SHOWN]
    ]
    winner = clear_winner(hits)
    return Found(matches, len(hits), matches[0] if winner is not None else None)


def results_keyboard(matches: list[Match], opens: Callable[[int], str]) -> InlineKeyboardMarkup:
    """One button per match, one per row, each opening what `opens` encodes (card or brief)."""
    return markup(*([button(match.label, opens(match.id))] for match in matches))
