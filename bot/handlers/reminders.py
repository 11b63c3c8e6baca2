"""Acting on a reminder where it arrives (`r:` buttons), and /status: what is scheduled.

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
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.formatting import moment_in_words
from bot.keyboards import number
from bot.meeting.presses import ask_outcome
from bot.meeting.steps import reply
from bot.reminders import buttons, health, planning
from bot.reminders.messages import nudge, who
from bot.rules.dates import next_workday
from bot.rules.reminders import after_quiet_hours, follow_up_at, in_quiet_hours, local_day
from bot.screens import quiet_label
from bot.texts import N_, Safe
from storage.models import Contact, Reminder
from storage.queries import interactions, nudges, reminders
from storage.vocabulary import InteractionKind, ReminderKind, ReminderStatus

LIVE = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT})
STATUS_SHOWN = 10
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
        return self.context.bot_data.clock()


# False = nothing done (answered "no longer available"); a string = a short notice.
Done = bool | str


async def reminder_pressed(update: Update, context: BotContext) -> None:
    """Every `r:` button: find the seller's own live reminder, then do the action."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, raw_id, *rest = query.data.split(":")  # the handler's pattern ensures "r:"
    reminder_id = number(raw_id)
    action = ACTIONS.get(rest[0] if rest else "")
    found = await _live(context, reminder_id) if reminder_id and action else None
    done: Done = False
    if found is not None and action is not None:
        done = await action(Press(update, context, *found, rest[1:]))
    if done is False:
        await query.answer(context.t.plain("common.stale"), show_alert=True)
        return
    await query.answer(done if isinstance(done, str) else None)


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
    if follow_up:
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
    buttons.DONE: _done,
    buttons.TOMORROW: _snooze(1),
    buttons.NEXT_WEEK: _snooze(7),
}


# --- /status ---------------------------------------------------------------------------------

STATUS_LINES = {
    ReminderKind.FOLLOW_UP: N_("status.kind.follow_up"),
    ReminderKind.BIRTHDAY_CARD: N_("status.kind.card"),
    ReminderKind.BIRTHDAY: N_("status.kind.birthday"),
}


async def show_status(update: Update, context: BotContext) -> None:
    """/status: whether reminders are on, and the next ones scheduled, in local time."""
    message = update.effective_message
    assert message is not None
    seller, t, now = context.me, context.t, context.bot_data.clock()
    zone = ZoneInfo(seller.timezone)
    async with context.sessions.begin() as session:
        upcoming, total = await nudges.upcoming(session, owner_id=seller.id, limit=STATUS_SHOWN)
    lines: list[str] = [t("status.title")]
    if not seller.active:
        lines.append(t("status.paused"))
    else:
        quiet = quiet_label(t, seller.quiet_start_hour, seller.quiet_end_hour)
        lines.append(
            t("status.on", digest=f"{seller.digest_hour:02d}:00", quiet=quiet, zone=seller.timezone)
        )
        start, end = seller.quiet_start_hour, seller.quiet_end_hour
        if in_quiet_hours(now, zone=zone, start_hour=start, end_hour=end):
            until = after_quiet_hours(now, zone=zone, start_hour=start, end_hour=end)
            lines.append(t("status.quiet_now", clock=until.astimezone(zone).strftime("%H:%M")))
        if context.bot_data.health.get(health.STALLED):
            lines.append(t("status.delayed"))
    lines.append(_cards_line(context))
    lines.append("")
    if not upcoming:
        lines.append(t("status.none"))
    else:
        lines.append(t("status.next"))
        lines += [_status_line(context, reminder, contact) for reminder, contact in upcoming]
        if total > len(upcoming):
            lines.append(t("card.more", count=total - len(upcoming)))
    await message.reply_text(Safe("\n".join(lines)))


def _cards_line(context: BotContext) -> Safe:
    lead, t = context.me.birthday_lead_days, context.t
    if lead <= 0:
        return t("status.cards_off")
    return t("status.cards_one") if lead == 1 else t("status.cards", count=lead)


def _status_line(context: BotContext, reminder: Reminder, contact: Contact | None) -> Safe:
    t, seller = context.t, context.me
    when = moment_in_words(reminder.due_at, seller.timezone, seller.language)
    if contact is None or reminder.kind not in STATUS_LINES:
        what = t("status.kind.digest")
    else:
        what = t(STATUS_LINES[reminder.kind], who=who(t, contact))
    return t("status.line", when=when, what=what)


HANDLERS = [
    CommandHandler("status", show_status),
    CallbackQueryHandler(reminder_pressed, pattern=r"^r:"),
]
