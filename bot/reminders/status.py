"""/status: whether reminders are on, and what is scheduled next, in the seller's time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import BotContext
from bot.reminders import health
from bot.reminders.wording import who
from bot.rules.reminders import after_quiet_hours, in_quiet_hours
from bot.texts import N_, Safe
from bot.ui.formatting import moment_in_words
from bot.ui.labels import quiet_label
from storage.models import Contact, Reminder
from storage.queries import nudges
from storage.vocabulary import ReminderKind

STATUS_SHOWN = 10

STATUS_LINES = {
    ReminderKind.FOLLOW_UP: N_("status.kind.follow_up"),
    ReminderKind.BIRTHDAY_CARD: N_("status.kind.card"),
    ReminderKind.BIRTHDAY: N_("status.kind.birthday"),
}


async def show_status(update: Update, context: BotContext) -> None:
    """/status: whether reminders are on, and the next ones scheduled, in local time."""
    message = update.effective_message
    assert message is not None
    seller, t, now = context.me, context.t, context.now
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
