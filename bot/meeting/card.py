"""The summary card, and long notes shown in parts, always within Telegram's 4096 characters."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.formatting import birthday_in_words, moment_in_words
from bot.meeting.screens import OUTCOME_NAMES, criteria_line, stage_line
from bot.meeting.store import Card
from bot.texts import Safe, Texts
from storage.models import Interaction

NOTE_PREVIEW = 300
SHOWN_CONCERNS = 5  # the card lists this many; "and N more" says the rest exist
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
    head = _chunks(text, limit - 1)[0]
    return head.rstrip() + "…"


def render_card(t: Texts, card: Card, zone: str) -> Safe:
    contact, language = card.contact, t.language
    title = t("card.title", name=contact.name)
    if contact.company:
        title = t("card.title_company", name=contact.name, company=contact.company)
    lines: list[str] = [title, stage_line(t, contact), criteria_line(t, contact)]
    if contact.outcome is not None:
        lines.append(t("card.outcome", outcome=t(OUTCOME_NAMES[contact.outcome])))
    if contact.do_not_contact:
        lines.append(t("card.dnc"))
    if contact.phone:
        lines.append(t("card.phone", phone=contact.phone))
    if card.concerns:
        shown = card.concerns[:SHOWN_CONCERNS]
        lines += ["", t("card.concerns")] + [t("card.item", text=preview(c.text)) for c in shown]
        if len(card.concerns) > len(shown):
            lines.append(t("card.more", count=len(card.concerns) - len(shown)))
    if card.notes:
        lines += ["", t("card.notes")] + [
            t("card.item", text=preview(n.text or "")) for n in card.notes
        ]
    lines.append("")
    if card.follow_up is not None:
        lines.append(
            t("card.follow_up", when=moment_in_words(card.follow_up.due_at, zone, language))
        )
    elif not contact.do_not_contact:
        lines.append(t("card.no_follow_up"))
    if contact.birth_day and contact.birth_month:
        day = birthday_in_words(
            contact.birth_day, contact.birth_month, contact.birth_year, language
        )
        lines.append(t("card.birthday", day=day))
    return Safe("\n".join(lines))


def _chunks(text: str, budget: int) -> list[str]:
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
    pieces = [piece for note in notes for piece in _chunks(note.text or "", PART_BUDGET)]
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
