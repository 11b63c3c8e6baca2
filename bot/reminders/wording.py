"""How a reminder names its contact and its day: who, late lines, birthday texts. Shared by
the single nudge (`bot.reminders.messages`) and the morning digest (`bot.reminders.digest`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.records import planning
from bot.rules.birthdays import age_on, next_birthday
from bot.rules.reminders import local_day
from bot.texts import N_, Safe, Texts
from bot.ui.formatting import moment_in_words, weekday_clock, weekday_in_words
from bot.ui.text_fit import preview
from storage.models import Contact, Reminder
from storage.vocabulary import ReminderKind

NAME_PREVIEW = 60
RECENT = timedelta(days=6)  # a late time this recent is named by weekday alone


def who(t: Texts, contact: Contact) -> Safe:
    """ "<b>Kari Nordmann</b> (Acme AS)"."""
    name = preview(contact.name, NAME_PREVIEW)
    if contact.company:
        return t("reminder.who_company", name=name, company=preview(contact.company, NAME_PREVIEW))
    return t("reminder.who", name=name)


BIRTHDAY_TEXTS = {
    (ReminderKind.BIRTHDAY_CARD, True): N_("reminder.birthday.card_age"),
    (ReminderKind.BIRTHDAY_CARD, False): N_("reminder.birthday.card"),
    (ReminderKind.BIRTHDAY, True): N_("reminder.birthday.today_age"),
    (ReminderKind.BIRTHDAY, False): N_("reminder.birthday.today"),
}
DIGEST_BIRTHDAY_TEXTS = {
    (ReminderKind.BIRTHDAY_CARD, True): N_("reminder.digest.card_age"),
    (ReminderKind.BIRTHDAY_CARD, False): N_("reminder.digest.card"),
    (ReminderKind.BIRTHDAY, True): N_("reminder.digest.today_age"),
    (ReminderKind.BIRTHDAY, False): N_("reminder.digest.today"),
}


def birthday_facts(reminder: Reminder, contact: Contact, zone: ZoneInfo) -> tuple[date, int | None]:
    """The birthday this nudge is about (on or after its due day) and the age turned then."""
    birthday = planning.birthday_of(contact)
    assert birthday is not None, "compose and the buttons leave out contacts without one"
    day = next_birthday(birthday, today=local_day(reminder.due_at, zone))
    return day, age_on(birthday, day)


def birthday_text(
    t: Texts, reminder: Reminder, contact: Contact, zone: ZoneInfo, *, number: int | None = None
) -> Safe:
    """ "🎂 Kari turns 41 on Friday 14 March — time to send a card" / "… turns 41 today"."""
    day, age = birthday_facts(reminder, contact, zone)
    table = BIRTHDAY_TEXTS if number is None else DIGEST_BIRTHDAY_TEXTS
    key = table[(reminder.kind, age is not None)]
    name = preview(contact.name, NAME_PREVIEW)
    values: dict[str, object] = {"name": name, "day": weekday_in_words(day, t.language)}
    if age is not None:
        values["age"] = age
    if number is not None:
        values["n"] = number
    return t(key, **values)


def late_line(t: Texts, due_at: datetime, zone: ZoneInfo, now: datetime) -> Safe:
    """ "⏰ (late: was due Friday 08:00)", with the date when it is more than days ago."""
    if now - due_at < RECENT:
        when = weekday_clock(due_at, str(zone), t.language)
    else:
        when = moment_in_words(due_at, str(zone), t.language)
    return t("reminder.late", when=when)


@dataclass(frozen=True)
class Outgoing:
    """One message to send, and the reminders it delivers."""

    reminder_ids: tuple[int, ...]
    text: str
    keyboard: InlineKeyboardMarkup | None
