"""/calendar: follow-ups and birthdays as an .ics file to import into any calendar."""

from __future__ import annotations

from telegram import Update

from bot.calendar_feed import FILE_NAME, calendar_for
from bot.context import BotContext
from bot.texts import Safe


async def calendar_command(update: Update, context: BotContext) -> None:
    """Send the calendar file, saying what it holds and how to open it."""
    message = update.effective_message
    assert message is not None
    t = context.t
    calendar = await calendar_for(context.sessions, seller=context.me, now=context.now)
    if not calendar.events:
        await message.reply_text(t("calendar.empty"))
        return
    caption = t("calendar.sent")
    if context.settings.webhook_url:  # a subscription address can be made in /settings
        hint = t("calendar.subscribe_hint")
        caption = Safe(f"{caption}\n\n{hint}")
    await message.reply_document(calendar.data, filename=FILE_NAME, caption=caption)
