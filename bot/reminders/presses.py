"""Acting on a reminder where it arrives: the nudge's and the digest's buttons (`r:`).

Every press names a reminder id, looked up among the presser's own reminders: another
seller's id, a deleted contact, a do-not-contact contact or a reminder already done or
cancelled gets "no longer available" and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import BotContext
from bot.records import planning
from bot.reminders import keyboards
from bot.reminders.messages import nudge
from bot.rules.dates import next_workday
from bot.rules.reminders import follow_up_at, local_day
from bot.ui.callbacks import Decoded
from bot.ui.formatting import moment_in_words
from bot.ui.router import Done
from bot.ui.screen import reply
from storage.models import Contact, Reminder
from storage.queries import interactions, nudges, reminders
from storage.vocabulary import InteractionKind, ReminderKind, ReminderStatus

LIVE = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT})
# Done logs the follow-up as a call: the usual way a seller follows up.
FOLLOW_UP_CONTACT = InteractionKind.CALL


@dataclass(frozen=True)
class Press:
    """A reminder button press, on a live reminder of the presser's own."""

    update: Update
    context: BotContext
    reminder: Reminder
    contact: Contact
    args: list[str]

    @property
    def now(self) -> datetime:
        return self.context.now


async def load_press(update: Update, context: BotContext, decoded: Decoded) -> Press | None:
    """The press on one of the seller's own live reminders; None for anything else."""
    found = await _live(context, decoded.target) if decoded.target else None
    return None if found is None else Press(update, context, *found, list(decoded.args))


async def _live(context: BotContext, reminder_id: int) -> tuple[Reminder, Contact] | None:
    """The reminder, if it is the seller's, still open, and its contact still reachable."""
    async with context.sessions.begin() as session:
        reminder = await reminders.get_reminder(
            session, owner_id=context.me.id, reminder_id=reminder_id
        )
        if reminder is None or reminder.status not in LIVE or reminder.contact_id is None:
            return None
        found = await nudges.contacts_by_id(
            session, owner_id=context.me.id, contact_ids=[reminder.contact_id]
        )
    contact = found.get(reminder.contact_id)
    if contact is None or contact.do_not_contact:
        return None
    if reminder.kind in planning.BIRTHDAY_KINDS and planning.birthday_of(contact) is None:
        return None
    if reminder.kind not in (ReminderKind.FOLLOW_UP, *planning.BIRTHDAY_KINDS):
        return None
    return reminder, contact


async def _show(p: Press, *, footer: str | None = None, edit: bool) -> None:
    """The reminder's nudge: sent anew (from a digest), or the pressed one, updated."""
    async with p.context.sessions.begin() as session:
        text, keyboard = await nudge(
            session,
            seller=p.context.me,
            reminder=p.reminder,
            contact=p.contact,
            now=p.now,
            footer=footer,
            keyboard=footer is None,
        )
    await reply(p.update, text, keyboard, edit=edit)


async def _open(p: Press) -> Done:
    """A digest line: that item's full nudge, with its buttons, as a new message."""
    if p.args:
        return False
    await _show(p, edit=False)
    return True


async def _done(p: Press) -> Done:
    """Done: the reminder is handled. A follow-up is logged as contact, then how it went is
    asked with /meet's outcome step (its rules: not ready needs a follow-up, and so on)."""
    if p.args:
        return False
    owner = p.context.me.id
    follow_up = p.reminder.kind is ReminderKind.FOLLOW_UP
    async with p.context.sessions.begin() as session:
        await reminders.mark_done(session, owner_id=owner, reminder_id=p.reminder.id)
        if follow_up:
            await interactions.add_interaction(
                session, owner_id=owner, contact_id=p.contact.id, kind=FOLLOW_UP_CONTACT
            )
    await _show(p, footer=p.context.t("reminder.done"), edit=True)
    ask_outcome = p.context.entries.ask_outcome
    if follow_up and ask_outcome is not None:
        await ask_outcome(p.update, p.context, p.contact)
    return True


def _snooze(days: int) -> Callable[[Press], Awaitable[Done]]:
    """Tomorrow / Next week: the follow-up moves to the digest hour of that local day."""

    async def snooze(p: Press) -> Done:
        if p.args or p.reminder.kind is not ReminderKind.FOLLOW_UP:
            return False
        seller = p.context.me
        zone = ZoneInfo(seller.timezone)
        day = local_day(p.now, zone) + timedelta(days=days)
        if days > 1:
            day = next_workday(day)  # as /meet's presets: never a weekend nobody acts on
        due = follow_up_at(day, None, zone=zone, digest_hour=seller.digest_hour)
        async with p.context.sessions.begin() as session:
            # The one next follow-up: this one, replacing any set since.
            await reminders.cancel_for_contact(
                session, owner_id=seller.id, contact_id=p.contact.id, kinds=[ReminderKind.FOLLOW_UP]
            )
            moved = await reminders.reschedule(
                session, owner_id=seller.id, reminder_id=p.reminder.id, due_at=due
            )
            assert moved is not None
            moved.exact_time = False
        when = moment_in_words(due, seller.timezone, seller.language)
        await _show(p, footer=p.context.t("reminder.moved", when=when), edit=True)
        return p.context.t.plain("reminder.moved_short", when=when)

    return snooze


ACTIONS: dict[str, Callable[[Press], Awaitable[Done]]] = {
    "": _open,
    keyboards.DONE: _done,
    keyboards.TOMORROW: _snooze(1),
    keyboards.NEXT_WEEK: _snooze(7),
}
