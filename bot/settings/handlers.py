"""/settings: language, time zone, digest hour, quiet hours and keep-in-touch periods, all on
one edited message."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.commands import set_chat_menu
from bot.context import BotContext
from bot.records import planning
from bot.rules.pipeline import DEFAULT_KEEP_IN_TOUCH, PERIOD_CHOICES, keep_in_touch
from bot.rules.reminders import quiet_hour
from bot.settings import keyboards
from bot.settings.calendar_link import calendar_pressed
from bot.settings.onboarding import TEXT_STEPS as ONBOARDING_STEPS
from bot.settings.onboarding import start, zone_pressed
from bot.settings.summary import keep_in_touch_summary, settings_summary
from bot.texts import LANGUAGES, Safe
from bot.ui.callbacks import Prefix, decode, number, pattern
from bot.ui.labels import STAGE_GROUPS, quiet_label
from storage.queries import pipeline, sellers
from storage.vocabulary import Stage


async def show_settings(update: Update, context: BotContext) -> None:
    """Show the current settings with a button for each."""
    assert update.effective_message is not None
    text, buttons = _menu(context)
    await update.effective_message.reply_text(text, reply_markup=buttons)


async def settings_pressed(update: Update, context: BotContext) -> None:
    """Open a settings screen, or save the value pressed and return to the summary."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode(query.data)
    parts = [decoded.action, *decoded.args] if decoded and decoded.action else []
    t = context.t
    screens = {
        "lang": (t("settings.language.pick"), keyboards.language_choice(t)),
        "hour": (t("settings.digest.pick"), keyboards.digest_hours(t)),
        "quiet": (t("settings.quiet.pick"), keyboards.quiet_hours(t)),
        "card": (t("settings.card.pick"), keyboards.card_lead_days(t)),
    }
    if parts[:1] == ["kit"]:
        await _keep_in_touch(query, context, parts[1:])
        return
    if parts[:1] == ["cal"]:
        await calendar_pressed(query, context, parts[1:])
        return
    if parts == ["done"]:
        await query.answer()
        await query.edit_message_text(settings_summary(t, context.me, context.now))
        return
    if len(parts) == 1 and parts[0] in screens:
        await query.answer()
        text, buttons = screens[parts[0]]
        await query.edit_message_text(text, reply_markup=buttons)
        return
    changes = _parse_change(parts)
    if changes is None and parts != ["menu"]:
        await query.answer(t("common.stale"), show_alert=True)
        return
    if changes:
        zone, hour = context.me.timezone, context.me.digest_hour
        async with context.sessions.begin() as session:
            context.seller = await sellers.update_seller(
                session, seller_id=context.me.id, **changes
            )
            await planning.replan_for_settings(  # pending reminders follow the digest hour
                session,
                seller=context.seller,
                old_zone=zone,
                old_digest_hour=hour,
                now=context.now,
            )
            if "birthday_lead_days" in changes:
                await planning.replan_all_birthdays(session, seller=context.seller, now=context.now)
        if "language" in changes:
            await set_chat_menu(context.bot, context.me.id, context.me.language)
    await query.answer(context.t("settings.saved") if changes else None)
    text, buttons = _menu(context)
    await query.edit_message_text(text, reply_markup=buttons)


def _parse_change(parts: list[str]) -> dict[str, object] | None:
    """The setting a button names, checked against the offered values (data can be forged)."""
    match parts:
        case ["lang", language] if language in LANGUAGES:
            return {"language": language}
        case ["hour", hour] if number(hour, 23) in keyboards.DIGEST_HOURS:
            return {"digest_hour": int(hour)}
        case ["card", days] if number(days, 99) in keyboards.CARD_LEAD_DAYS:
            return {"birthday_lead_days": int(days)}
        case ["quiet", begin, end] if (
            number(begin, 23),
            number(end, 23),
        ) in keyboards.QUIET_PRESETS:
            return {"quiet_start_hour": int(begin), "quiet_end_hour": int(end)}
    return None


async def _keep_in_touch(query: CallbackQuery, context: BotContext, parts: list[str]) -> None:
    """Keep-in-touch periods: every stage's, one stage's choices, or a choice to save."""
    t, stages = context.t, {stage.value: stage for stage in Stage}
    periods = keep_in_touch(context.me.keep_in_touch)
    match parts:
        case []:
            await query.answer()
        case [name] if name in stages:
            stage = stages[name]
            await query.answer()
            text = t("settings.kit.pick", stage=t(STAGE_GROUPS[stage]), days=periods[stage])
            buttons = keyboards.keep_in_touch_days(t, stage, periods[stage])
            await query.edit_message_text(text, reply_markup=buttons)
            return
        case [name, days] if name in stages and number(days, 999) in PERIOD_CHOICES:
            stage, chosen = stages[name], int(days)
            default = chosen == DEFAULT_KEEP_IN_TOUCH[stage]  # stored as "follow the default"
            async with context.sessions.begin() as session:
                context.seller = await pipeline.set_keep_in_touch(
                    session, seller_id=context.me.id, stage=stage, days=None if default else chosen
                )
            periods = keep_in_touch(context.me.keep_in_touch)
            await query.answer(t("settings.saved"))
        case _:
            await query.answer(t("common.stale"), show_alert=True)
            return
    await query.edit_message_text(
        keep_in_touch_summary(t, context.me.keep_in_touch),
        reply_markup=keyboards.keep_in_touch_stages(t, periods),
    )


def _menu(context: BotContext) -> tuple[Safe, InlineKeyboardMarkup]:
    """The summary and its buttons; a digest hour inside the quiet hours (whichever was set
    last) is said in one line, with a button that moves it to the first hour they allow."""
    t, me = context.t, context.me
    summary = settings_summary(t, me, context.now)
    start, end = me.quiet_start_hour, me.quiet_end_hour
    if not quiet_hour(me.digest_hour, start_hour=start, end_hour=end):
        return summary, keyboards.settings_menu(t, calendar=_feeds(context))
    warning = t(
        "settings.digest.in_quiet",
        digest=f"{me.digest_hour:02d}:00",
        quiet=quiet_label(t, start, end),
        end=f"{end:02d}:00",
    )
    return Safe(f"{summary}\n\n{warning}"), keyboards.settings_menu(
        t, move_digest_to=_first_open_digest_hour(start, end), calendar=_feeds(context)
    )


def _feeds(context: BotContext) -> bool:
    """Whether this bot serves calendar subscription addresses (only a webhook worker has a
    public web address to serve them from)."""
    return context.settings.webhook_url is not None


def _first_open_digest_hour(start: int, end: int) -> int | None:
    """The offered digest hour that comes first once the quiet hours end (08:00 after
    21:00–08:00); None if every offered hour is quiet."""
    open_hours = [
        hour
        for hour in keyboards.DIGEST_HOURS
        if not quiet_hour(hour, start_hour=start, end_hour=end)
    ]
    return min(open_hours, key=lambda hour: (hour - end) % 24, default=None)


HANDLERS = [
    CommandHandler("start", start),
    CallbackQueryHandler(zone_pressed, pattern=pattern(Prefix.ZONE)),
    CommandHandler("settings", show_settings),
    CallbackQueryHandler(settings_pressed, pattern=pattern(Prefix.SETTINGS)),
]
TEXT_STEPS = ONBOARDING_STEPS
