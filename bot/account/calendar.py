"""/calendar: follow-ups and birthdays as an .ics file to import into any calendar."""

from __future__ import annotations

from telegram import Update

from bot.calendar_feed import FILE_NAME, calendar_for
from bot.context import BotContext


async def calendar_command(update: Update, context: BotContext) -> None:
    """Send the calendar file, saying what it holds and how to open it."""
    message = update.effective_message
    assert message is not None
    data = await calendar_for(context.sessions, seller=context.me, now=context.now)
    if data is None:
        await message.reply_text(context.t("calendar.empty"))
        return
    await message.reply_document(data, filename=FILE_NAME, caption=context.t("calendar.sent"))
