"""Who the meeting is about, and what the seller writes down: names, notes, concerns."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.meeting.draft import Draft, Step, save_draft
from bot.meeting.keyboards import resume_keyboard
from bot.meeting.present import present
from bot.meeting.transitions import start_criteria
from bot.rules.typed_answers import has_letters
from bot.texts import Texts
from bot.ui.labels import jotted
from bot.ui.screen import drop_buttons, reply
from bot.ui.text_fit import preview
from storage.models import NAME_MAX, Contact, Interaction

NOTE_LONG = 4000


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


def _fit(draft: Draft, text: str) -> str:
    """A name or company within the column's limit, cut at a word; the whole of what was
    longer waits in the draft to be kept as a note, so nothing typed or forwarded is lost."""
    if len(text) <= NAME_MAX:
        return text
    draft.whole_names.append(text)
    return preview(text, NAME_MAX)


async def _keep_whole(update: Update, context: BotContext, draft: Draft) -> None:
    """Once the contact exists: each shortened name saved whole as a note, and said so."""
    if not draft.whole_names or draft.contact_id is None:
        return
    for whole in draft.whole_names:
        await context.records.note(draft.contact_id, whole)
        await reply(
            update,
            context.t("meet.shortened", count=len(whole), limit=NAME_MAX),
            edit=False,
        )
    draft.whole_names = []


async def named(
    update: Update, context: BotContext, draft: Draft, text: str, *, edit: bool
) -> None:
    """A typed name, "Name, Company" (either part may be missing): rename the contact, or
    find or create one. A name needs a letter: "12345" gets a question, not a contact."""
    name, _, company = (_fit(draft, part.strip()) for part in text.partition(","))
    if company:
        draft.company = company
    if not has_letters(name):
        await _ask_name_again(update, context, draft, name, edit=edit)
        return
    if draft.contact_id is not None:
        await _rename(update, context, draft, name, company, edit=edit)
        return
    draft.name = name
    if draft.step != Step.DUPLICATE:
        look_alikes = await context.records.look_alikes(
            name,
            telegram_user_id=draft.telegram_user_id,
            phones=[p for p in [draft.phone, *draft.phones] if p],
            emails=draft.emails,
        )
        if look_alikes:
            draft.exact_id = look_alikes.exact.id if look_alikes.exact else None
            draft.go(Step.DUPLICATE)
            await present(update, context, draft, edit=edit)
            return
    await create_named(update, context, draft, edit=edit)


async def _ask_name_again(
    update: Update, context: BotContext, draft: Draft, typed: str, *, edit: bool
) -> None:
    """No name yet: ask for one, keeping the company if it was given ("/meet , Acme AS")."""
    t = context.t
    if typed:
        text = t("meet.no_letters", typed=typed[:40])
    elif draft.company:
        text = t("meet.ask_name_at", company=draft.company)
    else:
        text = t("meet.ask_name")
    if draft.contact_id is None:
        draft.step = Step.NAME
        await save_draft(context, draft)
    await reply(update, text, edit=edit)


async def _rename(
    update: Update, context: BotContext, draft: Draft, name: str, company: str, *, edit: bool
) -> None:
    fields = {"name": name, **({"company": company} if company else {})}
    contact = await context.records.update(draft.contact_id or 0, **fields)
    if contact is None:
        await reply(update, context.t("common.stale"), edit=edit)
        return
    await _keep_whole(update, context, draft)
    if draft.editing:
        draft.step = Step.SUMMARY
    else:
        start_criteria(draft, contact)
    await present(update, context, draft, edit=edit)


async def create_named(update: Update, context: BotContext, draft: Draft, *, edit: bool) -> None:
    """A new contact from what the draft knows: name, company, phone, e-mail, Telegram id."""
    contact = await context.records.create(
        name=draft.name or "",
        company=draft.company,
        phone=draft.phone,
        source=draft.source,
        email=draft.emails[0] if draft.emails else None,
        telegram_user_id=draft.telegram_user_id,
    )
    await with_contact(update, context, draft, contact, edit=edit)


async def with_contact(
    update: Update, context: BotContext, draft: Draft, contact: Contact, *, edit: bool = False
) -> None:
    """The meeting is about `contact` now: log it, fill in what the draft brought and the
    contact lacks, then ask what is unknown."""
    draft.contact_id, draft.stage_before = contact.id, contact.stage.value
    draft.concerns_before = [c.id for c in await context.records.open_concerns(contact.id)]
    await context.records.log_meeting(contact.id, forwarded=draft.pending_note)
    draft.pending_note = None
    await _keep_whole(update, context, draft)
    gaps: dict[str, object] = {}
    if draft.phone and not contact.phone:
        gaps["phone"] = draft.phone
    if draft.emails and not contact.email:
        gaps["email"] = draft.emails[0]
    if draft.company and not contact.company:
        gaps["company"] = draft.company
    if draft.telegram_user_id and not contact.telegram_user_id:
        gaps["telegram_user_id"] = draft.telegram_user_id
    if gaps:
        contact = await context.records.update(contact.id, **gaps) or contact
    start_criteria(draft, contact)
    await present(update, context, draft, edit=edit)


async def save_company(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    await context.records.update(draft.contact_id or 0, company=_fit(draft, text))
    await _keep_whole(update, context, draft)
    draft.step = Step.SUMMARY
    await present(update, context, draft, edit=False)


async def save_note(
    update: Update, context: BotContext, draft: Draft, text: str, *, edit: bool = False
) -> None:
    """A note, or with a leading "?" an open concern; saved whole, however long, and the
    reply says on whom."""
    records, t = context.records, context.t
    contact = await records.contact(draft.contact_id) if draft.contact_id else None
    if contact is None:
        await present(update, context, draft, edit=edit)
        return
    saved = await records.jot(contact.id, text)
    note_id = saved.id if isinstance(saved, Interaction) else None
    header = jotted(t, saved, contact.name)
    if len(text) > NOTE_LONG:
        header = t("meet.note_long", saved=header, count=len(text))
    await present(update, context, draft, header=header, note_id=note_id, edit=edit)
