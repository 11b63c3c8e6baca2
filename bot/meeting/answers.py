"""Typed answers during a meeting: names, company, dates, birthdays, notes and concerns."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import BotContext
from bot.meeting.draft import Draft, Step, save_draft
from bot.meeting.keyboards import resume_keyboard
from bot.meeting.present import present
from bot.meeting.transitions import after_follow_up, start_criteria
from bot.rules.birthdays import parse_birthday
from bot.rules.dates import due_at, is_past, parse_when
from bot.texts import N_, Texts
from bot.ui.formatting import day_in_words, moment_in_words
from bot.ui.screen import drop_buttons, reply
from bot.ui.text_fit import preview
from storage.models import NAME_MAX, Contact


async def offer_draft(update: Update, context: BotContext, draft: Draft) -> None:
    """ "Continue your note about Kari?", keeping where the draft was and what came since."""
    contact = await context.records.contact(draft.contact_id) if draft.contact_id else None
    name = contact.name if contact else (draft.name or "")
    if draft.step != Step.RESUME:
        draft.resume_from, draft.step = draft.step, Step.RESUME
    keyboard = resume_keyboard(context.t, draft.contact_id or 0, _new_label(context.t, draft))
    previous = draft.message_id
    draft.message_id = await reply(
        update, context.t("meet.resume", name=name), keyboard, edit=False
    )
    await save_draft(context, draft)
    if previous is not None:
        await drop_buttons(context, previous)


def _new_label(t: Texts, draft: Draft) -> str:
    """Say what "start a new one" will do with what is waiting, so nothing surprises."""
    waiting = (draft.incoming or {}).get("name") or (
        draft.pending_texts[0] if draft.pending_texts else ""
    )
    if waiting and len(waiting) <= NAME_MAX:
        return t.plain("meet.button.start_new_named", name=preview(waiting, 30))
    return t.plain("meet.button.start_new")


async def place_text(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    if draft.step == Step.RESUME or (draft.is_stale(context.now) and draft.contact_id):
        draft.pending_texts.append(text)
        await offer_draft(update, context, draft)
    elif draft.step in (Step.NAME, Step.DUPLICATE):
        await named(update, context, draft, text, edit=False)
    elif draft.step == Step.COMPANY:
        await _company(update, context, draft, text)
    elif draft.step == Step.DATE:
        await _typed_date(update, context, draft, text)
    elif draft.step == Step.BIRTHDAY:
        await _typed_birthday(update, context, draft, text)
    else:
        await _note(update, context, draft, text)


def _too_long(t: Texts, text: str) -> str | None:
    if len(text) > NAME_MAX:
        return t("meet.too_long", count=len(text), limit=NAME_MAX)
    return None


async def named(
    update: Update, context: BotContext, draft: Draft, text: str, *, edit: bool
) -> None:
    """A typed name, "Name, Company": rename the contact, or find or create one."""
    name, _, company = (part.strip() for part in text.partition(","))
    problem = _too_long(context.t, name) or _too_long(context.t, company)
    if not name or problem:
        await reply(update, problem or context.t("meet.ask_name"), edit=edit)
        return
    store = context.records
    if draft.contact_id is not None:
        contact = await store.update(
            draft.contact_id, name=name, **({"company": company} if company else {})
        )
        if contact is None:
            await reply(update, context.t("common.stale"), edit=edit)
            return
        if draft.editing:
            draft.step = Step.SUMMARY
        else:
            start_criteria(draft, contact)
        await present(update, context, draft, edit=edit)
        return
    draft.name, draft.company = name, company or draft.company
    if draft.step != Step.DUPLICATE and await store.similar(name):
        draft.go(Step.DUPLICATE)
        await present(update, context, draft, edit=edit)
        return
    contact = await store.create(
        name=name, company=draft.company, phone=draft.phone, source=draft.source
    )
    await with_contact(update, context, draft, contact, edit=edit)


async def with_contact(
    update: Update, context: BotContext, draft: Draft, contact: Contact, *, edit: bool = False
) -> None:
    """The meeting is about `contact` now: log it, then ask what is unknown."""
    draft.contact_id, draft.stage_before = contact.id, contact.stage.value
    await context.records.log_meeting(contact.id, forwarded=draft.pending_note)
    draft.pending_note = None
    if draft.phone and not contact.phone:
        contact = await context.records.update(contact.id, phone=draft.phone) or contact
    start_criteria(draft, contact)
    await present(update, context, draft, edit=edit)


async def _company(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    problem = _too_long(context.t, text)
    if problem:
        await reply(update, problem, edit=False)
        return
    await context.records.update(draft.contact_id or 0, company=text)
    draft.step = Step.SUMMARY
    await present(update, context, draft, edit=False)


async def _typed_date(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A follow-up date in words; echoed back in words, re-asked if unreadable or past."""
    t, zone, now = context.t, ZoneInfo(context.me.timezone), context.now
    when = parse_when(text, now=now, zone=zone, language=context.me.language)
    if when is None:
        await reply(update, t("meet.bad_date", typed=text[:100]), edit=False)
        return
    if is_past(when, now=now, zone=zone):
        day = day_in_words(when.day, context.me.language)
        await reply(update, t("meet.past_date", day=day[:1].upper() + day[1:]), edit=False)
        return
    instant = due_at(when, zone=zone, default_hour=context.me.digest_hour)
    await set_follow_up(update, context, draft, instant, exact=when.time is not None, edit=False)


async def _typed_birthday(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    today = context.now.astimezone(ZoneInfo(context.me.timezone)).date()
    birthday = parse_birthday(text, today=today)
    if birthday is None:
        await reply(update, context.t("meet.bad_birthday", typed=text[:100]), edit=False)
        return
    await context.records.birthday(draft.contact_id or 0, birthday)
    draft.step = Step.SUMMARY
    await present(update, context, draft, edit=False)


async def _note(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A note, or with a leading "?" an open concern; saved whole, however long."""
    store, t = context.records, context.t
    if draft.contact_id is None:
        await present(update, context, draft, edit=False)
        return
    header_key = N_("meet.note_saved")
    note_id = None
    if text.startswith("?") and text[1:].strip():
        await store.concern(draft.contact_id, text[1:].strip())
        header_key = N_("meet.concern_saved")
    else:
        note = await store.note(draft.contact_id, text)
        note_id = note.id if note else None
    header = t(header_key)
    if len(text) > 4000:
        header = t("meet.note_long", saved=header, count=len(text))
    await present(update, context, draft, header=header, note_id=note_id, edit=False)


async def set_follow_up(
    update: Update, context: BotContext, draft: Draft, instant: datetime, *, exact: bool, edit: bool
) -> None:
    store = context.records
    await store.follow_up(draft.contact_id or 0, instant, exact=exact)
    contact = await store.contact(draft.contact_id or 0)
    assert contact is not None
    header = context.t(
        "meet.follow_set", when=moment_in_words(instant, context.me.timezone, context.me.language)
    )
    after_follow_up(draft, contact)
    await present(update, context, draft, header=header, edit=edit)
