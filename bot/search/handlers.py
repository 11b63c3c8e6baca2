"""/find, a bare typed name, and /brief: every way to reach a contact by what you remember.

Bare text with no conversation open is a search when it looks like one (one line, at most
64 characters and five words, see `bot.rules.search.looks_like_search`); anything longer is
a stray note and gets the usual pointer. `/find` or `/brief` alone asks for the name as a
typed step (like any command, it first closes a conversation left open).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import flow
from bot.context import BotContext
from bot.rules.search import looks_like_search
from bot.rules.typed_answers import has_letters
from bot.search.brief import load_brief, render_brief
from bot.search.lookup import Found, look_up, results_keyboard
from bot.texts import N_, Safe
from bot.ui import callbacks
from bot.ui.callbacks import Prefix, decode, pattern
from bot.ui.card import show_card
from bot.ui.keyboards import button, markup, short_label
from bot.ui.screen import reply

FIND, BRIEF, QUERY = "find", "brief", "query"
# What /find and /brief alone ask (a conversation open before was closed by the command).
PROMPTS = {FIND: N_("find.ask"), BRIEF: N_("brief.ask")}
ECHO = 40  # characters of the typed text repeated in a reply
Fallback = Callable[[Update, BotContext], Awaitable[None]]


def _typed(update: Update) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text.strip()


async def _ask(update: Update, context: BotContext, which: str) -> None:
    """Ask for the name as a typed step."""
    await flow.begin(context, flow=which, step=QUERY, data={})
    await reply(update, context.t(PROMPTS[which]), edit=False)


async def _results(update: Update, context: BotContext, text: str, *, bare: bool) -> None:
    """The one contact found opens its card at once; several are listed as buttons opening
    their cards; none is said, with a button that starts /meet with the name typed."""
    found = await look_up(context.sessions, context.me.id, text)
    t, shown = context.t, text[:ECHO]
    if found.total == 1:
        await show_card(update, context, found.matches[0].id, edit=False)
        return
    if not found.matches:
        none = N_("find.none_bare") if bare else N_("find.none")
        await reply(update, t(none, query=shown), await _new_meeting(context, text), edit=False)
        return
    header = (
        t("find.results", query=shown)
        if found.total <= len(found.matches)
        else t("find.results_more", shown=len(found.matches), total=found.total, query=shown)
    )
    await reply(update, header, results_keyboard(found.matches, callbacks.card), edit=False)


async def _new_meeting(context: BotContext, name: str) -> InlineKeyboardMarkup | None:
    """➕ New meeting with <name>: the meeting feature's button (`m:named`), carrying the
    name's code; the name waits in the seller's row (`bot.flow.keep_name`). None when the
    text cannot be a name ("987 65 432") or a conversation is open."""
    name = name.strip()
    code = await flow.keep_name(context, name) if has_letters(name) else None
    if code is None:
        return None
    label = context.t.plain("find.new_meeting", name=short_label(name, ECHO))
    return markup([button(label, callbacks.meeting("named", 0, code))])


async def find_command(update: Update, context: BotContext) -> None:
    """/find <text>: search now; /find alone: ask what to look for."""
    text = " ".join(context.args or [])
    if not text:
        await _ask(update, context, FIND)
        return
    await _results(update, context, text, bare=False)


async def find_typed(update: Update, context: BotContext, _data: dict[str, Any]) -> None:
    """The answer to "who are you looking for?"."""
    await flow.finish(context)
    await _results(update, context, _typed(update), bare=False)


def search_or(otherwise: Fallback) -> Fallback:
    """The free-text fallback: a name-like message is searched, anything else goes on."""

    async def bare_text(update: Update, context: BotContext) -> None:
        """Text outside any conversation: look it up if it could be a name."""
        text = _typed(update)
        if not looks_like_search(text):
            await otherwise(update, context)
            return
        await _results(update, context, text, bare=True)

    return bare_text


async def _brief_screen(
    context: BotContext, contact_id: int
) -> tuple[Safe, InlineKeyboardMarkup] | None:
    """The brief and its Open card button; None when the contact is not this seller's."""
    brief = await load_brief(context, contact_id)
    if brief is None:
        return None
    zone = context.me.timezone
    text = render_brief(
        context.t, brief, zone=zone, today=context.now.astimezone(ZoneInfo(zone)).date()
    )
    return text, markup([button(context.t.plain("find.open_card"), callbacks.card(contact_id))])


async def _brief_for(update: Update, context: BotContext, text: str) -> None:
    found: Found = await look_up(context.sessions, context.me.id, text)
    t, shown = context.t, text[:ECHO]
    screen = await _brief_screen(context, found.winner.id) if found.winner else None
    if screen is not None:
        await reply(update, screen[0], screen[1], edit=False)
    elif found.matches:
        keyboard = results_keyboard(found.matches, callbacks.brief)
        await reply(update, t("brief.choose", query=shown), keyboard, edit=False)
    else:
        await reply(update, t("find.none", query=shown), edit=False)


async def brief_command(update: Update, context: BotContext) -> None:
    """/brief <name>: one clear match shows the brief at once, several offer a choice."""
    text = " ".join(context.args or [])
    if not text:
        await _ask(update, context, BRIEF)
        return
    await _brief_for(update, context, text)


async def brief_typed(update: Update, context: BotContext, _data: dict[str, Any]) -> None:
    """The answer to "who are you meeting?"."""
    await flow.finish(context)
    await _brief_for(update, context, _typed(update))


async def brief_pressed(update: Update, context: BotContext) -> None:
    """b:<id>, a pick from the choice: the brief replaces the choice; a foreign id finds nothing."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode(query.data)
    contact_id = decoded.target if decoded and decoded.prefix is Prefix.BRIEF else None
    screen = None if contact_id is None else await _brief_screen(context, contact_id)
    if screen is None:
        await query.answer(context.t.plain("find.not_found"), show_alert=True)
        return
    await query.answer()
    await reply(update, screen[0], screen[1])


HANDLERS = [
    CommandHandler("find", find_command),
    CommandHandler("brief", brief_command),
    CallbackQueryHandler(brief_pressed, pattern=pattern(Prefix.BRIEF)),
]
TEXT_STEPS = {(FIND, QUERY): find_typed, (BRIEF, QUERY): brief_typed}
