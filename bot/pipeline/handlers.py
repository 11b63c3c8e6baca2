"""/pipeline: counts per stage, conversion, who is stuck, and the same as a funnel picture."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.pipeline.chart import Bar, funnel_png
from bot.rules.counting import BookCounts, Group, conversion, count_book
from bot.rules.money import currency_for_zone
from bot.rules.pipeline import (
    Stuck,
    days_since,
    keep_in_touch,
    local_today,
    rank_stuck,
    start_of_day,
    stuck_before,
)
from bot.texts import N_, Safe, Texts
from bot.ui import callbacks
from bot.ui.formatting import money, percent, weekday_in_words
from bot.ui.keyboards import button, markup, short_label
from bot.ui.labels import STAGE_GROUPS, STAGE_NAMES
from storage.queries import pipeline, sales
from storage.queries.pipeline import Reach
from storage.vocabulary import Stage

SHOWN_STUCK = 5
LABEL_MAX = 40  # characters of a name on a button


async def show_pipeline(update: Update, context: BotContext) -> None:
    """The funnel picture first, then the numbers, with the stuck contacts as buttons."""
    message = update.effective_message
    assert message is not None
    seller, t, now = context.me, context.t, context.now
    periods = keep_in_touch(seller.keep_in_touch)
    cutoffs = {stage: stuck_before(now, seller.timezone, days) for stage, days in periods.items()}
    async with context.sessions.begin() as session:
        book = count_book(
            Group(*group) for group in await pipeline.book_groups(session, owner_id=seller.id)
        )
        reach = await pipeline.funnel_reach(session, owner_id=seller.id)
        month, year = _periods(now, seller.timezone)
        won_month = await sales.won_since(session, owner_id=seller.id, since=month)
        won_year = await sales.won_since(session, owner_id=seller.id, since=year)
        quiet = await pipeline.quiet_contacts(
            session, owner_id=seller.id, before=cutoffs, limit=SHOWN_STUCK
        )
    counts = book.in_stage
    if book.total == 0:
        await message.reply_text(t("pipeline.empty"))
        return
    stuck = rank_stuck(
        (
            Stuck(
                row.contact_id,
                row.name,
                row.stage,
                days_since(row.since, now, seller.timezone),
                periods[row.stage],
            )
            for row in quiet.rows
        ),
        SHOWN_STUCK,
    )
    day = weekday_in_words(local_today(now, seller.timezone), t.language)
    await message.reply_photo(
        _chart(t, counts, reach),
        caption=t("pipeline.chart.caption", day=day),
        filename="pipeline.png",
    )
    numbers = _numbers(t, book, reach)
    if won_year:
        currency = currency_for_zone(seller.timezone)
        won = t(
            "sales.won",
            month=_worth(won_month, currency, t),
            year=_worth(won_year, currency, t),
        )
        numbers = Safe(f"{numbers}\n\n{won}")
    text = Safe("\n".join([numbers, "", _stuck_text(t, stuck, quiet.total)]))
    await message.reply_text(text, reply_markup=_stuck_buttons(stuck))


def _numbers(t: Texts, book: BookCounts, reach: Reach) -> str:
    """Active contacts now in each stage (do-not-contact on a line of its own), then the two
    conversion rates and how they are counted (`bot.rules.counting`)."""
    lines: list[str] = [t("pipeline.title"), t("numbers.now_in_stage")]
    lines += [t("pipeline.count", stage=t(STAGE_GROUPS[s]), count=book.in_stage[s]) for s in Stage]
    if book.do_not_contact:
        lines.append(t("numbers.do_not_contact", count=book.do_not_contact))
    lines += ["", t("pipeline.conversion.title")]
    for key, none_key, converted, base in (
        (N_("pipeline.conversion.lead"), N_("pipeline.conversion.lead_none"), *_leads(reach)),
        (
            N_("pipeline.conversion.prospect"),
            N_("pipeline.conversion.prospect_none"),
            *_prospects(reach),
        ),
    ):
        share = conversion(base, converted)
        if share is None:
            lines.append(t(none_key))
        else:
            lines.append(t(key, percent=percent(share, t.language), converted=converted, base=base))
    lines.append(t("pipeline.conversion.how"))
    return "\n".join(lines)


def _stuck_text(t: Texts, stuck: list[Stuck], total: int) -> str:
    if total == 0:
        return t("pipeline.stuck.none")
    lines: list[str] = [t("pipeline.stuck.title", count=total)]
    lines += [
        t(
            "pipeline.stuck.item",
            n=number,
            name=item.name,
            stage=t(STAGE_NAMES[item.stage]),
            days=item.days,
            period=item.period,
        )
        for number, item in enumerate(stuck, start=1)
    ]
    if total > len(stuck):
        lines.append(t("pipeline.stuck.more", count=total - len(stuck)))
    lines.append(t("pipeline.stuck.hint"))
    return "\n".join(lines)


def _stuck_buttons(stuck: list[Stuck]) -> InlineKeyboardMarkup | None:
    """A button per stuck contact, opening the contact card."""
    if not stuck:
        return None
    return markup(
        *(
            [
                button(
                    f"{number}. {short_label(item.name, LABEL_MAX)}",
                    callbacks.card(item.contact_id),
                )
            ]
            for number, item in enumerate(stuck, start=1)
        )
    )


def _chart(t: Texts, counts: dict[Stage, int], reach: Reach) -> bytes:
    """The funnel PNG, with the conversion rate written between the bars it links."""
    bars = [Bar(t.plain(STAGE_GROUPS[stage]), counts[stage]) for stage in Stage]
    steps: list[str | None] = []
    for key, converted, base in (
        (N_("numbers.chart.to_prospect"), *_leads(reach)),
        (N_("numbers.chart.to_customer"), *_prospects(reach)),
    ):
        share = conversion(base, converted)
        steps.append(None if share is None else t.plain(key, percent=percent(share, t.language)))
    return funnel_png(t.plain("numbers.chart.title"), bars, steps)


def _periods(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """The start of this month and of this year on the seller's calendar, as instants."""
    today = local_today(now, zone)
    return start_of_day(today.replace(day=1), zone), start_of_day(
        today.replace(month=1, day=1), zone
    )


def _worth(won: dict[str, Decimal], currency: str, t: Texts) -> str:
    """ "kr 12 500,00", one amount per currency sold in; nothing yet is zero."""
    if not won:
        return money(Decimal(0), currency, t.language)
    return " + ".join(money(amount, currency, t.language) for currency, amount in won.items())


def _leads(reach: Reach) -> tuple[int, int]:
    """Lead → prospect: of all who were ever leads, those ever qualified (or further)."""
    return reach.lead_qualified, reach.lead


def _prospects(reach: Reach) -> tuple[int, int]:
    """Prospect → customer: of all who were ever prospects, those who ever bought."""
    return reach.prospect_won, reach.prospect


HANDLERS = [CommandHandler("pipeline", show_pipeline)]
