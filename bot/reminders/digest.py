"""The morning digest: today's items, the follow-ups still open from before, and the active
leads and prospects with no next step, in as few messages as fit, a button per item."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.records import planning
from bot.reminders import keyboards
from bot.reminders.wording import Outgoing, birthday_text, late_line, who
from bot.rules.reminders import is_late, local_day
from bot.texts import N_, Safe, Texts
from bot.ui import callbacks
from bot.ui.formatting import weekday_in_words
from bot.ui.labels import STAGE_NAMES
from storage.models import Contact, Reminder, Seller
from storage.queries import nudges, pipeline
from storage.vocabulary import ReminderKind, Stage

DIGEST_ITEMS = 15  # items listed per digest message (and buttons: Telegram allows 100)
OVERDUE_SHOWN = 10
NO_NEXT_STEP_SHOWN = 5
KIND_ORDER = {ReminderKind.FOLLOW_UP: 0, ReminderKind.BIRTHDAY: 1, ReminderKind.BIRTHDAY_CARD: 2}
# Who may drop without a next step: active leads and prospects (customers have keep-in-touch).
NEEDS_NEXT_STEP = {Stage.LEAD: None, Stage.PROSPECT: None}


async def digest(
    session: AsyncSession,
    seller: Seller,
    daily: list[Reminder],
    asked: list[int],
    contacts: dict[int, Contact],
    now: datetime,
) -> list[Outgoing] | None:
    """Today's items and what is still open from before, in as few messages as fit; None
    when it would list one item of today's and nothing else (that one is a nudge alone)."""
    t, zone = Texts(seller.language), ZoneInfo(seller.timezone)
    today = local_day(now, zone)
    overdue, overdue_total = await nudges.overdue_follow_ups(
        session,
        owner_id=seller.id,
        before=min([r.due_at for r in daily] + [now]),
        limit=OVERDUE_SHOWN,
    )
    unplanned = await pipeline.quiet_contacts(
        session,
        owner_id=seller.id,
        before=NEEDS_NEXT_STEP,
        limit=NO_NEXT_STEP_SHOWN + len(daily) + len(overdue),
        unplanned_only=True,
    )
    listed = {r.contact_id for r in daily} | {contact.id for _, contact in overdue}
    no_next_step = [row for row in unplanned.rows if row.contact_id not in listed]
    no_next_step_total = unplanned.total - (len(unplanned.rows) - len(no_next_step))
    no_next_step = no_next_step[:NO_NEXT_STEP_SHOWN]
    if not daily and not overdue and not no_next_step:
        return []  # an empty digest is not worth a message
    if len(daily) == 1 and not overdue and not no_next_step:
        return None
    items = sorted(daily, key=lambda r: (KIND_ORDER[r.kind], r.due_at, r.id))
    chunks = [items[i : i + DIGEST_ITEMS] for i in range(0, len(items), DIGEST_ITEMS)] or [[]]
    messages: list[Outgoing] = []
    number = 0
    for part, chunk in enumerate(chunks, start=1):
        title = t("reminder.digest.title", day=weekday_in_words(today, t.language))
        if len(chunks) > 1:
            title = t("reminder.digest.title_part", title=title, part=part, parts=len(chunks))
        lines: list[str] = [title]
        pressable: list[tuple[str, str]] = []
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
                pressable.append((callbacks.reminder(reminder.id), f"{number}. {contact.name}"))
        if part == 1 and overdue:
            lines += ["", t("reminder.digest.overdue")]
            for reminder, contact in overdue:
                number += 1
                day = weekday_in_words(local_day(reminder.due_at, zone), t.language)
                lines.append(
                    t("reminder.digest.overdue_line", n=number, who=who(t, contact), day=day)
                )
                pressable.append((callbacks.reminder(reminder.id), f"{number}. {contact.name}"))
            if overdue_total > len(overdue):
                lines.append(t("card.more", count=overdue_total - len(overdue)))
        if part == 1 and no_next_step:
            lines += ["", t("nextstep.digest.heading")]
            for row in no_next_step:
                number += 1
                stage = t(STAGE_NAMES[row.stage])
                lines.append(t("nextstep.digest.line", n=number, name=row.name, stage=stage))
                pressable.append((callbacks.card(row.contact_id), f"{number}. {row.name}"))
            if no_next_step_total > len(no_next_step):
                lines.append(t("card.more", count=no_next_step_total - len(no_next_step)))
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
        line = birthday_text(t, reminder, contact, zone, number=number)
    if is_late(reminder.due_at, now):
        return Safe(f"{line} {late_line(t, reminder.due_at, zone, now)}")
    return line
