"""/today: the day's focus list, ranked, in one message with a one-tap action per line.

What it holds: follow-ups due today or overdue, birthdays this week, prospects with no next
step, leads one answer short of prospect, and customers gone quiet for longer than their
keep-in-touch period. Do-not-contact contacts never appear.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.rules.birthdays import Birthday, age_on, next_birthday
from bot.rules.pipeline import (
    BIRTHDAY_HORIZON,
    WON,
    Focus,
    FocusItem,
    birthday_days,
    days_since,
    keep_in_touch,
    local_today,
    one_answer_missing,
    rank,
    start_of_day,
    stuck_before,
)
from bot.texts import Safe, Texts
from bot.ui import callbacks
from bot.ui.formatting import weekday_in_words
from bot.ui.keyboards import button, markup, short_label
from bot.ui.labels import CRITERION_TODAY, STAGE_NAMES
from storage.models import Seller
from storage.queries import pipeline, today
from storage.queries.today import BirthdayContact
from storage.vocabulary import Criterion, Stage

SHOWN = 10
LABEL_MAX = 28  # characters of a name on a button, leaving room for the action beside it


async def show_today(update: Update, context: BotContext) -> None:
    """What to do today, most urgent first, capped, with how many more wait."""
    message = update.effective_message
    assert message is not None
    seller, t, now = context.me, context.t, context.now
    items, total = await _focus_items(context, seller, now)
    if not items:
        await message.reply_text(t("today.empty"))
        return
    shown = rank(items, SHOWN)
    lines: list[str] = [
        t("today.title", day=weekday_in_words(local_today(now, seller.timezone), t.language))
    ]
    lines += [f"{n}. {_line(t, item, seller.timezone, now)}" for n, item in enumerate(shown, 1)]
    if total > len(shown):
        lines.append(t("today.more", count=total - len(shown)))
    await message.reply_text(Safe("\n".join(lines)), reply_markup=_buttons(t, shown))


async def _focus_items(
    context: BotContext, seller: Seller, now: datetime
) -> tuple[list[FocusItem], int]:
    """Up to `SHOWN` candidates of each kind, and how many there are in all."""
    zone = seller.timezone
    day = local_today(now, zone)
    tomorrow = start_of_day(day + timedelta(days=1), zone)
    periods = keep_in_touch(seller.keep_in_touch)
    quiet_since = {stage: stuck_before(now, zone, periods[stage]) for stage in WON}
    async with context.sessions.begin() as session:
        due = await today.due_follow_ups(session, owner_id=seller.id, before=tomorrow, limit=SHOWN)
        birthdays = await today.birthdays_on(session, owner_id=seller.id, days=birthday_days(day))
        unplanned = await pipeline.quiet_contacts(
            session,
            owner_id=seller.id,
            before={Stage.PROSPECT: None},
            limit=SHOWN,
            unplanned_only=True,
        )
        leads = await today.leads_one_answer_away(
            session, owner_id=seller.id, due_before=tomorrow, limit=SHOWN
        )
        quiet = await pipeline.quiet_contacts(
            session, owner_id=seller.id, before=quiet_since, limit=SHOWN, unplanned_only=True
        )
    items = [
        FocusItem(Focus.FOLLOW_UP, row.contact_id, row.name, when=row.due_at, exact=row.exact)
        for row in due.rows
    ]
    items += _birthdays(birthdays, day)
    items += [
        FocusItem(Focus.NO_NEXT_STEP, r.contact_id, r.name, when=r.since) for r in unplanned.rows
    ]
    items += [
        FocusItem(
            Focus.ONE_ANSWER,
            row.contact_id,
            row.name,
            when=row.since,
            missing=one_answer_missing(row.answers),
        )
        for row in leads.rows
    ]
    items += [
        FocusItem(
            Focus.QUIET,
            row.contact_id,
            row.name,
            when=row.since,
            stage=row.stage,
            days=days_since(row.since, now, zone),
            period=periods[row.stage],
        )
        for row in quiet.rows
    ]
    birthday_count = sum(1 for item in items if item.focus is Focus.BIRTHDAY)
    return items, due.total + birthday_count + unplanned.total + leads.total + quiet.total


def _birthdays(rows: list[BirthdayContact], day: date) -> list[FocusItem]:
    """Birthdays from today to the horizon, with the age they turn when the year is known."""
    items = []
    for row in rows:
        try:
            birthday = Birthday(row.day, row.month, row.year)
        except ValueError:
            continue  # an impossible date typed in by hand elsewhere: nothing to celebrate
        coming = next_birthday(birthday, today=day)
        days = (coming - day).days
        if days <= BIRTHDAY_HORIZON:
            age = age_on(birthday, coming)
            items.append(FocusItem(Focus.BIRTHDAY, row.contact_id, row.name, days=days, age=age))
    return items


def _line(t: Texts, item: FocusItem, zone: str, now: datetime) -> Safe:
    """One line of the list, in words."""
    name, language = item.name, t.language
    match item.focus:
        case Focus.FOLLOW_UP:
            assert item.when is not None
            local = item.when.astimezone(ZoneInfo(zone))
            if local.date() < local_today(now, zone):
                return t(
                    "today.follow_up.overdue",
                    name=name,
                    day=weekday_in_words(local.date(), language),
                )
            if item.exact:
                return t("today.follow_up.today_at", name=name, clock=local.strftime("%H:%M"))
            return t("today.follow_up.today", name=name)
        case Focus.BIRTHDAY:
            on = weekday_in_words(local_today(now, zone) + timedelta(days=item.days), language)
            if item.days == 0:
                if item.age is not None:
                    return t("today.birthday.today_age", name=name, age=item.age)
                return t("today.birthday.today", name=name)
            if item.age is not None:
                return t("today.birthday.soon_age", name=name, age=item.age, day=on)
            return t("today.birthday.soon", name=name, day=on)
        case Focus.NO_NEXT_STEP:
            return t("today.no_next_step", name=name)
        case Focus.ONE_ANSWER:
            return t(CRITERION_TODAY[item.missing or Criterion.BUDGET], name=name)
        case _:
            stage = t(STAGE_NAMES[item.stage or Stage.CUSTOMER])
            return t("today.quiet", name=name, stage=stage, days=item.days)


def _buttons(t: Texts, shown: list[FocusItem]) -> InlineKeyboardMarkup:
    """Per line: the name opens the card; beside it, the one next thing to do."""
    return markup(*([_open(n, item), _act(t, item)] for n, item in enumerate(shown, 1)))


def _open(number: int, item: FocusItem) -> InlineKeyboardButton:
    return button(f"{number}. {short_label(item.name, LABEL_MAX)}", callbacks.card(item.contact_id))


def _act(t: Texts, item: FocusItem) -> InlineKeyboardButton:
    if item.focus is Focus.NO_NEXT_STEP:
        return button(
            t.plain("today.button.follow_up"), callbacks.meeting("e", item.contact_id, "follow")
        )
    return button(t.plain("today.button.log"), callbacks.meeting("start", item.contact_id))


HANDLERS = [CommandHandler("today", show_today)]
