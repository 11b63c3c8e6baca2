"""First contact: greet, say what the bot does, confirm the time zone, set the command menu."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from telegram import Update

from bot import flow
from bot.commands import set_chat_menu
from bot.context import BotContext
from bot.records import planning
from bot.rules.timezones import local_clock, match_zone
from bot.rules.typed_answers import read_answer
from bot.settings import keyboards
from bot.settings.summary import settings_summary
from bot.ui.callbacks import decode
from bot.ui.keyboards import new_meeting
from bot.ui.screen import drop_buttons
from storage.queries import sellers
from storage.vocabulary import Answer

FLOW = "timezone"
STEP = "typed"  # the list is shown: a city or zone name is expected
CONFIRM = "confirm"  # "Is <zone> right?": yes, no, or a city typed at once


async def start(update: Update, context: BotContext) -> None:
    """Greet in the seller's language and ask them to confirm their time zone."""
    seller, t = context.me, context.t
    assert update.effective_message is not None and update.effective_user is not None
    if not seller.active:
        async with context.sessions.begin() as session:
            context.seller = await sellers.update_seller(session, seller_id=seller.id, active=True)
    await set_chat_menu(context.bot, update.effective_message.chat_id, seller.language)
    name = update.effective_user.first_name
    clock = local_clock(seller.timezone, context.now)
    if seller.timezone_confirmed:
        await update.effective_message.reply_text(
            t("start.welcome_back", name=name, zone=seller.timezone, clock=clock),
            reply_markup=new_meeting(t),
        )
        return
    greeting = t("start.greeting", name=name)
    question = t("tz.question", zone=seller.timezone, clock=clock)
    asked = await update.effective_message.reply_text(
        f"{greeting}\n\n{question}", reply_markup=keyboards.zone_confirm(t, seller.timezone)
    )
    if await flow.current(context) is None:  # a typed answer is read; an open meeting stays
        data = {"origin": keyboards.ONBOARDING, "message_id": asked.message_id}
        await flow.begin(context, flow=FLOW, step=CONFIRM, data=data)


async def zone_pressed(update: Update, context: BotContext) -> None:
    """A time zone button: show the list, or save the zone that was picked."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode(query.data)
    origin, choice = (decoded.action, ":".join(decoded.args)) if decoded else ("", "")
    t = context.t
    if choice == keyboards.LIST:
        await query.answer()
        await flow.begin(context, flow=FLOW, step=STEP, data={"origin": origin})
        await query.edit_message_text(t("tz.pick"), reply_markup=keyboards.zone_list(t, origin))
        return
    zone = match_zone(choice)
    if zone is None:
        await query.answer(t("common.stale"), show_alert=True)
        return
    await query.answer()
    await flow.finish(context)
    await _save_zone(context, zone)
    now = context.now
    if origin == keyboards.SETTINGS:
        await query.edit_message_text(
            settings_summary(context.t, context.me, now),
            reply_markup=keyboards.settings_menu(
                context.t, calendar=context.settings.webhook_url is not None
            ),
        )
    else:
        await query.edit_message_text(_zone_saved(context, now))
        await context.bot.send_message(
            context.me.id, context.t("start.next"), reply_markup=new_meeting(context.t)
        )


async def zone_typed(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """The seller typed a zone or a city instead of pressing a button."""
    message = update.effective_message
    assert message is not None and message.text is not None
    # Off the event loop: the first city typed reads every city's name (about a second).
    zone = await asyncio.to_thread(match_zone, message.text)
    if zone is None:
        await message.reply_text(context.t("tz.unknown", typed=message.text[:64]))
        return
    await flow.finish(context)
    await _save_zone(context, zone)
    now = context.now
    if data.get("origin") == keyboards.SETTINGS:
        await message.reply_text(
            settings_summary(context.t, context.me, now),
            reply_markup=keyboards.settings_menu(
                context.t, calendar=context.settings.webhook_url is not None
            ),
        )
    else:
        ready = context.t("start.next")
        await message.reply_text(
            f"{_zone_saved(context, now)}\n\n{ready}", reply_markup=new_meeting(context.t)
        )


async def confirm_typed(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Typed at "Is <zone> right?": "yes"/"ja" keeps it, "no"/"nei" shows the list, and
    anything else is read as the city they are in ("Tromsø", "Bergen")."""
    message = update.effective_message
    assert message is not None and message.text is not None
    answer = read_answer(message.text)
    if answer not in (Answer.YES, Answer.NO):
        answer = None  # "not sure" is no answer to this question
    if answer is None and await asyncio.to_thread(match_zone, message.text) is None:
        await zone_typed(update, context, data)  # "I don't know a zone called …"; still asked
        return
    if isinstance(data.get("message_id"), int):
        await drop_buttons(context, data["message_id"])  # answered: its buttons are done
    if answer is Answer.NO:
        await flow.begin(context, flow=FLOW, step=STEP, data=data)
        t = context.t
        origin = str(data.get("origin", keyboards.ONBOARDING))
        await message.reply_text(t("tz.pick"), reply_markup=keyboards.zone_list(t, origin))
        return
    if answer is None:  # a city that names a zone
        await zone_typed(update, context, data)
        return
    await flow.finish(context)
    await _save_zone(context, context.me.timezone)
    ready = context.t("start.next")
    await message.reply_text(
        f"{_zone_saved(context, context.now)}\n\n{ready}", reply_markup=new_meeting(context.t)
    )


async def _save_zone(context: BotContext, zone: str) -> None:
    """Save the zone; pending reminders move with it (see `bot.records.planning`)."""
    before, hour = context.me.timezone, context.me.digest_hour
    async with context.sessions.begin() as session:
        context.seller = await sellers.update_seller(
            session, seller_id=context.me.id, timezone=zone, timezone_confirmed=True
        )
        await planning.replan_for_settings(
            session,
            seller=context.seller,
            old_zone=before,
            old_digest_hour=hour,
            now=context.now,
        )


def _zone_saved(context: BotContext, now: datetime) -> str:
    zone = context.me.timezone
    return context.t("tz.saved", zone=zone, clock=local_clock(zone, now))


TEXT_STEPS = {(FLOW, STEP): zone_typed, (FLOW, CONFIRM): confirm_typed}
