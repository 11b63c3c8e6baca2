"""Never drop a lead: a note added to someone with no next step asks for one, right there.

One tap keeps the usual rhythm (the keep-in-touch period of their stage, from /settings),
📅 opens the follow-up question, ✖️ says "no next step" out loud.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import BotContext
from bot.rules.pipeline import keep_in_touch
from bot.rules.workdays import preset_due
from bot.texts import Safe
from bot.ui import callbacks
from bot.ui.formatting import moment_in_words
from bot.ui.keyboards import button
from storage.models import Contact

USUAL, NONE = "kit", "nonext"  # the card's actions for the two one-tap answers


async def ask_next_step(
    context: BotContext, contact: Contact
) -> tuple[Safe, list[InlineKeyboardButton]] | None:
    """The question and its buttons, when `contact` may be approached and has no follow-up."""
    if contact.do_not_contact or await context.records.next_follow_up(contact.id) is not None:
        return None
    t, days = context.t, _usual_days(context, contact)
    buttons = [
        button(t.plain("nextstep.button.usual", days=days), callbacks.card(contact.id, USUAL)),
        button(t.plain("nextstep.button.pick"), callbacks.meeting("e", contact.id, "follow")),
        button(t.plain("nextstep.button.none"), callbacks.card(contact.id, NONE)),
    ]
    return t("nextstep.ask", name=contact.name), buttons


async def keep_the_rhythm(context: BotContext, contact: Contact) -> Safe:
    """The follow-up after the stage's keep-in-touch period; what to say above the card."""
    seller = context.me
    due = preset_due(
        _usual_days(context, contact),
        zone=seller.timezone,
        digest_hour=seller.digest_hour,
        now=context.now,
    )
    await context.records.follow_up(contact.id, due, exact=False)
    when = moment_in_words(due, seller.timezone, seller.language)
    return context.t("meet.follow_set", name=contact.name, when=when)


def _usual_days(context: BotContext, contact: Contact) -> int:
    return keep_in_touch(context.me.keep_in_touch)[contact.stage]
