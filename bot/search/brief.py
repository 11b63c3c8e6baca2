"""The brief before a meeting: what to raise, what to ask, and what is coming up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.formatting import BABEL_LOCALES, SHORT_DAY_PATTERNS, moment_in_words
from bot.meeting.card import preview
from bot.meeting.screens import STAGE_NAMES
from bot.meeting.store import answers_of
from bot.rules.birthdays import Birthday, next_birthday
from bot.rules.qualification import unknown_criteria
from bot.texts import N_, Safe, Texts
from storage.db import Sessions
from storage.models import Concern, Contact, Interaction, Reminder
from storage.queries import concerns, contacts, interactions, reminders
from storage.vocabulary import Criterion, ReminderKind, Stage

NOTES = 3
CONCERNS = 5
PREVIEW = 160
BIRTHDAY_DAYS = 14  # a birthday this close is worth a word at the meeting
ASK_ABOUT = {
    Criterion.MARKET_FIT: N_("brief.criterion.market_fit"),
    Criterion.BUDGET: N_("brief.criterion.budget"),
    Criterion.AUTHORITY: N_("brief.criterion.authority"),
}
WON = (Stage.CUSTOMER, Stage.REPEAT)


@dataclass(frozen=True)
class Brief:
    """One contact with their open concerns, latest notes (newest first) and next follow-up."""

    contact: Contact
    concerns: Sequence[Concern]
    notes: Sequence[Interaction]
    follow_up: Reminder | None


async def load_brief(sessions: Sessions, owner_id: int, contact_id: int) -> Brief | None:
    """None when the contact is not this seller's (or no longer exists)."""
    async with sessions.begin() as session:
        contact = await contacts.get_contact(session, owner_id=owner_id, contact_id=contact_id)
        if contact is None:
            return None
        open_ = await concerns.open_concerns(session, owner_id=owner_id, contact_id=contact_id)
        notes = await interactions.notes_for(
            session, owner_id=owner_id, contact_id=contact_id, limit=NOTES
        )
        pending = await reminders.pending_for_contact(
            session, owner_id=owner_id, contact_id=contact_id
        )
    follow_up = next((r for r in pending if r.kind is ReminderKind.FOLLOW_UP), None)
    return Brief(contact, open_, list(reversed(notes)), follow_up)


def days_to_birthday(contact: Contact, today: date) -> int | None:
    """Days until the contact's next birthday (0 today), if it is known."""
    if not (contact.birth_day and contact.birth_month):
        return None
    try:
        birthday = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    except ValueError:
        return None
    return (next_birthday(birthday, today=today) - today).days


def _short_day(day: date, language: str) -> str:
    pattern = SHORT_DAY_PATTERNS.get(language, SHORT_DAY_PATTERNS["en"])
    return format_date(day, pattern, locale=BABEL_LOCALES.get(language, "en_GB"))


def _birthday_line(t: Texts, contact: Contact, today: date) -> str | None:
    days = days_to_birthday(contact, today)
    if days is None or days > BIRTHDAY_DAYS:
        return None
    assert contact.birth_day and contact.birth_month
    day = _short_day(date(2000, contact.birth_month, contact.birth_day), t.language)
    if days == 0:
        return t("brief.birthday_today", day=day)
    if days == 1:
        return t("brief.birthday_tomorrow", day=day)
    return t("brief.birthday_soon", days=days, day=day)


def _title(t: Texts, contact: Contact) -> Safe:
    if contact.company:
        return t("brief.title_company", name=contact.name, company=contact.company)
    return t("brief.title", name=contact.name)


def render_brief(t: Texts, brief: Brief, *, zone: str, today: date) -> Safe:
    """Open concerns first, then the latest notes, the questions left, birthday, follow-up."""
    contact = brief.contact
    lines: list[str] = [_title(t, contact), t("brief.stage", stage=t(STAGE_NAMES[contact.stage]))]
    if contact.do_not_contact:
        lines.append(t("card.dnc"))
    if contact.phone:
        lines.append(t("card.phone", phone=contact.phone))
    if brief.concerns:
        shown = brief.concerns[:CONCERNS]
        lines += ["", t("brief.concerns")]
        lines += [t("brief.item", text=preview(c.text, PREVIEW)) for c in shown]
        if len(brief.concerns) > len(shown):
            lines.append(t("brief.more", count=len(brief.concerns) - len(shown)))
    lines += ["", t("brief.notes")]
    if not brief.notes:
        lines.append(t("card.no_notes"))
    for note in brief.notes:
        day = _short_day(note.occurred_at.astimezone(ZoneInfo(zone)).date(), t.language)
        lines.append(t("brief.note", day=day, text=preview(note.text or "", PREVIEW)))
    lines.append("")
    unknown = [] if contact.stage in WON else unknown_criteria(answers_of(contact))
    if unknown:
        lines.append(
            t("brief.ask_about", criteria=", ".join(t.plain(ASK_ABOUT[c]) for c in unknown))
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
