"""Keeping reminder rows in step with what they are planned from.

Called from the places that change the inputs:
- a contact's birthday set, changed or removed, or do-not-contact lifted → `plan_birthdays`
  (the contact's pending birthday rows are replaced by `birthday_nudges` of the next one);
- a birthday nudge delivered → `plan_after_delivery` (from the dispatcher, as it records the
  send): the one after it;
- the seller's time zone or digest hour changed → `replan_for_settings`;
- the seller's card lead days changed → `replan_all_birthdays`.

Re-planning on a settings change moves what is pending and still ahead:
- rows due at the digest hour (follow-ups without a time, birthdays, digests) keep their
  local day and move to the new digest hour in the new zone;
- follow-ups at an exact time keep their local wall time: "Friday 14:00" stays 14:00 on the
  seller's clock. The seller typed and was shown that wall time, and a changed zone most often
  corrects a wrong one (the onboarding guess), so the wall time is what they meant.
Rows already due are left alone: the dispatcher sends them now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules.birthdays import Birthday
from bot.rules.reminders import birthday_nudges, follow_up_at, local_day, local_instant
from storage.models import Contact, Reminder, Seller
from storage.queries import imports, nudges, reminders, sellers
from storage.vocabulary import ReminderKind

BIRTHDAY_KINDS = frozenset({ReminderKind.BIRTHDAY_CARD, ReminderKind.BIRTHDAY})


def birthday_of(contact: Contact) -> Birthday | None:
    if contact.birth_day is None or contact.birth_month is None:
        return None
    try:
        return Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    except ValueError:  # not a real day: nothing to plan, rather than a crash
        return None


async def plan_birthdays(
    session: AsyncSession, *, contact: Contact, now: datetime, seller: Seller | None = None
) -> list[Reminder]:
    """Replace the contact's pending birthday nudges with those of their next birthday."""
    seller = seller or await sellers.get_seller(session, seller_id=contact.owner_id)
    assert seller is not None, "a contact always has its seller"
    today = local_day(now, ZoneInfo(seller.timezone))
    return await _plan_from(session, seller=seller, contact=contact, first_day=today, now=now)


async def _plan_from(
    session: AsyncSession,
    *,
    seller: Seller,
    contact: Contact,
    first_day: date,
    now: datetime,
) -> list[Reminder]:
    """The nudges of the first birthday on or after `first_day`, replacing pending ones; a
    nudge whose day is today but whose hour has passed is due now, older ones are dropped."""
    await reminders.cancel_for_contact(
        session, owner_id=seller.id, contact_id=contact.id, kinds=BIRTHDAY_KINDS
    )
    birthday = birthday_of(contact)
    if birthday is None or contact.do_not_contact:
        return []
    planned: list[Reminder] = []
    for kind, due in _birthday_dues(seller, birthday, first_day=first_day, now=now):
        row = await reminders.schedule_reminder(
            session, owner_id=seller.id, kind=kind, due_at=due, contact_id=contact.id
        )
        if row is not None:
            planned.append(row)
    return planned


def _birthday_dues(
    seller: Seller, birthday: Birthday, *, first_day: date, now: datetime
) -> list[tuple[ReminderKind, datetime]]:
    """When the nudges of the first birthday on or after `first_day` are due (a nudge whose
    day is today but whose hour has passed is due now, older ones are dropped)."""
    zone = ZoneInfo(seller.timezone)
    today = local_day(now, zone)
    dues: list[tuple[ReminderKind, datetime]] = []
    for kind, day, due in birthday_nudges(
        birthday,
        today=first_day,
        zone=zone,
        digest_hour=seller.digest_hour,
        lead_days=max(seller.birthday_lead_days, 0),
    ):
        if due < now:
            if day != today:
                continue  # a day already gone
            due = now  # later today than the digest hour: still today, so now
        dues.append((kind, due))
    return dues


async def plan_new_birthdays(
    session: AsyncSession,
    *,
    seller: Seller,
    birthdays: Sequence[tuple[int, Birthday]],
    now: datetime,
) -> None:
    """The nudges of many contacts that had no birthday until now (an import), in one
    insert: the same nudges `plan_birthdays` plans one contact at a time."""
    today = local_day(now, ZoneInfo(seller.timezone))
    planned = [
        (contact_id, kind, due)
        for contact_id, birthday in birthdays
        for kind, due in _birthday_dues(seller, birthday, first_day=today, now=now)
    ]
    await imports.add_reminders(session, owner_id=seller.id, planned=planned)


