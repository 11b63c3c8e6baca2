"""What a due reminder says: the messages `compose` makes of one seller's due reminders.

- A follow-up at an exact time: a nudge of its own, when it is due.
- What falls due at the digest hour (follow-ups without a time, birthday card nudges,
  birthdays): one item alone gets its own nudge; several become ONE morning digest listing
  them and the follow-ups still open from earlier days, a button per item opening its nudge.
  A digest never floods: beyond `DIGEST_ITEMS` items it continues in a second message.
- Contacts deleted or marked do-not-contact get nothing (left out, so the dispatcher
  cancels the rows).
- More than an hour late: the text says so ("⏰ (late: was due Friday 08:00)").
- Composing changes nothing: the contact's next birthday nudge is planned where the send is
  recorded (`bot.reminders.dispatcher`), so a send that fails plans nothing.

Texts in the seller's language, times on their wall clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.records import planning
from bot.reminders import keyboards
from bot.rules.birthdays import age_on, next_birthday
from bot.rules.reminders import is_late, local_day
from bot.texts import N_, Safe, Texts
from bot.ui.card import concern_lines
from bot.ui.formatting import moment_in_words, weekday_clock, weekday_in_words
from bot.ui.labels import STAGE_NAMES, stage_line
from bot.ui.text_fit import preview
from storage.models import Contact, Reminder, Seller
from storage.queries import concerns, nudges
from storage.vocabulary import ReminderKind

DIGEST_ITEMS = 15  # items listed per digest message (and buttons: Telegram allows 100)
OVERDUE_SHOWN = 10
CONCERNS_SHOWN = 3  # a nudge is read at a glance: the first three, and how many more
NOTE_PREVIEW = 300
NAME_PREVIEW = 60
RECENT = timedelta(days=6)  # a late time this recent is named by weekday alone
KIND_ORDER = {ReminderKind.FOLLOW_UP: 0, ReminderKind.BIRTHDAY: 1, ReminderKind.BIRTHDAY_CARD: 2}


@dataclass(frozen=True)
class Outgoing:
    """One message to send, and the reminders it delivers."""

    reminder_ids: tuple[int, ...]
    text: str
    keyboard: InlineKeyboardMarkup | None


async def compose(
    session: AsyncSession, *, seller: Seller, reminders: Sequence[Reminder], now: datetime
) -> list[Outgoing]:
    """The messages for one seller's due reminders; rows left out are not worth sending."""
    wanted = [r for r in reminders if r.owner_id == seller.id]
    contacts = await nudges.contacts_by_id(
        session, owner_id=seller.id, contact_ids={r.contact_id for r in wanted if r.contact_id}
    )
    wanted = [r for r in wanted if r.kind is ReminderKind.DIGEST or _reachable(r, contacts)]
    exact = [r for r in wanted if r.kind is ReminderKind.FOLLOW_UP and r.exact_time]
    daily = [r for r in wanted if r.kind in KIND_ORDER and r not in exact]
    asked = [r for r in wanted if r.kind is ReminderKind.DIGEST]
    outgoing = [await _single(session, seller, r, contacts, now) for r in exact]
    if len(daily) == 1 and not asked:
        outgoing.append(await _single(session, seller, daily[0], contacts, now))
    elif daily or asked:
        outgoing += await _digest(session, seller, daily, [r.id for r in asked], contacts, now)
    return outgoing


def _reachable(reminder: Reminder, contacts: dict[int, Contact]) -> bool:
    contact = contacts.get(reminder.contact_id or 0)
    if contact is None or contact.do_not_contact:
        return False
    return reminder.kind not in planning.BIRTHDAY_KINDS or planning.birthday_of(contact) is not None


async def _single(
    session: AsyncSession,
    seller: Seller,
    reminder: Reminder,
    contacts: dict[int, Contact],
    now: datetime,
) -> Outgoing:
    contact = contacts[reminder.contact_id or 0]
    text, keyboard = await nudge(
        session, seller=seller, reminder=reminder, contact=contact, now=now
    )
    return Outgoing((reminder.id,), text, keyboard)


# --- one nudge ---------------------------------------------------------------------------------


async def nudge(
    session: AsyncSession,
    *,
    seller: Seller,
    reminder: Reminder,
    contact: Contact,
    now: datetime,
    footer: str | None = None,
    keyboard: bool = True,
) -> tuple[Safe, InlineKeyboardMarkup | None]:
    """A reminder's full message with its buttons (also what a digest line opens).

    `footer` says what just happened (Done, moved); `keyboard=False` leaves only Open card.
    """
    t, zone = Texts(seller.language), ZoneInfo(seller.timezone)
    lines: list[str] = []
    if is_late(reminder.due_at, now) and footer is None:
        lines.append(late_line(t, reminder.due_at, zone, now))
    if reminder.kind is ReminderKind.FOLLOW_UP:
        lines += await _follow_up_lines(session, t, seller, reminder, contact, zone)
        buttons_ = keyboards.follow_up_keyboard(t, reminder.id, contact.id)
    else:
        lines.append(_birthday_text(t, reminder, contact, zone))
        buttons_ = keyboards.birthday_keyboard(t, reminder.id, contact.id)
    if footer:
        lines += ["", footer]
    return Safe("\n".join(lines)), buttons_ if keyboard else keyboards.card_only(t, contact.id)


