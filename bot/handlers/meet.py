"""/meet: the post-meeting conversation. Ways in, typed answers and button presses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import flow
from bot.context import BotContext
from bot.flow import ANY_STEP
from bot.formatting import day_in_words, moment_in_words
from bot.keyboards import new_meeting_labels
from bot.meeting import draft as steps
from bot.meeting.card import note_parts
from bot.meeting.draft import Draft
from bot.meeting.screens import (
    ANSWER_CODES,
    CRITERION_CODES,
    OUTCOME_CODES,
    PRESETS,
    resume_keyboard,
)
from bot.meeting.steps import (
    after_criteria,
    after_criterion,
    after_follow_up,
    follow_up_due,
    present,
    reply,
    start_criteria,
    store_for,
)
from bot.rules.birthdays import parse_birthday
from bot.rules.dates import due_at, is_past, parse_when
from bot.rules.phones import to_e164
from bot.texts import N_, Texts
from storage.models import NAME_MAX, Contact
from storage.vocabulary import Outcome

ANSWERS = {code: answer for answer, code in ANSWER_CODES.items()}
CRITERIA_BY_CODE = {code: criterion for criterion, code in CRITERION_CODES.items()}
OUTCOMES = {code: outcome for outcome, code in OUTCOME_CODES.items()}


# --- ways in -----------------------------------------------------------------------------


async def meet_command(update: Update, context: BotContext) -> None:
    """/meet, /meet <name>, or the New meeting button."""
    name = " ".join(context.args or [])
    await _begin(update, context, {"name": name} if name else {})


async def contact_shared(update: Update, context: BotContext) -> None:
    """A phone contact card: name and phone prefilled."""
    card = update.effective_message.contact if update.effective_message else None
    assert card is not None
    name = " ".join(filter(None, [card.first_name, card.last_name]))
    phone = to_e164(card.phone_number) if card.phone_number else None
    await _begin(update, context, {"name": name, "phone": phone, "source": "contact"})


async def forwarded(update: Update, context: BotContext) -> None:
    """A message forwarded from the person: their name prefilled, their words kept."""
    message = update.effective_message
    assert message is not None
    origin, name = message.forward_origin, ""
    if origin is not None and origin.type == "user":
        user = origin.sender_user  # type: ignore[attr-defined]
        name = " ".join(filter(None, [user.first_name, user.last_name]))
    elif origin is not None and origin.type == "hidden_user":
        name = origin.sender_user_name  # type: ignore[attr-defined]
    text = message.text or message.caption
    await _begin(update, context, {"name": name, "pending_note": text, "source": "forward"})


async def _begin(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    """Start a meeting, unless an unfinished one should be offered back first."""
    current = await steps.load(context)
    if current is not None and (current.contact_id is not None or current.name):
        current.incoming = incoming
        current.pending_text = None
        await _offer_draft(update, context, current)
        return
    await _start_fresh(update, context, incoming)


async def _start_fresh(update: Update, context: BotContext, incoming: dict[str, Any]) -> None:
    draft = Draft(
        phone=incoming.get("phone"),
        source=incoming.get("source"),
        pending_note=incoming.get("pending_note"),
    )
    if incoming.get("contact_id"):
        contact = await store_for(context).contact(int(incoming["contact_id"]))
        if contact is None:
            await reply(update, context.t("common.stale"))
            return
        await _with_contact(update, context, draft, contact)
    elif incoming.get("name"):
        await _named(update, context, draft, str(incoming["name"]), edit=False)
    else:
        await present(update, context, draft, edit=False)


async def _offer_draft(update: Update, context: BotContext, draft: Draft) -> None:
    contact = await store_for(context).contact(draft.contact_id) if draft.contact_id else None
    name = contact.name if contact else (draft.name or "")
    if draft.step != steps.RESUME:
        draft.go(steps.RESUME)
    await steps.save(context, draft)
    await reply(
        update,
        context.t("meet.resume", name=name),
        resume_keyboard(context.t, draft.contact_id or 0),
        edit=False,
    )


# --- typed answers -----------------------------------------------------------------------


async def meet_text(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    """Whatever the seller types during a meeting goes where it belongs; nothing is dropped."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    await _place_text(update, context, Draft.from_data(data), message.text.strip())


