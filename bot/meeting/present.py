"""Showing the meeting's current step: one message or one edit per reply."""

from __future__ import annotations

from dataclasses import asdict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import flow
from bot.context import BotContext
from bot.meeting.draft import Draft, Step, save_draft
from bot.meeting.keyboards import (
    back_row,
    criterion_keyboard,
    known_keyboard,
    next_keyboard,
    outcome_keyboard,
    permission_keyboard,
    same_person_keyboard,
    similar_keyboard,
    skip_keyboard,
)
from bot.rules.money import currency_for_zone
from bot.rules.qualification import asks_outcome
from bot.texts import Safe
from bot.ui.card import Origin, show_card
from bot.ui.keyboards import markup
from bot.ui.labels import CRITERION_QUESTIONS, criteria_line, stage_line
from bot.ui.screen import drop_buttons, reply
from storage.models import Contact
from storage.vocabulary import Criterion, Outcome, Stage

RESOLVABLE = 3  # open questions from before, each with a ✅ on the follow-up screen


async def present(
    update: Update,
    context: BotContext,
    draft: Draft,
    *,
    header: str | None = None,
    note_id: int | None = None,
    extra: list[InlineKeyboardButton] | None = None,
    screen: tuple[Safe, InlineKeyboardMarkup] | None = None,
    edit: bool = True,
) -> None:
    """Save the draft and show its current step (the summary card ends the conversation).

    `extra` is a row of buttons above the step's own (a one-tap fix for what `header`
    says); `screen` replaces the step's own text and buttons (a question about the answer).
    Only the newest question keeps its buttons: when the step moves to a new message, the
    one before loses them, so an old keyboard can never be pressed by mistake.
    """
    contact = await context.records.contact(draft.contact_id) if draft.contact_id else None
    previous = draft.message_id
    if draft.step == Step.SUMMARY:
        footer = await flow.resume_parked(context, asdict(draft))
        card = await show_card(
            update,
            context,
            draft.contact_id or 0,
            origin=Origin.MEETING,
            header=header,
            footer=footer,
            extra=extra,
            edit=edit,
        )
        if card is None:
            shown = await reply(update, context.t("common.stale"), edit=edit)
        else:
            shown = card.message_id
    else:
        text, keyboard = screen or await _render(context, draft, contact, note_id)
        if extra and keyboard is not None:
            keyboard = InlineKeyboardMarkup([extra, *keyboard.inline_keyboard])
        shown = await reply(update, f"{header}\n\n{text}" if header else text, keyboard, edit=edit)
        # Saved once, after the reply: the update is one transaction, so a failed reply
        # takes the step back anyway, and the draft already names its live message.
        draft.message_id = shown if keyboard is not None else None
        await save_draft(context, draft)
    if previous is not None and shown != previous:
        await drop_buttons(context, previous)


async def _render(
    context: BotContext, draft: Draft, contact: Contact | None, note_id: int | None
) -> tuple[Safe, InlineKeyboardMarkup | None]:
    t, cid = context.t, draft.contact_id or 0
    step = draft.step
    if step == Step.NAME:
        if contact is None:
            return t("meet.ask_name"), None
        return t("meet.ask_rename", name=contact.name), markup(back_row(t, cid))
    if step == Step.DUPLICATE:
        return await _look_alikes(context, draft)
    assert contact is not None, f"step {step} needs a contact"
    name = contact.name
    if step == Step.KNOWN:
        return t("meet.known", name=name, criteria=criteria_line(t, contact)), known_keyboard(
            t, cid
        )
    if draft.criterion is not None:
        criterion = Criterion(draft.criterion)
        text = t(
            "meet.question",
            criteria=criteria_line(t, contact),
            n=draft.asking.index(criterion.value) + 1,
            of=len(draft.asking),
            question=t(CRITERION_QUESTIONS[criterion], name=name),
        )
        return text, criterion_keyboard(t, cid, criterion)
    if step == Step.OUTCOME:
        return t("meet.outcome", name=name), outcome_keyboard(t, cid)
    if step == Step.PERMISSION:
        return t("meet.permission", name=name), permission_keyboard(t, cid)
    if step == Step.NEXT:
        before = set(draft.concerns_before)
        answered = [
            (c.id, c.text) for c in await context.records.open_concerns(cid) if c.id in before
        ][:RESOLVABLE]
        text = _next_text(context, draft, contact)
        if answered:
            hint = t("resolve.hint")
            text = Safe(f"{text}\n\n{hint}")
        return text, next_keyboard(
            t,
            cid,
            outcome=Outcome(draft.outcome) if draft.outcome else None,
            do_not_contact=contact.do_not_contact,
            offer_outcome=draft.outcome is None
            and not asks_outcome(Stage(draft.stage_before or "lead")),
            note_id=note_id,
            answered=answered,
        )
    if step == Step.VALUE:
        currency = currency_for_zone(context.me.timezone)
        return t("sales.ask", name=name, currency=currency), skip_keyboard(t, cid, "v")
    if step == Step.DATE:
        return t("meet.ask_date"), markup(back_row(t, cid))
    if step == Step.BIRTHDAY:
        return t("meet.ask_birthday", name=name), skip_keyboard(t, cid, "b")
    if step == Step.COMPANY:
        return t("meet.ask_company", name=name), skip_keyboard(t, cid, "co")
    raise ValueError(f"unknown meeting step {step!r}")


async def _look_alikes(
    context: BotContext, draft: Draft
) -> tuple[Safe, InlineKeyboardMarkup | None]:
    """ "Is it Åse Kjærstad-Øvrebø · Bøker & Blomster AS?" when one contact clearly is the
    person; otherwise the close names to pick from, or a new contact."""
    t, name = context.t, draft.name or ""
    found = await context.records.look_alikes(
        name,
        telegram_user_id=draft.telegram_user_id,
        phones=[p for p in [draft.phone, *draft.phones] if p],
        emails=draft.emails,
    )
    exact = found.exact if found.exact and found.exact.id == draft.exact_id else None
    if exact is not None:
        who = " · ".join(part for part in (exact.name, exact.company) if part)
        return t("meet.same_person", who=who), same_person_keyboard(t, exact.id)
    return t("meet.similar", name=name), similar_keyboard(t, name, found.similar)


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
