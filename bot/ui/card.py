"""The contact card: one rendering of one contact, shown wherever a contact is shown.

The end of /meet, the lists, search, /today, /pipeline and a nudge's Open card all show this
card from one loader; only the buttons depend on where it was opened (`Origin`). Every
user-written piece is cut to a preview before it is escaped, so even the longest name, many
concerns and long notes stay well under 4096 UTF-16 units (`tests/e2e/test_contacts_card.py`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.texts import N_, Safe, Texts
from bot.ui import callbacks
from bot.ui.formatting import birthday_in_words, brief_day, moment_in_words
from bot.ui.keyboards import button, markup
from bot.ui.labels import OUTCOME_NAMES, criteria_line, stage_line
from bot.ui.screen import reply
from bot.ui.text_fit import preview
from storage.models import Concern, Contact, Interaction
from storage.queries import book
from storage.queries.book import CardData
from storage.vocabulary import InteractionKind

SHOWN_CONCERNS = 5  # the card, the brief and a nudge list this many; "and N more" says the rest
CONCERN_PREVIEW = 200
INTERACTION_PREVIEW = 120
KIND_ICONS = {
    InteractionKind.MEETING: "🤝",
    InteractionKind.CALL: "📞",
    InteractionKind.MESSAGE: "💬",
    InteractionKind.NOTE: "📝",
}
KIND_NAMES = {
    InteractionKind.MEETING: N_("book.kind.meeting"),
    InteractionKind.CALL: N_("book.kind.call"),
    InteractionKind.MESSAGE: N_("book.kind.message"),
    InteractionKind.NOTE: N_("book.kind.note"),
}


class Origin(enum.Enum):
    """Where the card was opened, which decides its buttons."""

    BOOK = "book"  # lists, search, /today, /pipeline, a nudge: everything one can do
    MEETING = "meeting"  # the end of /meet: change what was just said, or close


@dataclass(frozen=True)
class Shown:
    """The card is on screen, in this message (None when Telegram did not say)."""

    message_id: int | None


async def load_card(context: BotContext, contact_id: int) -> CardData | None:
    """The card's data, or None when the contact is gone or was never this seller's."""
    async with context.sessions.begin() as session:
        return await book.contact_card(session, owner_id=context.me.id, contact_id=contact_id)


async def show_card(
    update: Update,
    context: BotContext,
    contact_id: int,
    *,
    edit: bool,
    origin: Origin = Origin.BOOK,
    header: str | None = None,
    footer: str | None = None,
    extra: list[InlineKeyboardButton] | None = None,
) -> Shown | None:
    """Send (or edit into) the card with its buttons; None when there is no such contact.

    `header` says what just happened, `footer` what is still open (a parked meeting),
    `extra` a row of buttons above the card's own (a one-tap fix for what `header` says).
    """
    data = await load_card(context, contact_id)
    if data is None:
        return None
    body = render_card(context.t, data, zone=context.me.timezone, now=context.now)
    text = Safe("\n\n".join(part for part in (header, body, footer) if part))
    keyboard = card_keyboard(context.t, data, origin)
    if extra:
        keyboard = InlineKeyboardMarkup([extra, *keyboard.inline_keyboard])
    return Shown(await reply(update, text, keyboard, edit=edit))


# --- the text --------------------------------------------------------------------------------


def title(t: Texts, contact: Contact) -> Safe:
    """ "<b>Kari Nordmann</b> · Acme AS"."""
    if contact.company:
        return t("card.title_company", name=contact.name, company=contact.company)
    return t("card.title", name=contact.name)


def render_card(t: Texts, data: CardData, *, zone: str, now: datetime) -> Safe:
    """Who, where in the pipeline, open concerns, latest contact, and what comes next."""
    lines = _head(t, data, now, zone)
    if data.concerns:
        lines += ["", *concern_lines(t, data.concerns)]
    lines += _recent(t, data.recent, zone) + _details(t, data, zone)
    return Safe("\n".join(lines))


def concern_lines(
    t: Texts,
    concerns: Sequence[Concern],
    *,
    heading: str = N_("card.concerns"),
    shown: int = SHOWN_CONCERNS,
) -> list[str]:
    """The open-concerns block, as the card, the brief and a nudge show it."""
    lines: list[str] = [t(heading)]
    lines += [t("card.item", text=preview(c.text, CONCERN_PREVIEW)) for c in concerns[:shown]]
    if len(concerns) > shown:
        lines.append(t("card.more", count=len(concerns) - shown))
    return lines


def duration(t: Texts, days: int) -> Safe:
    """A rough length of time, as people say it: "5 days", "3 weeks", "4 months", "2 years"."""
    if days == 1:
        return t("book.age.day")
    if days < 14:
        return t("book.age.days", count=days)
    if days < 60:
        return t("book.age.weeks", count=days // 7)
    if days < 730:
        return t("book.age.months", count=days // 30)
    return t("book.age.years", count=days // 365)


def _head(t: Texts, data: CardData, now: datetime, zone: str) -> list[str]:
    contact = data.contact
    lines: list[str] = [title(t, contact), stage_line(t, contact)]
    days = (now - data.in_stage_since).days
    if days < 1:
        lines.append(t("book.card.in_stage_today"))
    else:
        since = brief_day(data.in_stage_since, zone, t.language)
        lines.append(t("book.card.in_stage", duration=duration(t, days), day=since))
    lines.append(criteria_line(t, contact))
    if contact.outcome is not None:
        lines.append(t("card.outcome", outcome=t(OUTCOME_NAMES[contact.outcome])))
    if contact.do_not_contact:
        lines.append(t("card.dnc"))
    return lines


def interaction_line(t: Texts, interaction: Interaction, zone: str) -> Safe:
    """ "📝 14 Mar 2025 · Note: Wants a demo"."""
    values = {
        "icon": KIND_ICONS[interaction.kind],
        "day": brief_day(interaction.occurred_at, zone, t.language),
        "kind": t(KIND_NAMES[interaction.kind]),
    }
    if interaction.text:
        text = preview(" ".join(interaction.text.split()), INTERACTION_PREVIEW)
        return t("book.card.interaction_text", text=text, **values)
    return t("book.card.interaction", **values)


def _recent(t: Texts, recent: Sequence[Interaction], zone: str) -> list[str]:
    if not recent:
        return []
    return ["", t("book.card.recent")] + [interaction_line(t, i, zone) for i in recent]


def _details(t: Texts, data: CardData, zone: str) -> list[str]:
    """The next follow-up (always, when there is one), birthday, phone, e-mail."""
    contact, lines = data.contact, []
    if data.follow_up is not None:
        when = moment_in_words(data.follow_up.due_at, zone, t.language)
        lines.append(t("card.follow_up", when=when))
    elif not contact.do_not_contact:
        lines.append(t("card.no_follow_up"))
    if contact.birth_day and contact.birth_month:
        day = birthday_in_words(
            contact.birth_day, contact.birth_month, contact.birth_year, t.language
        )
        lines.append(t("card.birthday", day=day))
    if contact.phone:
        lines.append(t("card.phone", phone=contact.phone))  # Telegram links +E.164 numbers
    if contact.email:
        lines.append(t("book.card.email", email=contact.email))
    return ["", *lines] if lines else []


# --- the buttons -----------------------------------------------------------------------------


def card_keyboard(t: Texts, data: CardData, origin: Origin) -> InlineKeyboardMarkup:
    if origin is Origin.MEETING:
        return _meeting_keyboard(t, data.contact.id)
    return _book_keyboard(t, data.contact.id, len(data.concerns))


def _book_keyboard(t: Texts, contact_id: int, concerns: int) -> InlineKeyboardMarkup:
    """Everything one can do with a contact, two to a row, the common ones first."""
    cid = contact_id
    concern_label = (
        t.plain("book.button.concerns_n", count=concerns)
        if concerns
        else t.plain("book.button.concerns")
    )
    return markup(
        [
            button(t.plain("book.button.meeting"), callbacks.meeting("start", cid)),
            button(t.plain("book.button.note"), callbacks.card(cid, "note")),
        ],
        [
            button(concern_label, callbacks.card(cid, "cq")),
            button(t.plain("book.button.stage"), callbacks.meeting("mv", cid)),
        ],
        [
            button(t.plain("book.button.follow_up"), callbacks.meeting("e", cid, "follow")),
            button(t.plain("book.button.edit"), callbacks.card(cid, "edit")),
        ],
        [
            button(t.plain("card.edit.notes"), callbacks.meeting("e", cid, "notes")),
            button(t.plain("book.button.delete"), callbacks.card(cid, "del")),
        ],
    )


def _meeting_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    """After /meet: change any answer just given, read all notes, or close the card."""

    def edit(label: str, field: str) -> InlineKeyboardButton:
        return button(t.plain(label), callbacks.meeting("e", contact_id, field))

    return markup(
        [edit(N_("card.edit.name"), "name"), edit(N_("card.edit.company"), "company")],
        [edit(N_("card.edit.criteria"), "crit"), edit(N_("card.edit.follow"), "follow")],
        [edit(N_("card.edit.birthday"), "bday"), edit(N_("card.edit.notes"), "notes")],
        [button(t.plain("card.done"), callbacks.meeting("done", contact_id))],
    )
