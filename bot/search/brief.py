"""The brief before a meeting: how the last one went, what to raise, what stands in the way,
what to ask, and what is coming up.

What stands in the way are the criteria known to be No ("🚧 Blockers: ❌ Budget"). Nothing
records why an answer became No: answers carry no history and notes are not tied to a
criterion, so picking "the note about the budget" by its words would be a guess, and a wrong
one shown as the reason is worse than none. The blockers line therefore heads the latest
notes, newest first: the note written most recently, the likeliest explanation, is the line
right under it, and the seller judges it without reading it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.context import BotContext
from bot.rules.birthdays import Birthday, next_birthday
from bot.rules.qualification import CRITERIA, unknown_criteria
from bot.texts import N_, Safe, Texts
from bot.ui.card import concern_lines, load_card
from bot.ui.formatting import moment_in_words, short_day
from bot.ui.labels import (
    ANSWER_MARKS,
    CRITERION_ASK_ABOUT,
    CRITERION_NAMES,
    OUTCOME_NAMES,
    STAGE_NAMES,
)
from bot.ui.text_fit import preview
from storage.models import Concern, Contact, Interaction, Reminder
from storage.queries import interactions
from storage.vocabulary import Answer, Outcome, Stage

NOTES = 3
PREVIEW = 160
BIRTHDAY_DAYS = 14  # a birthday this close is worth a word at the meeting
WON = (Stage.CUSTOMER, Stage.REPEAT)


@dataclass(frozen=True)
class Brief:
    """One contact with their open concerns, latest notes (newest first) and next follow-up."""

    contact: Contact
    concerns: Sequence[Concern]
    notes: Sequence[Interaction]
    follow_up: Reminder | None


async def load_brief(context: BotContext, contact_id: int) -> Brief | None:
    """The card's data and the latest notes; None when the contact is not this seller's."""
    card = await load_card(context, contact_id)
    if card is None:
        return None
    async with context.sessions.begin() as session:
        notes = await interactions.notes_for(
            session, owner_id=context.me.id, contact_id=contact_id, limit=NOTES
        )
    return Brief(card.contact, card.concerns, list(reversed(notes)), card.follow_up)


def days_to_birthday(contact: Contact, today: date) -> int | None:
    """Days until the contact's next birthday (0 today), if it is known."""
    if not (contact.birth_day and contact.birth_month):
        return None
    try:
        birthday = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    except ValueError:
        return None
    return (next_birthday(birthday, today=today) - today).days


def _birthday_line(t: Texts, contact: Contact, today: date) -> str | None:
    days = days_to_birthday(contact, today)
    if days is None or days > BIRTHDAY_DAYS:
        return None
    assert contact.birth_day and contact.birth_month
    day = short_day(date(2000, contact.birth_month, contact.birth_day), t.language)
    if days == 0:
        return t("brief.birthday_today", day=day)
    if days == 1:
        return t("brief.birthday_tomorrow", day=day)
    return t("brief.birthday_soon", days=days, day=day)


def _title(t: Texts, contact: Contact) -> Safe:
    if contact.company:
        return t("brief.title_company", name=contact.name, company=contact.company)
    return t("brief.title", name=contact.name)


def _outcome_line(t: Texts, contact: Contact) -> Safe | None:
    """ "Last meeting: not ready yet". After a no, whether the seller may get back in touch:
    /meet asks, and a "no" to that makes the contact do-not-contact (shown on its own line),
    so a no without it means the contact agreed to hear from the seller later. (A meeting
    left at that very question also lands here; the nudges read it the same way.)"""
    if contact.outcome is None:
        return None
    if contact.outcome is Outcome.SAID_NO and not contact.do_not_contact:
        return t("card.outcome", outcome=t("brief.outcome.said_no_later"))
    return t("card.outcome", outcome=t(OUTCOME_NAMES[contact.outcome]))


def _blocker_line(t: Texts, contact: Contact) -> Safe | None:
    """ "🚧 Blockers: ❌ Budget · ❌ Decision-maker", the criteria known to be No; None when
    there are none, or the contact has bought (a No no longer holds a sale back)."""
    if contact.stage in WON:
        return None
    answers = contact.answers()
    blockers = [c for c in CRITERIA if answers[c] is Answer.NO]
    if not blockers:
        return None
    marked = (f"{ANSWER_MARKS[Answer.NO]} {t(CRITERION_NAMES[c])}" for c in blockers)
    return t("brief.blockers", criteria=Safe(" · ".join(marked)))


def render_brief(t: Texts, brief: Brief, *, zone: str, today: date) -> Safe:
    """How the last meeting went, open concerns first, then what blocks the sale over the
    latest notes (see the module's docstring), the questions left, birthday, follow-up.

    Every piece the seller wrote is a preview (`CONCERN_PREVIEW`, `PREVIEW`), so even five
    long concerns and three long notes under the longest name stay well inside 4096.
    """
    contact = brief.contact
    lines: list[str] = [_title(t, contact), t("brief.stage", stage=t(STAGE_NAMES[contact.stage]))]
    outcome = _outcome_line(t, contact)
    if outcome is not None:
        lines.append(outcome)
    if contact.do_not_contact:
        lines.append(t("card.dnc"))
    if contact.phone:
        lines.append(t("card.phone", phone=contact.phone))
    if brief.concerns:
        lines += ["", *concern_lines(t, brief.concerns, heading=N_("brief.concerns"))]
    lines.append("")
    blockers = _blocker_line(t, contact)
    if blockers is not None:
        lines.append(blockers)
    lines.append(t("brief.notes"))
    if not brief.notes:
        lines.append(t("card.no_notes"))
    for note in brief.notes:
        day = short_day(note.occurred_at.astimezone(ZoneInfo(zone)).date(), t.language)
        lines.append(t("brief.note", day=day, text=preview(note.text or "", PREVIEW)))
    lines.append("")
    unknown = [] if contact.stage in WON else unknown_criteria(contact.answers())
    if unknown:
        lines.append(
            t(
                "brief.ask_about",
                criteria=", ".join(t.plain(CRITERION_ASK_ABOUT[c]) for c in unknown),
            )
        )
    birthday = _birthday_line(t, contact, today)
    if birthday is not None:
        lines.append(birthday)
    if brief.follow_up is not None:
        when = moment_in_words(brief.follow_up.due_at, zone, t.language)
        lines.append(t("card.follow_up", when=when))
    elif not contact.do_not_contact:
        lines.append(t("card.no_follow_up"))
    return Safe("\n".join(lines))
