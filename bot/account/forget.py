"""/forget_me: a copy first if the seller wants one, a plain warning, then everything erased.

Two questions, each answered by a button or typed: "Export first?" (yes / export / no /
skip) and "Erase everything?", where only a yes erases; anything else keeps everything.
The Yes button works only while that question is the open one, so an old message's button
pressed later erases nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import flow
from bot.account.export import send_export
from bot.context import BotContext
from bot.rules.typed_answers import is_export, is_skip, read_answer
from bot.texts import Texts
from bot.ui import callbacks
from bot.ui.keyboards import button, markup
from bot.ui.screen import drop_buttons, reply
from storage.queries import erase
from storage.vocabulary import Answer

FLOW = "forget"
OFFER, CONFIRM = "offer", "confirm"
FIRST, SKIP, YES, KEEP = "first", "skip", "yes", "keep"


def _offer_keyboard(t: Texts) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("forget.button.export"), callbacks.account(FIRST))],
        [button(t.plain("forget.button.skip"), callbacks.account(SKIP))],
        [button(t.plain("forget.button.keep"), callbacks.account(KEEP))],
    )


def _confirm_keyboard(t: Texts) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("forget.button.yes"), callbacks.account(YES))],
        [button(t.plain("forget.button.keep"), callbacks.account(KEEP))],
    )


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget_me: offer a copy of everything before anything else."""
    shown = await reply(update, context.t("forget.offer"), _offer_keyboard(context.t), edit=False)
    await flow.begin(context, flow=FLOW, step=OFFER, data={"message_id": shown})


async def _ask_confirmation(update: Update, context: BotContext, *, edit: bool) -> None:
    shown = await reply(
        update, context.t("forget.confirm"), _confirm_keyboard(context.t), edit=edit
    )
    await flow.begin(context, flow=FLOW, step=CONFIRM, data={"message_id": shown})


async def _export_then_ask(update: Update, context: BotContext) -> None:
    await send_export(update, context)
    await _ask_confirmation(update, context, edit=False)


async def _erase(update: Update, context: BotContext, *, edit: bool) -> None:
    """Everything of the seller goes, in this update's one transaction."""
    t = context.t
    async with context.sessions.begin() as session:
        await erase.forget_seller(session, seller_id=context.me.id)
    context.seller = None
    await reply(update, t("forget.done"), edit=edit)


async def _keep(update: Update, context: BotContext, *, edit: bool) -> None:
    await flow.finish(context)
    await reply(update, context.t("forget.kept"), edit=edit)


async def pressed(update: Update, context: BotContext) -> None:
    """A button of /forget_me, acted on only on the message asking the open question."""
    query = update.callback_query
    assert query is not None
    decoded = callbacks.decode(query.data or "")
    action = decoded.action if decoded else ""
    state = await flow.current(context)
    pressed_on = query.message.message_id if query.message else None
    open_here = state is not None and state[0] == FLOW and state[2].get("message_id") == pressed_on
    step = state[1] if state is not None and open_here else None
    if action == KEEP and step is not None:
        await query.answer()
        await _keep(update, context, edit=True)
    elif action == FIRST and step == OFFER:
        await query.answer()
        await reply(update, context.t("forget.offer"), None)
        await _export_then_ask(update, context)
    elif action == SKIP and step == OFFER:
        await query.answer()
        await _ask_confirmation(update, context, edit=True)
    elif action == YES and step == CONFIRM:
        await query.answer()
        await _erase(update, context, edit=True)
    else:
        await query.answer(context.t.plain("common.stale"), show_alert=True)


async def offer_typed(update: Update, context: BotContext, data: dict[str, object]) -> None:
    """ "export"/"ja" sends the copy, "skip"/"nei" goes on; anything else keeps everything."""
    text = await _typed(context, data, update)
    answer = read_answer(text)
    if is_export(text) or answer is Answer.YES:
        await _export_then_ask(update, context)
    elif is_skip(text) or answer is Answer.NO:
        await _ask_confirmation(update, context, edit=False)
    else:
        await _keep(update, context, edit=False)


async def confirm_typed(update: Update, context: BotContext, data: dict[str, object]) -> None:
    """Only a yes ("yes", "ja", 👍) erases; anything else keeps everything."""
    if read_answer(await _typed(context, data, update)) is Answer.YES:
        await _erase(update, context, edit=False)
    else:
        await _keep(update, context, edit=False)


async def _typed(context: BotContext, data: dict[str, object], update: Update) -> str:
    """The typed text; the question it answers loses its buttons."""
    message = update.effective_message
    assert message is not None and message.text is not None
    message_id = data.get("message_id")
    if isinstance(message_id, int):
        await drop_buttons(context, message_id)
    return message.text


TEXT_STEPS = {(FLOW, OFFER): offer_typed, (FLOW, CONFIRM): confirm_typed}