async def plan_after_sent(
    session: AsyncSession,
    *,
    seller: Seller,
    reminders: Iterable[Reminder],
    contacts: dict[int, Contact],
    now: datetime,
) -> None:
    """After birthday nudges go out: each contact's next nudges, from the day after the
    latest one sent (the card nudge leaves the day-of; the day-of leaves next year's), or
    from today when that day is long gone (a nudge sent days late)."""
    zone = ZoneInfo(seller.timezone)
    latest: dict[int, datetime] = {}
    for reminder in reminders:
        if reminder.kind in BIRTHDAY_KINDS and reminder.contact_id in contacts:
            cid = reminder.contact_id
            latest[cid] = max(latest.get(cid, reminder.due_at), reminder.due_at)
    today = local_day(now, zone)
    for contact_id, due in latest.items():
        first_day = max(local_day(due, zone) + timedelta(days=1), today)
        await _plan_from(
            session, seller=seller, contact=contacts[contact_id], first_day=first_day, now=now
        )


async def replan_for_settings(
    session: AsyncSession,
    *,
    seller: Seller,
    old_zone: str,
    old_digest_hour: int,
    now: datetime,
) -> int:
    """Move the seller's pending reminders to their new zone or digest hour; how many moved."""
    if (old_zone, old_digest_hour) == (seller.timezone, seller.digest_hour):
        return 0
    before, after = ZoneInfo(old_zone), ZoneInfo(seller.timezone)
    moved = 0
    for row in await nudges.pending_after(session, owner_id=seller.id, after=now):
        due = _moved(row, before, after, seller.digest_hour)
        if due != row.due_at:
            row.due_at = due
            moved += 1
    await session.flush()
    return moved


def _moved(row: Reminder, before: ZoneInfo, after: ZoneInfo, digest_hour: int) -> datetime:
    local = row.due_at.astimezone(before)
    if row.exact_time:
        return local_instant(local.date(), local.hour, after, local.minute)
    return follow_up_at(local.date(), None, zone=after, digest_hour=digest_hour)


async def replan_all_birthdays(
    session: AsyncSession, *, seller: Seller, now: datetime
) -> Sequence[Contact]:
    """Every contact's birthday nudges planned afresh (the card lead days changed)."""
    people = await nudges.contacts_with_birthdays(session, owner_id=seller.id)
    for contact in people:
        await plan_birthdays(session, contact=contact, now=now, seller=seller)
    return people


async def plan_after_delivery(
    session: AsyncSession, *, owner_id: int, delivered: Sequence[Reminder], now: datetime
) -> None:
    """After Telegram accepted reminders: the next birthday nudges of those contacts, and,
    after a follow-up nudge or a digest, tomorrow's morning digest. It lists what is still
    open then (a nudge not acted on, a lead with no next step); with nothing open it is not
    sent, and the chain ends."""
    seller = await sellers.get_seller(session, seller_id=owner_id)
    if seller is None:
        return
    if any(r.kind in (ReminderKind.FOLLOW_UP, ReminderKind.DIGEST) for r in delivered):
        await plan_morning_digest(session, seller=seller, after=now)
    birthdays = [r for r in delivered if r.kind in BIRTHDAY_KINDS and r.contact_id is not None]
    if not birthdays:
        return
    contacts = await nudges.contacts_by_id(
        session, owner_id=owner_id, contact_ids={r.contact_id for r in birthdays if r.contact_id}
    )
    await plan_after_sent(session, seller=seller, reminders=birthdays, contacts=contacts, now=now)


async def plan_morning_digest(
    session: AsyncSession, *, seller: Seller, after: datetime
) -> Reminder | None:
    """The seller's digest at the digest hour of the local day after `after`, unless one is
    already planned."""
    if await nudges.has_pending_digest(session, owner_id=seller.id):
        return None
    zone = ZoneInfo(seller.timezone)
    day = local_day(after, zone) + timedelta(days=1)
    due = follow_up_at(day, None, zone=zone, digest_hour=seller.digest_hour)
    return await reminders.schedule_reminder(
        session, owner_id=seller.id, kind=ReminderKind.DIGEST, due_at=due
    )
