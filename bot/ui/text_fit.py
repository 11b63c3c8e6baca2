"""Text that fits Telegram's 4096 UTF-16 units: previews of long texts, long notes in parts."""

from __future__ import annotations

import html
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.texts import Safe, Texts
from storage.models import Interaction

NOTE_PREVIEW = 300
PART_BUDGET = 3800  # UTF-16 units of note text per message, leaving room for the header


def utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units: an emoji counts as two."""
    return len(text.encode("utf-16-le")) // 2


def preview(text: str, limit: int = NOTE_PREVIEW) -> str:
    """The start of a note within `limit` UTF-16 units, cut at a word where possible.

    Ten items of at most 300 units keep the whole card well inside Telegram's 4096.
    """
    if utf16_len(text) <= limit:
        return text
    head = chunks(text, limit - 1)[0]
    return head.rstrip() + "…"


def chunks(text: str, budget: int) -> list[str]:
    """`text` in pieces of at most `budget` UTF-16 units, cut at a space where one is near."""
    pieces: list[str] = []
    while utf16_len(text) > budget:
        end, used = 0, 0
        while end < len(text) and used + utf16_len(text[end]) <= budget:
            used += utf16_len(text[end])
            end += 1
        space = text.rfind(" ", end // 2, end)
        cut = space if space > 0 else end
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return [*pieces, text]


def note_parts(t: Texts, name: str, notes: Sequence[Interaction]) -> list[Safe]:
    """All notes in full, in as few messages as fit; a long note spans several.

    Telegram counts the text after HTML parsing, so raw text is cut, then escaped.
    """
    pieces = [piece for note in notes for piece in chunks(note.text or "", PART_BUDGET)]
    parts: list[str] = []
    for piece in pieces:
        if parts and utf16_len(parts[-1]) + utf16_len(piece) + 2 <= PART_BUDGET:
            parts[-1] += "\n\n" + piece
        else:
            parts.append(piece)
    return [
        Safe(
            t("card.notes_part", name=name, part=index, parts=len(parts))
            + "\n"
            + html.escape(body, quote=False)
        )
        for index, body in enumerate(parts, start=1)
    ]


def notes_file(name: str, notes: Sequence[Interaction], zone: str) -> bytes:
    """All notes about one contact as one plain-text file (UTF-8, newest first, each dated):
    what a long history becomes rather than a flood of messages."""
    tz = ZoneInfo(zone)
    blocks = [
        f"{note.occurred_at.astimezone(tz):%Y-%m-%d %H:%M}\n{note.text or ''}" for note in notes
    ]
    return (name + "\n\n" + "\n\n---\n\n".join(blocks) + "\n").encode()
