"""Where the meeting goes next, and showing that step: one message or one edit per reply."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import flow
from bot.context import BotContext
from bot.keyboards import markup
from bot.meeting import draft as steps_
from bot.meeting.card import render_card
from bot.meeting.draft import Draft
from bot.meeting.screens import (
    QUESTIONS,
    back_row,
    card_keyboard,
    criteria_line,
    criterion_keyboard,
    known_keyboard,
    next_keyboard,
    outcome_keyboard,
    permission_keyboard,
    similar_keyboard,
    skip_keyboard,
    stage_line,
)
from bot.meeting.store import MeetingStore, answers_of
from bot.rules.dates import When, due_at, next_workday
from bot.rules.qualification import CRITERIA, asks_outcome, unknown_criteria
from bot.texts import Safe
from storage.models import Contact
from storage.vocabulary import Criterion, Outcome, Stage


def store_for(context: BotContext) -> MeetingStore:
    return MeetingStore(context.sessions, context.me.id)


async def reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> int | None:
    """Edit the message whose button was pressed, or answer typed text with a new message.

    The id of the message now showing `text`, when known.
    """
    query = update.callback_query
    if query is not None and edit:
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise
        return query.message.message_id if query.message else None
    message = update.effective_message
    assert message is not None
    sent = await message.reply_text(text, reply_markup=keyboard)
    return sent.message_id


async def present(
    update: Update,
    context: BotContext,
    draft: Draft,
    *,
    header: str | None = None,
    note_id: int | None = None,
    edit: bool = True,
) -> None:
    """Save the draft and show its current step (the summary card ends the conversation).

    Only the newest question keeps its buttons: when the step moves to a new message, the
    one before loses them, so an old keyboard can never be pressed by mistake.
    """
    contact = await store_for(context).contact(draft.contact_id) if draft.contact_id else None
    previous = draft.message_id
    if draft.step == "summary":
        footer = await _unpark(context, draft)
        shown = await show_card(
            update, context, draft.contact_id or 0, header=header, footer=footer, edit=edit
        )
    else:
        await steps_.save(context, draft)
        text, keyboard = await _render(context, draft, contact, note_id)
        shown = await reply(update, f"{header}\n\n{text}" if header else text, keyboard, edit=edit)
        live = shown if keyboard is not None else None
        if live != previous:
            draft.message_id = live
            await steps_.save(context, draft)
    if previous is not None and shown != previous:
        await drop_buttons(context, previous)


async def drop_buttons(context: BotContext, message_id: int) -> None:
    with suppress(BadRequest):  # already without buttons, or deleted by the seller
        await context.bot.edit_message_reply_markup(context.me.id, message_id, reply_markup=None)


async def _render(
    context: BotContext, draft: Draft, contact: Contact | None, note_id: int | None
) -> tuple[Safe, InlineKeyboardMarkup | None]:
    t, cid = context.t, draft.contact_id or 0
    step = draft.step
    if step == steps_.NAME:
        if contact is None:
            return t("meet.ask_name"), None
        return t("meet.ask_rename", name=contact.name), markup(back_row(t, cid))
    if step == steps_.DUPLICATE:
        matches = list(await store_for(context).similar(draft.name or ""))
        return t("meet.similar", name=draft.name or ""), similar_keyboard(
            t, draft.name or "", matches
        )
    assert contact is not None, f"step {step} needs a contact"
    name = contact.name
    if step == steps_.KNOWN:
        return t("meet.known", name=name, criteria=criteria_line(t, contact)), known_keyboard(
            t, cid
        )
    if draft.criterion is not None:
        criterion = Criterion(draft.criterion)
        position = draft.asking.index(criterion.value) + 1
        question = t(QUESTIONS[criterion], name=name)
        text = t(
            "meet.question",
            criteria=criteria_line(t, contact),
            n=position,
            of=len(draft.asking),
            question=question,
        )
        return text, criterion_keyboard(t, cid, criterion)
    if step == steps_.OUTCOME:
        return t("meet.outcome", name=name), outcome_keyboard(t, cid)
    if step == steps_.PERMISSION:
        return t("meet.permission", name=name), permission_keyboard(t, cid)
    if step == steps_.NEXT:
        return _next_text(context, draft, contact), next_keyboard(
            t,
            cid,
            outcome=_outcome(draft),
            do_not_contact=contact.do_not_contact,
            offer_outcome=draft.outcome is None
            and not asks_outcome(Stage(draft.stage_before or "lead")),
            note_id=note_id,
        )
    if step == steps_.DATE:
        return t("meet.ask_date"), markup(back_row(t, cid))
    if step == steps_.BIRTHDAY:
        return t("meet.ask_birthday", name=name), skip_keyboard(t, cid, "b")
    if step == steps_.COMPANY:
        return t("meet.ask_company", name=name), skip_keyboard(t, cid, "co")
    raise ValueError(f"unknown meeting step {step!r}")


def _outcome(draft: Draft) -> Outcome | None:
    return Outcome(draft.outcome) if draft.outcome else None


def _next_text(context: BotContext, draft: Draft, contact: Contact) -> Safe:
    t = context.t
    status = t("meet.status", name=contact.name, stage=stage_line(t, contact))
    if contact.do_not_contact:
        ask = t("meet.next.dnc", name=contact.name)
    elif draft.outcome == Outcome.NOT_READY:
        ask = t("meet.next.not_ready")
    elif draft.outcome == Outcome.SAID_NO:
        ask = t("meet.next.nurture")
    else:
        ask = t("meet.next")
    hint = t("meet.notes_hint")
    return Safe(f"{status}\n\n{hint}\n{ask}")


async def show_card(
    update: Update,
    context: BotContext,
    contact_id: int,
    *,
    header: str | None = None,
    footer: str | None = None,
    edit: bool = True,
) -> int | None:
    """Show the summary card with its edit buttons; the conversation is over (unless an
    interrupted meeting was put back, see `_unpark`)."""
    card = await store_for(context).card(contact_id)
    if card is None:
        return await reply(update, context.t("common.stale"), edit=edit)
    text = "\n\n".join(
        filter(None, [header, render_card(context.t, card, context.me.timezone), footer])
    )
    return await reply(update, text, card_keyboard(context.t, contact_id), edit=edit)


async def _unpark(context: BotContext, draft: Draft) -> str | None:
    """End this conversation; put back a meeting it interrupted, and say how to go on."""
    if draft.parked is None:
        await flow.finish(context)
        return None
    parked = Draft.from_data(draft.parked)
    await steps_.save(context, parked)
    contact = await store_for(context).contact(parked.contact_id) if parked.contact_id else None
    return context.t("meet.parked", name=contact.name if contact else parked.name or "")


# --- transitions -------------------------------------------------------------------------


def start_criteria(draft: Draft, contact: Contact, *, ask_all: bool = False) -> None:
    """Ask only what is unknown; when everything is known, offer to keep it in one tap."""
    asking = list(CRITERIA) if ask_all else unknown_criteria(answers_of(contact))
    draft.asking = [c.value for c in asking]
    if asking:
        draft.go(steps_.CRITERION + asking[0].value)
    else:
        draft.go(steps_.KNOWN)


def after_criterion(draft: Draft, contact: Contact) -> None:
    current = draft.criterion
    remaining = draft.asking[draft.asking.index(current) + 1 :] if current in draft.asking else []
    if remaining:
        draft.go(steps_.CRITERION + remaining[0])
    else:
        after_criteria(draft, contact)


def after_criteria(draft: Draft, contact: Contact) -> None:
    if draft.editing:
        draft.step = "summary"
    elif asks_outcome(Stage(draft.stage_before or Stage.LEAD)):
        draft.go(steps_.OUTCOME)
    else:
        draft.go(steps_.NEXT)


def after_follow_up(draft: Draft, contact: Contact) -> None:
    """The birthday is asked once, and never for someone who must not be contacted."""
    if draft.editing or contact.birth_month is not None or contact.do_not_contact:
        draft.step = "summary"
    else:
        draft.go(steps_.BIRTHDAY)


def follow_up_due(days: int, context: BotContext) -> datetime:
    """A preset follow-up lands on that local day at the seller's digest hour.

    Presets further out than tomorrow skip the weekend: "in 3 days" said on a Thursday
    means Monday, not a Sunday nobody will act on.
    """
    zone = ZoneInfo(context.me.timezone)
    today = datetime.now(UTC).astimezone(zone).date()
    day = today + timedelta(days=days)
    if days > 1:
        day = next_workday(day)
    return due_at(When(day, None), zone=zone, default_hour=context.me.digest_hour)