async def _place_text(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    if draft.step == steps.RESUME or (draft.is_stale(datetime.now(UTC)) and draft.contact_id):
        draft.pending_text, draft.incoming = text, None
        await _offer_draft(update, context, draft)
    elif draft.step in (steps.NAME, steps.DUPLICATE):
        await _named(update, context, draft, text, edit=False)
    elif draft.step == steps.COMPANY:
        await _company(update, context, draft, text)
    elif draft.step == steps.DATE:
        await _typed_date(update, context, draft, text)
    elif draft.step == steps.BIRTHDAY:
        await _typed_birthday(update, context, draft, text)
    else:
        await _note(update, context, draft, text)


def _too_long(t: Texts, text: str) -> str | None:
    if len(text) > NAME_MAX:
        return t("meet.too_long", count=len(text), limit=NAME_MAX)
    return None


async def _named(
    update: Update, context: BotContext, draft: Draft, text: str, *, edit: bool
) -> None:
    """A typed name, "Name, Company": rename the contact, or find or create one."""
    name, _, company = (part.strip() for part in text.partition(","))
    problem = _too_long(context.t, name) or _too_long(context.t, company)
    if not name or problem:
        await reply(update, problem or context.t("meet.ask_name"), edit=edit)
        return
    store = store_for(context)
    if draft.contact_id is not None:
        contact = await store.update(
            draft.contact_id, name=name, **({"company": company} if company else {})
        )
        if contact is None:
            await reply(update, context.t("common.stale"), edit=edit)
            return
        if draft.editing:
            draft.step = "summary"
        else:
            start_criteria(draft, contact)
        await present(update, context, draft, edit=edit)
        return
    draft.name, draft.company = name, company or draft.company
    if draft.step != steps.DUPLICATE and await store.similar(name):
        draft.go(steps.DUPLICATE)
        await present(update, context, draft, edit=edit)
        return
    contact = await store.create(
        name=name, company=draft.company, phone=draft.phone, source=draft.source
    )
    await _with_contact(update, context, draft, contact, edit=edit)


async def _with_contact(
    update: Update, context: BotContext, draft: Draft, contact: Contact, *, edit: bool = False
) -> None:
    """The meeting is about `contact` now: log it, then ask what is unknown."""
    draft.contact_id, draft.stage_before = contact.id, contact.stage.value
    await store_for(context).log_meeting(contact.id, forwarded=draft.pending_note)
    draft.pending_note = None
    if draft.phone and not contact.phone:
        contact = await store_for(context).update(contact.id, phone=draft.phone) or contact
    start_criteria(draft, contact)
    await present(update, context, draft, edit=edit)


async def _company(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    problem = _too_long(context.t, text)
    if problem:
        await reply(update, problem, edit=False)
        return
    await store_for(context).update(draft.contact_id or 0, company=text)
    draft.step = "summary"
    await present(update, context, draft, edit=False)


async def _typed_date(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A follow-up date in words; echoed back in words, re-asked if unreadable or past."""
    t, zone, now = context.t, ZoneInfo(context.me.timezone), datetime.now(UTC)
    when = parse_when(text, now=now, zone=zone, language=context.me.language)
    if when is None:
        await reply(update, t("meet.bad_date", typed=text[:100]), edit=False)
        return
    if is_past(when, now=now, zone=zone):
        await reply(
            update, t("meet.past_date", day=day_in_words(when.day, context.me.language)), edit=False
        )
        return
    instant = due_at(when, zone=zone, default_hour=context.me.digest_hour)
    await _set_follow_up(update, context, draft, instant, exact=when.time is not None, edit=False)


async def _typed_birthday(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    today = datetime.now(UTC).astimezone(ZoneInfo(context.me.timezone)).date()
    birthday = parse_birthday(text, today=today)
    if birthday is None:
        await reply(update, context.t("meet.bad_birthday", typed=text[:100]), edit=False)
        return
    await store_for(context).birthday(draft.contact_id or 0, birthday)
    draft.step = "summary"
    await present(update, context, draft, edit=False)


async def _note(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A note, or with a leading "?" an open concern; saved whole, however long."""
    store, t = store_for(context), context.t
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


# --- button presses ----------------------------------------------------------------------


async def meet_pressed(update: Update, context: BotContext) -> None:
    """Every meeting button: checked against the seller's own data and current step."""
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    _, action, raw_id, *args = [*query.data.split(":"), ""]
    contact_id = int(raw_id) if raw_id.isdigit() else -1
    contact = await store_for(context).contact(contact_id) if contact_id > 0 else None
    draft = await steps.load(context)
    handler = ACTIONS.get(action)
    if handler is None or (contact_id != 0 and contact is None):
        await query.answer(context.t("common.stale"), show_alert=True)
        return
    done = await handler(update, context, draft, contact, [a for a in args if a])
    if not done:
        await query.answer(context.t("common.stale"), show_alert=True)
        return
    await query.answer()


def _in_step(draft: Draft | None, contact: Contact | None) -> Draft | None:
    """The draft, if this press belongs to the meeting in progress."""
    if draft is None or contact is None or draft.contact_id != contact.id:
        return None
    return draft


async def _pick_existing(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    if draft is None or draft.step != steps.DUPLICATE or contact is None:
        return False
    await _with_contact(update, context, draft, contact, edit=True)
    return True


async def _create_new(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    if draft is None or draft.step != steps.DUPLICATE or not draft.name:
        return False
    created = await store_for(context).create(
        name=draft.name, company=draft.company, phone=draft.phone, source=draft.source
    )
    await _with_contact(update, context, draft, created, edit=True)
    return True


async def _answer(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or len(args) != 2 or args[0] not in CRITERIA_BY_CODE or args[1] not in ANSWERS:
        return False
    criterion = CRITERIA_BY_CODE[args[0]]
    if draft.criterion != criterion.value:
        return False
    updated = await store_for(context).answer(draft.contact_id or 0, criterion, ANSWERS[args[1]])
    assert updated is not None
    after_criterion(draft, updated)
    await present(update, context, draft)
    return True


async def _keep_known(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.KNOWN or contact is None:
        return False
    after_criteria(draft, contact)
    await present(update, context, draft)
    return True


async def _change_known(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or contact is None:
        return False
    start_criteria(draft, contact, ask_all=True)
    await present(update, context, draft)
    return True


async def _outcome(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if (
        draft is None
        or draft.step != steps.OUTCOME
        or not args
        or (args[0] not in OUTCOMES and args[0] != "s")
    ):
        return False
    if args[0] == "s":
        draft.go(steps.NEXT)
        await present(update, context, draft)
        return True
    outcome = OUTCOMES[args[0]]
    await store_for(context).outcome(draft.contact_id or 0, outcome)
    draft.outcome = outcome.value
    draft.go(steps.PERMISSION if outcome is Outcome.SAID_NO else steps.NEXT)
    await present(update, context, draft)
    return True


async def _ask_outcome(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.NEXT:
        return False
    draft.go(steps.OUTCOME)
    await present(update, context, draft)
    return True


async def _permission(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.PERMISSION or args not in (["y"], ["n"]):
        return False
    if args == ["n"]:
        await store_for(context).do_not_contact(draft.contact_id or 0)
    draft.go(steps.NEXT)
    await present(update, context, draft)
    return True


async def _follow(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.NEXT or not args or contact is None:
        return False
    choice = args[0]
    if choice == "pick":
        draft.go(steps.DATE)
        await present(update, context, draft)
        return True
    if choice == "none":
        if draft.outcome in (Outcome.NOT_READY, Outcome.SAID_NO) and not contact.do_not_contact:
            return False  # not ready / nurture: a follow-up is required
        await store_for(context).follow_up(contact.id, None, exact=False)
        after_follow_up(draft, contact)
        await present(update, context, draft)
        return True
    if choice not in PRESETS:
        return False
    await _set_follow_up(
        update, context, draft, follow_up_due(PRESETS[choice][1], context), exact=False, edit=True
    )
    return True


async def _set_follow_up(
    update: Update, context: BotContext, draft: Draft, instant: datetime, *, exact: bool, edit: bool
) -> None:
    store = store_for(context)
    await store.follow_up(draft.contact_id or 0, instant, exact=exact)
    contact = await store.contact(draft.contact_id or 0)
    assert contact is not None
    header = context.t(
        "meet.follow_set", when=moment_in_words(instant, context.me.timezone, context.me.language)
    )
    after_follow_up(draft, contact)
    await present(update, context, draft, header=header, edit=edit)


async def _to_concern(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    if contact is None or len(args) != 1 or not args[0].isdigit():
        return False
    concern = await store_for(context).note_to_concern(contact.id, int(args[0]))
    if concern is None:
        return False
    header = context.t("meet.concern_saved")
    if _in_step(draft, contact) is not None and draft is not None:
        await present(update, context, draft, header=header)
    else:
        await reply(update, header)
    return True


async def _skip_birthday(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.BIRTHDAY:
        return False
    draft.step = "summary"
    await present(update, context, draft)
    return True


async def _skip_company(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None or draft.step != steps.COMPANY:
        return False
    draft.step = "summary"
    await present(update, context, draft)
    return True


async def _back(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    draft = _in_step(draft, contact)
    if draft is None:
        return False
    if draft.editing or draft.back() is None:
        draft.step = "summary"
    await present(update, context, draft)
    return True


async def _edit(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    """A button on the summary card: reopen one step, then come back to the card."""
    if contact is None or len(args) != 1:
        return False
    field = args[0]
    if field == "notes":
        notes = await store_for(context).all_notes(contact.id)
        for part in note_parts(context.t, contact.name, notes) or [context.t("card.no_notes")]:
            await reply(update, part, edit=False)
        return True
    edited = Draft(contact_id=contact.id, stage_before=contact.stage.value, editing=True)
    if field == "crit":
        start_criteria(edited, contact, ask_all=True)
    else:
        step = {
            "name": steps.NAME,
            "company": steps.COMPANY,
            "follow": steps.NEXT,
            "bday": steps.BIRTHDAY,
        }.get(field)
        if step is None:
            return False
        edited.step = step
    await present(update, context, edited)
    return True


async def _done(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    if contact is None:
        return False
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(None)
    return True


async def _resume(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    if draft is None or draft.step != steps.RESUME or args not in (["c"], ["n"]):
        return False
    incoming, pending = draft.incoming, draft.pending_text
    draft.incoming = draft.pending_text = None
    if args == ["c"]:
        draft.back()
        if pending:
            await steps.save(context, draft)  # fresh again: the text goes to its step
            await _place_text(update, context, draft, pending)
        else:
            await present(update, context, draft)
        return True
    await flow.finish(context)
    await reply(update, context.t("meet.draft_closed"))
    await _start_fresh(
        update,
        context,
        incoming if incoming is not None else ({"name": pending} if pending else {}),
    )
    return True


async def start_for_contact(
    update: Update,
    context: BotContext,
    draft: Draft | None,
    contact: Contact | None,
    args: list[str],
) -> bool:
    """Log a meeting with an existing contact (the contact card's button)."""
    if contact is None:
        return False
    await _begin(update, context, {"contact_id": contact.id})
    return True


ACTIONS = {
    "dup": _pick_existing,
    "new": _create_new,
    "a": _answer,
    "keep": _keep_known,
    "chg": _change_known,
    "o": _outcome,
    "how": _ask_outcome,
    "p": _permission,
    "f": _follow,
    "q": _to_concern,
    "b": _skip_birthday,
    "co": _skip_company,
    "back": _back,
    "e": _edit,
    "done": _done,
    "res": _resume,
    "start": start_for_contact,
}

HANDLERS = [
    CommandHandler("meet", meet_command),
    MessageHandler(filters.Text(new_meeting_labels()), meet_command),
    MessageHandler(filters.CONTACT, contact_shared),
    MessageHandler(filters.FORWARDED & (filters.TEXT | filters.CAPTION), forwarded),
    CallbackQueryHandler(meet_pressed, pattern=r"^m:"),
]
TEXT_STEPS = {(steps.FLOW, ANY_STEP): meet_text}
