"""The summary card, and long notes shown in parts, always within Telegram's 4096 characters."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.formatting import birthday_in_words, moment_in_words
from bot.meeting.screens import OUTCOME_NAMES, criteria_line, stage_line
from bot.meeting.store import Card
from bot.texts import Safe, Texts
from storage.models import Interaction

TELEGRAM_LIMIT = 4096
NOTE_PREVIEW = 300
PART_BUDGET = 3800  # room for the part header inside one message


def preview(text: str, limit: int = NOTE_PREVIEW) -> str:
    """The start of a note, cut at a word where possible, marked when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip() + "…"


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
        lines += ["", t("card.concerns")] + [
            t("card.item", text=preview(c.text)) for c in card.concerns
        ]
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


def _chunks(text: str, size: int) -> list[str]:
    """`text` in pieces of at most `size` characters, cut at a space where one is near."""
    pieces = []
    while len(text) > size:
        cut = text.rfind(" ", size // 2, size)
        cut = cut if cut > 0 else size
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
        if parts and len(parts[-1]) + len(piece) + 2 <= PART_BUDGET:
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
