"""/pipeline: counts per stage, conversion, who is stuck, and the same as a funnel picture."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.pipeline.chart import Bar, funnel_png
from bot.rules.pipeline import (
    Stuck,
    days_since,
    keep_in_touch,
    local_today,
    rank_stuck,
    rate,
    stuck_before,
)
from bot.texts import N_, Safe, Texts
from bot.ui import callbacks
from bot.ui.formatting import percent, weekday_in_words
from bot.ui.keyboards import button, markup, short_label
from bot.ui.labels import STAGE_GROUPS, STAGE_NAMES
from storage.queries import pipeline
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
        counts = await pipeline.stage_counts(session, owner_id=seller.id)
        reach = await pipeline.funnel_reach(session, owner_id=seller.id)
        quiet = await pipeline.quiet_contacts(
            session, owner_id=seller.id, before=cutoffs, limit=SHOWN_STUCK
        )
    if not any(counts.values()):
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
    text = Safe("\n".join([_numbers(t, counts, reach), "", _stuck_text(t, stuck, quiet.total)]))
    await message.reply_text(text, reply_markup=_stuck_buttons(stuck))


def _numbers(t: Texts, counts: dict[Stage, int], reach: Reach) -> str:
    """Counts per stage, then the two conversion rates and how they are counted."""
    lines: list[str] = [t("pipeline.title")]
    lines += [t("pipeline.count", stage=t(STAGE_GROUPS[s]), count=counts[s]) for s in Stage]
    lines += ["", t("pipeline.conversion.title")]
    for key, none_key, converted, base in (
        (N_("pipeline.conversion.lead"), N_("pipeline.conversion.lead_none"), *_leads(reach)),
        (
            N_("pipeline.conversion.prospect"),
            N_("pipeline.conversion.prospect_none"),
            *_prospects(reach),
        ),
    ):
        share = rate(converted, base)
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
        (N_("pipeline.chart.to_prospect"), *_leads(reach)),
        (N_("pipeline.chart.to_customer"), *_prospects(reach)),
    ):
        share = rate(converted, base)
        steps.append(None if share is None else t.plain(key, percent=percent(share, t.language)))
    return funnel_png(t.plain("pipeline.chart.title"), bars, steps)


def _leads(reach: Reach) -> tuple[int, int]:
    """Lead → prospect: of all who were ever leads, those ever qualified (or further)."""
    return reach.lead_qualified, reach.lead


def _prospects(reach: Reach) -> tuple[int, int]:
    """Prospect → customer: of all who were ever prospects, those who ever bought."""
    return reach.prospect_won, reach.prospect


HANDLERS = [CommandHandler("pipeline", show_pipeline)]
