"""The contact card: everything about one contact in one message, within Telegram's limit.

Every user-written piece is cut to a preview before it is escaped, so even a contact with the
longest name, company and e-mail, many concerns and long notes stays well under 4096 UTF-16
units (see `tests/e2e/test_contacts_card.py`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.formatting import BABEL_LOCALES, birthday_in_words, moment_in_words
from bot.meeting.card import preview
from bot.meeting.screens import OUTCOME_NAMES, criteria_line, stage_line
from bot.texts import N_, Safe, Texts
from storage.models import Contact, Interaction, Reminder
from storage.queries.book import CardData
from storage.vocabulary import InteractionKind, ReminderKind

SHOWN_CONCERNS = 5
CONCERN_PREVIEW = 200
INTERACTION_PREVIEW = 120
SHORT_DAY = {"en": "d MMM y", "nb": "d. MMM y"}
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
REMINDER_LINES = {
    ReminderKind.FOLLOW_UP: N_("card.follow_up"),
    ReminderKind.BIRTHDAY_CARD: N_("book.card.reminder_card"),
    ReminderKind.BIRTHDAY: N_("book.card.reminder_birthday"),
}


def short_day(instant: datetime, zone: str, language: str) -> str:
    """The seller's local date, briefly: "14 Mar 2027" / "14. mar. 2027"."""
    local = instant.astimezone(ZoneInfo(zone)).date()
    pattern = SHORT_DAY.get(language, SHORT_DAY["en"])
    return str(format_date(local, pattern, locale=BABEL_LOCALES.get(language, "en_GB")))


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


def in_stage_line(t: Texts, since: datetime, now: datetime, zone: str) -> Safe:
    days = (now - since).days
    if days < 1:
        return t("book.card.in_stage_today")
    day = short_day(since, zone, t.language)
    return t("book.card.in_stage", duration=duration(t, days), day=day)


def title(t: Texts, contact: Contact) -> Safe:
    if contact.company:
        return t("card.title_company", name=contact.name, company=contact.company)
    return t("card.title", name=contact.name)


def _head(t: Texts, data: CardData, now: datetime, zone: str) -> list[str]:
    contact = data.contact
    lines: list[str] = [title(t, contact), stage_line(t, contact)]
    lines += [in_stage_line(t, data.in_stage_since, now, zone), criteria_line(t, contact)]
    if contact.outcome is not None:
        lines.append(t("card.outcome", outcome=t(OUTCOME_NAMES[contact.outcome])))
    if contact.do_not_contact:
        lines.append(t("card.dnc"))
    return lines


def _concerns(t: Texts, data: CardData) -> list[str]:
    if not data.concerns:
        return []
    shown = data.concerns[:SHOWN_CONCERNS]
    lines = ["", t("card.concerns")]
    lines += [t("card.item", text=preview(c.text, CONCERN_PREVIEW)) for c in shown]
    if len(data.concerns) > len(shown):
        lines.append(t("card.more", count=len(data.concerns) - len(shown)))
    return lines


def interaction_line(t: Texts, interaction: Interaction, zone: str) -> Safe:
    values = {
        "icon": KIND_ICONS[interaction.kind],
        "day": short_day(interaction.occurred_at, zone, t.language),
        "kind": t(KIND_NAMES[interaction.kind]),
    }
    if interaction.text:
        text = preview(" ".join(interaction.text.split()), INTERACTION_PREVIEW)
        return t("book.card.interaction_text", text=text, **values)
    return t("book.card.interaction", **values)


def _recent(t: Texts, data: CardData, zone: str) -> list[str]:
    if not data.recent:
        return []
    return ["", t("book.card.recent")] + [interaction_line(t, i, zone) for i in data.recent]


def reminder_line(t: Texts, reminder: Reminder | None, contact: Contact, zone: str) -> Safe | None:
    if reminder is None:
        return None if contact.do_not_contact else t("card.no_follow_up")
    key = REMINDER_LINES.get(reminder.kind, N_("book.card.reminder"))
    return t(key, when=moment_in_words(reminder.due_at, zone, t.language))


def _details(t: Texts, data: CardData, zone: str) -> list[str]:
    contact = data.contact
    lines: list[str] = []
    reminder = reminder_line(t, data.next_reminder, contact, zone)
    if reminder is not None:
        lines.append(reminder)
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


def render(t: Texts, data: CardData, *, zone: str, now: datetime) -> Safe:
    """The card's text: who, where in the pipeline, concerns, latest contact, what's next."""
    lines = _head(t, data, now, zone) + _concerns(t, data) + _recent(t, data, zone)
    return Safe("\n".join(lines + _details(t, data, zone)))