def who(t: Texts, contact: Contact) -> Safe:
    """ "<b>Kari Nordmann</b> (Acme AS)"."""
    name = preview(contact.name, NAME_PREVIEW)
    if contact.company:
        return t("reminder.who_company", name=name, company=preview(contact.company, NAME_PREVIEW))
    return t("reminder.who", name=name)


async def _follow_up_lines(
    session: AsyncSession,
    t: Texts,
    seller: Seller,
    reminder: Reminder,
    contact: Contact,
    zone: ZoneInfo,
) -> list[str]:
    """Who, company, stage, the open concerns, the last note."""
    if reminder.exact_time:
        clock = reminder.due_at.astimezone(zone).strftime("%H:%M")
        lines: list[str] = [t("reminder.follow.title_at", who=who(t, contact), clock=clock)]
    else:
        lines = [t("reminder.follow.title", who=who(t, contact))]
    lines.append(stage_line(t, contact))
    open_ = await concerns.open_concerns(session, owner_id=seller.id, contact_id=contact.id)
    if open_:
        lines += concern_lines(t, open_, heading=N_("reminder.concerns"), shown=CONCERNS_SHOWN)
    note = await nudges.last_note(session, owner_id=seller.id, contact_id=contact.id)
    if note is not None and note.text:
        day = weekday_in_words(local_day(note.occurred_at, zone), t.language)
        text = preview(" ".join(note.text.split()), NOTE_PREVIEW)
        lines.append(t("reminder.last_note", day=day, text=text))
    return lines


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


def _birthday_text(
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


# --- the morning digest ------------------------------------------------------------------------


async def _digest(
    session: AsyncSession,
    seller: Seller,
    daily: list[Reminder],
    asked: list[int],
    contacts: dict[int, Contact],
    now: datetime,
) -> list[Outgoing]:
    """Today's items and what is still open from before, in as few messages as fit."""
    t, zone = Texts(seller.language), ZoneInfo(seller.timezone)
    today = local_day(now, zone)
    overdue, overdue_total = await nudges.overdue_follow_ups(
        session,
        owner_id=seller.id,
        before=min([r.due_at for r in daily] + [now]),
        limit=OVERDUE_SHOWN,
    )
    if not daily and not overdue:
        return []  # an empty digest is not worth a message
    items = sorted(daily, key=lambda r: (KIND_ORDER[r.kind], r.due_at, r.id))
    chunks = [items[i : i + DIGEST_ITEMS] for i in range(0, len(items), DIGEST_ITEMS)] or [[]]
    messages: list[Outgoing] = []
    number = 0
    for part, chunk in enumerate(chunks, start=1):
        title = t("reminder.digest.title", day=weekday_in_words(today, t.language))
        if len(chunks) > 1:
            title = t("reminder.digest.title_part", title=title, part=part, parts=len(chunks))
        lines: list[str] = [title]
        pressable: list[tuple[int, str]] = []
        for heading, kinds in (
            (N_("reminder.digest.follow_ups"), {ReminderKind.FOLLOW_UP}),
            (N_("reminder.digest.birthdays"), planning.BIRTHDAY_KINDS),
        ):
            section = [r for r in chunk if r.kind in kinds]
            if section:
                lines += ["", t(heading)]
            for reminder in section:
                number += 1
                contact = contacts[reminder.contact_id or 0]
                lines.append(_digest_line(t, reminder, contact, zone, now, number))
                pressable.append((reminder.id, f"{number}. {contact.name}"))
        if part == 1 and overdue:
            lines += ["", t("reminder.digest.overdue")]
            for reminder, contact in overdue:
                number += 1
                day = weekday_in_words(local_day(reminder.due_at, zone), t.language)
                lines.append(
                    t("reminder.digest.overdue_line", n=number, who=who(t, contact), day=day)
                )
                pressable.append((reminder.id, f"{number}. {contact.name}"))
            if overdue_total > len(overdue):
                lines.append(t("card.more", count=overdue_total - len(overdue)))
        lines += ["", t("reminder.digest.hint")]
        ids = tuple(r.id for r in chunk) + (tuple(asked) if part == 1 else ())
        messages.append(Outgoing(ids, Safe("\n".join(lines)), keyboards.digest_keyboard(pressable)))
    return messages


def _digest_line(
    t: Texts, reminder: Reminder, contact: Contact, zone: ZoneInfo, now: datetime, number: int
) -> Safe:
    if reminder.kind is ReminderKind.FOLLOW_UP:
        stage = t(STAGE_NAMES[contact.stage])
        line = t("reminder.digest.follow", n=number, who=who(t, contact), stage=stage)
    else:
        line = _birthday_text(t, reminder, contact, zone, number=number)
    if is_late(reminder.due_at, now):
        return Safe(f"{line} {late_line(t, reminder.due_at, zone, now)}")
    return line
