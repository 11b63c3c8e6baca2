"""/settings: language, time zone, digest hour and quiet hours, all on one edited message."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards
from bot.commands import set_chat_menu
from bot.context import BotContext
from bot.screens import settings_summary
from bot.texts import LANGUAGES, Safe
from storage.queries import sellers


async def show_settings(update: Update, context: BotContext) -> None:
    """Show the current settings with a button for each."""
    assert update.effective_message is not None
    text, buttons = _menu(context)
    await update.effective_message.reply_text(text, reply_markup=buttons)


async def settings_pressed(update: Update, context: BotContext) -> None:
    """Open a settings screen, or save the value pressed and return to the summary."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")[1:]
    t = context.t
    screens = {
        "lang": (t("settings.language.pick"), keyboards.language_choice(t)),
        "hour": (t("settings.digest.pick"), keyboards.digest_hours(t)),
        "quiet": (t("settings.quiet.pick"), keyboards.quiet_hours(t)),
    }
    if parts == ["done"]:
        await query.answer()
        await query.edit_message_text(_menu(context)[0])
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
        async with context.sessions.begin() as session:
            context.seller = await sellers.update_seller(
                session, seller_id=context.me.id, **changes
            )
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
        case ["hour", hour] if hour.isdigit() and int(hour) in keyboards.DIGEST_HOURS:
            return {"digest_hour": int(hour)}
        case ["quiet", start, end] if (
            start.isdigit() and end.isdigit() and (int(start), int(end)) in keyboards.QUIET_PRESETS
        ):
            return {"quiet_start_hour": int(start), "quiet_end_hour": int(end)}
    return None


def _menu(context: BotContext) -> tuple[Safe, InlineKeyboardMarkup]:
    t = context.t
    return settings_summary(t, context.me, datetime.now(UTC)), keyboards.settings_menu(t)


HANDLERS = [
    CommandHandler("settings", show_settings),
    CallbackQueryHandler(settings_pressed, pattern=r"^set:"),
]
