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
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.records import planning
from bot.reminders import keyboards
from bot.reminders.digest import KIND_ORDER, digest
from bot.reminders.wording import Outgoing, birthday_text, late_line, who
from bot.rules.reminders import is_late, local_day
from bot.texts import N_, Safe, Texts
from bot.ui.card import concern_lines
from bot.ui.formatting import weekday_in_words
from bot.ui.labels import stage_line
from bot.ui.text_fit import preview
from storage.models import Contact, Reminder, Seller
from storage.queries import concerns, nudges
from storage.vocabulary import ReminderKind

CONCERNS_SHOWN = 3  # a nudge is read at a glance: the first three, and how many more
NOTE_PREVIEW = 300


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
        asked_ids = [r.id for r in asked]
        listed = await digest(session, seller, daily, asked_ids, contacts, now)
        if listed is None:  # one item, nothing else open: its own nudge answers the digest too
            alone = await _single(session, seller, daily[0], contacts, now)
            listed = [Outgoing((*alone.reminder_ids, *asked_ids), alone.text, alone.keyboard)]
        outgoing += listed
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
        lines.append(birthday_text(t, reminder, contact, zone))
        buttons_ = keyboards.birthday_keyboard(t, reminder.id, contact.id)
    if footer:
        lines += ["", footer]
    return Safe("\n".join(lines)), buttons_ if keyboard else keyboards.card_only(t, contact.id)


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
