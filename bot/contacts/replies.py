"""Reply to add: Telegram's Reply on a card, a brief or a nudge adds the text to that contact.

The replied-to message names its contact in its own buttons' callback data, so a note can
never land on the wrong person, whatever conversation is open (it stays open). A short text
that reads as a date is offered as the follow-up instead ([📅 Follow-up on …] [📝 Save as
note]); both buttons carry what they need, so nothing waits in a conversation row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import filters

from bot import flow
from bot.contacts.next_step import ask_next_step
from bot.context import BotContext
from bot.rules.dates import due_at, is_past, parse_when
from bot.rules.typed_answers import looks_like_just_a_date, read_answer
from bot.texts import Safe
from bot.ui import callbacks
from bot.ui.callbacks import Prefix, decode
from bot.ui.card import show_card
from bot.ui.follow_ups import follow_up_said
from bot.ui.formatting import moment_in_words
from bot.ui.keyboards import button, markup
from bot.ui.labels import jotted
from bot.ui.screen import drop_buttons, reply
from storage.models import Contact
from storage.queries import reminders
from storage.vocabulary import Answer

NAMING = frozenset({Prefix.CARD, Prefix.BRIEF, Prefix.MEETING, Prefix.REMINDER})
STAMP = "%Y%m%d%H%M"  # a follow-up instant in callback data, UTC
FLOW, ASKED = "reply_date", "asked"  # "Follow-up on …, or a note?" waiting for "ja" / "nei"


def _named(message: Message | None) -> list[tuple[Prefix, int]]:
    """(prefix, id) of every button on `message` that names a contact or a reminder."""
    markup_ = message.reply_markup if message is not None else None
    found = []
    for row in markup_.inline_keyboard if markup_ else ():
        for key in row:
            decoded = decode(str(key.callback_data or ""))
            if decoded is not None and decoded.prefix in NAMING and decoded.target:
                found.append((decoded.prefix, decoded.target))
    return found


class _RepliesToAContact(filters.MessageFilter):
    """A text replying to a bot message whose buttons name a contact."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and bool(_named(message.reply_to_message))


REPLIES_TO_A_CONTACT = _RepliesToAContact()


async def _contact(context: BotContext, named: list[tuple[Prefix, int]]) -> Contact | None:
    """The seller's own contact the buttons name (a reminder's through its contact)."""
    for prefix, target in named:
        contact_id: int | None = target
        if prefix is Prefix.REMINDER:
            async with context.sessions.begin() as session:
                found = await reminders.get_reminder(
                    session, owner_id=context.me.id, reminder_id=target
                )
            contact_id = found.contact_id if found is not None else None
        contact = await context.records.contact(contact_id) if contact_id else None
        if contact is not None:
            return contact
    return None


async def reply_added(update: Update, context: BotContext) -> None:
    """A reply to a card, brief or nudge: a note on that contact, or its follow-up date."""
    message = update.effective_message
    assert message is not None and message.text is not None
    contact = await _contact(context, _named(message.reply_to_message))
    if contact is None:
        await reply(update, context.t("common.stale"), edit=False)
        return
    text = message.text.strip()
    seller = context.me
    zone = ZoneInfo(seller.timezone)
    when = parse_when(text, now=context.now, zone=zone, language=seller.language)
    as_note = (
        callbacks.card(contact.id, "rn", text)
        if callbacks.fits(f"c:{contact.id}:rn:{text}")
        else None
    )
    dated = when is not None and not is_past(when, now=context.now, zone=zone)
    if when is None or not dated or as_note is None or not looks_like_just_a_date(text):
        await add_note(update, context, contact, text)
        return
    instant = due_at(when, zone=zone, default_hour=seller.digest_hour)
    exact = "1" if when.time is not None else "0"
    stamp = instant.astimezone(UTC).strftime(STAMP)
    t = context.t
    when_words = moment_in_words(instant, seller.timezone, seller.language)
    keyboard = markup(
        [
            button(
                t.plain("meet.button.follow_on", when=when_words),
                callbacks.card(contact.id, "fu", stamp, exact),
            )
        ],
        [button(t.plain("meet.button.as_note"), as_note)],
    )
    asked = await reply(update, t("meet.date_or_note", name=contact.name), keyboard, edit=False)
    await _remember_question(context, contact, text, stamp, exact, asked)


async def _remember_question(
    context: BotContext, contact: Contact, text: str, stamp: str, exact: str, asked: int | None
) -> None:
    """Keep "Follow-up on …, or a note?" in the seller's row, so that a typed "ja" or "nei"
    answers it; not while a conversation holds the row (its buttons still answer)."""
    state = await flow.current(context)
    if state is not None and state[0] not in (flow.KEPT_NAMES, FLOW):
        return
    data = {"contact_id": contact.id, "stamp": stamp, "exact": exact, "text": text}
    data["message_id"] = asked
    await flow.begin(context, flow=FLOW, step=ASKED, data=data)


async def forget_question(context: BotContext) -> None:
    """The question was answered by a button: a "ja" typed later is not its answer."""
    state = await flow.current(context)
    if state is not None and state[0] == FLOW:
        await flow.finish(context)


async def typed_answer(update: Update, context: BotContext, data: dict[str, Any]) -> bool:
    """ "ja" / "yes" to "Follow-up on …, or a note?" sets the follow-up, "nei" / "no" keeps
    the text as a note, as the buttons do; anything else goes where it would without the
    question (and ends it)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    answer = read_answer(message.text)
    await flow.finish(context)
    if answer not in (Answer.YES, Answer.NO):
        return False
    if isinstance(data.get("message_id"), int):
        await drop_buttons(context, data["message_id"])  # answered: its buttons are done
    contact = await context.records.contact(int(data.get("contact_id", 0)))
    read = read_stamp(str(data.get("stamp")), str(data.get("exact")))
    if contact is None or read is None:
        await reply(update, context.t("common.stale"), edit=False)
        return True
    if answer is Answer.NO:
        await add_note(update, context, contact, str(data.get("text") or ""))
        return True
    header, extra = await follow_up_set(context, contact, *read)
    await show_card(update, context, contact.id, edit=False, header=header, extra=extra)
    return True


async def add_note(
    update: Update, context: BotContext, contact: Contact, text: str, *, edit: bool = False
) -> None:
    """The text as a note (or with a leading "?" an open question) on `contact`, then its card."""
    saved = await context.records.jot(contact.id, text)
    header = jotted(context.t, saved, contact.name)
    asked = await ask_next_step(context, contact)
    footer, extra = asked if asked is not None else (None, None)
    await show_card(
        update, context, contact.id, edit=edit, header=header, footer=footer, extra=extra
    )


def read_stamp(stamp: str, exact: str) -> tuple[datetime, bool] | None:
    """The follow-up instant and exactness a "📅 Follow-up on …" button carries."""
    if len(stamp) != len("202612111000") or not stamp.isascii() or not stamp.isdigit():
        return None
    try:
        instant = datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return (instant, exact == "1") if exact in ("0", "1") else None


async def follow_up_set(
    context: BotContext, contact: Contact, instant: datetime, exact: bool
) -> tuple[Safe, list[InlineKeyboardButton] | None]:
    """Save the follow-up the reply named; what to say above the card, and a row of buttons
    above its own (a weekend or holiday is flagged with a one-tap move, as in a meeting)."""
    await context.records.follow_up(contact.id, instant, exact=exact)
    return follow_up_said(context, contact.name, instant, callbacks.card(contact.id, "mvd"))
