"""Button presses during a meeting, each checked against the seller's data and current step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from telegram import Update

from bot import flow
from bot.context import BotContext
from bot.keyboards import number
from bot.meeting import draft as steps
from bot.meeting.answers import place_text, set_follow_up, with_contact
from bot.meeting.card import note_parts
from bot.meeting.draft import Draft
from bot.meeting.entry import begin, start_fresh
from bot.meeting.screens import (
    ANSWER_CODES,
    CRITERION_CODES,
    OUTCOME_CODES,
    PRESETS,
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
from storage.models import Contact
from storage.vocabulary import Outcome, Stage

ANSWERS = {code: answer for answer, code in ANSWER_CODES.items()}
CRITERIA_BY_CODE = {code: criterion for criterion, code in CRITERION_CODES.items()}
OUTCOMES = {code: outcome for outcome, code in OUTCOME_CODES.items()}


async def meet_pressed(update: Update, context: BotContext) -> None:
    """Every meeting button: checked against the seller's own data and current step."""
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    _, action, raw_id, *args = [*query.data.split(":"), ""]
    contact_id = number(raw_id)
    contact_id = -1 if contact_id is None else contact_id
    contact = await store_for(context).contact(contact_id) if contact_id > 0 else None
    draft = await steps.load(context)
    handler = ACTIONS.get(action)
    if handler is None or (contact_id != 0 and contact is None):
        await query.answer(context.t("common.stale"), show_alert=True)
        return
    done = await handler(Press(update, context, draft, contact, [a for a in args if a]))
    if not done:
        await query.answer(context.t("common.stale"), show_alert=True)
        return
    await query.answer()


@dataclass(frozen=True)
class Press:
    """A meeting button press: who pressed, the open draft and the contact it names."""

    update: Update
    context: BotContext
    draft: Draft | None
    contact: Contact | None  # already checked to be the presser's own
    args: list[str]

    def in_step(self) -> Draft | None:
        """The draft, if this press belongs to the meeting in progress."""
        draft, contact = self.draft, self.contact
        if draft is None or contact is None or draft.contact_id != contact.id:
            return None
        return draft


async def _pick_existing(p: Press) -> bool:
    if p.draft is None or p.draft.step != steps.DUPLICATE or p.contact is None:
        return False
    await with_contact(p.update, p.context, p.draft, p.contact, edit=True)
    return True


async def _create_new(p: Press) -> bool:
    if p.draft is None or p.draft.step != steps.DUPLICATE or not p.draft.name:
        return False
    created = await store_for(p.context).create(
        name=p.draft.name, company=p.draft.company, phone=p.draft.phone, source=p.draft.source
    )
    await with_contact(p.update, p.context, p.draft, created, edit=True)
    return True


async def _answer(p: Press) -> bool:
    draft = p.in_step()
    if (
        draft is None
        or len(p.args) != 2
        or p.args[0] not in CRITERIA_BY_CODE
        or p.args[1] not in ANSWERS
    ):
        return False
    criterion = CRITERIA_BY_CODE[p.args[0]]
    if draft.criterion != criterion.value:
        return False
    updated = await store_for(p.context).answer(
        draft.contact_id or 0, criterion, ANSWERS[p.args[1]]
    )
    assert updated is not None
    after_criterion(draft, updated)
    await present(p.update, p.context, draft)
    return True


async def _keep_known(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != steps.KNOWN or p.contact is None:
        return False
    after_criteria(draft, p.contact)
    await present(p.update, p.context, draft)
    return True


async def _change_known(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or p.contact is None:
        return False
    start_criteria(draft, p.contact, ask_all=True)
    await present(p.update, p.context, draft)
    return True


async def _outcome(p: Press) -> bool:
    """How it went. Pressing again after Back replaces the earlier answer and its effects."""
    draft, contact = p.in_step(), p.contact
    choice = p.args[0] if p.args else ""
    if draft is None or contact is None or draft.step != steps.OUTCOME:
        return False
    if choice not in OUTCOMES and choice != "s":
        return False
    outcome = OUTCOMES.get(choice)
    if draft.stage_at_outcome is None:
        draft.stage_at_outcome = contact.stage.value
    store = store_for(p.context)
    if draft.made_dnc and outcome is not Outcome.SAID_NO:
        await store.do_not_contact(contact.id, False)
        draft.made_dnc = False
    if outcome is not None or draft.outcome is not None:
        await store.outcome(contact.id, outcome, stage_before=Stage(draft.stage_at_outcome))
    draft.outcome = outcome.value if outcome else None
    draft.go(steps.PERMISSION if outcome is Outcome.SAID_NO else steps.NEXT)
    await present(p.update, p.context, draft)
    return True


async def _ask_outcome(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != steps.NEXT:
        return False
    draft.go(steps.OUTCOME)
    await present(p.update, p.context, draft)
    return True


async def _permission(p: Press) -> bool:
    """May they be contacted later? No means do-not-contact; Yes lifts an earlier no."""
    draft, contact = p.in_step(), p.contact
    if draft is None or contact is None or draft.step != steps.PERMISSION:
        return False
    if p.args not in (["y"], ["n"]):
        return False
    forbidden = p.args == ["n"]
    if forbidden != contact.do_not_contact:
        await store_for(p.context).do_not_contact(contact.id, forbidden)
        draft.made_dnc = forbidden
    draft.go(steps.NEXT)
    await present(p.update, p.context, draft)
    return True


async def _follow(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != steps.NEXT or not p.args or p.contact is None:
        return False
    choice = p.args[0]
    if choice == "pick":
        draft.go(steps.DATE)
        await present(p.update, p.context, draft)
        return True
    if choice == "none":
        if draft.outcome in (Outcome.NOT_READY, Outcome.SAID_NO) and not p.contact.do_not_contact:
            return False  # not ready / nurture: a follow-up is required
        await store_for(p.context).follow_up(p.contact.id, None, exact=False)
        after_follow_up(draft, p.contact)
        await present(p.update, p.context, draft)
        return True
    if choice not in PRESETS:
        return False
    await set_follow_up(
        p.update,
        p.context,
        draft,
        follow_up_due(PRESETS[choice][1], p.context),
        exact=False,
        edit=True,
    )
    return True


async def _to_concern(p: Press) -> bool:
    note_id = number(p.args[0]) if len(p.args) == 1 else None
    if p.contact is None or note_id is None:
        return False
    concern = await store_for(p.context).note_to_concern(p.contact.id, note_id)
    if concern is None:
        return False
    header = p.context.t("meet.concern_saved")
    draft = p.in_step()
    if draft is not None:
        await present(p.update, p.context, draft, header=header)
    else:
        await reply(p.update, header)
    return True


def _skip_to_card(step: str) -> Callable[[Press], Awaitable[bool]]:
    """A Skip button: leave `step` unanswered and show the card."""

    async def skip(p: Press) -> bool:
        draft = p.in_step()
        if draft is None or draft.step != step:
            return False
        draft.step = "summary"
        await present(p.update, p.context, draft)
        return True

    return skip


async def _back(p: Press) -> bool:
    draft = p.in_step()
    if draft is None:
        return False
    if draft.editing or draft.back() is None:
        draft.step = "summary"
    await present(p.update, p.context, draft)
    return True


async def _edit(p: Press) -> bool:
    """A button on the summary card: reopen one step, then come back to the card."""
    if p.contact is None or len(p.args) != 1:
        return False
    field = p.args[0]
    if field == "notes":
        notes = await store_for(p.context).all_notes(p.contact.id)
        for part in note_parts(p.context.t, p.contact.name, notes) or [
            p.context.t("card.no_notes")
        ]:
            await reply(p.update, part, edit=False)
        return True
    edited = Draft(contact_id=p.contact.id, stage_before=p.contact.stage.value, editing=True)
    if p.draft is not None and p.draft.contact_id != p.contact.id:
        edited.parked = asdict(p.draft)  # a meeting in progress waits until this edit is done
    if field == "crit":
        start_criteria(edited, p.contact, ask_all=True)
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
    await present(p.update, p.context, edited, edit=False)  # the card or list stays
    return True


async def _done(p: Press) -> bool:
    if p.contact is None:
        return False
    query = p.update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(None)
    return True


async def _resume(p: Press) -> bool:
    """Continue the offered draft (placing what was typed since), or close it and start anew.

    Text typed after a draft went stale most likely concerns what comes next: starting anew
    takes the first such text as the new name and keeps the rest as its notes.
    """
    draft = p.draft
    if draft is None or draft.step != steps.RESUME or p.args not in (["c"], ["n"]):
        return False
    incoming, pending = draft.incoming, list(draft.pending_texts)
    draft.incoming, draft.pending_texts = None, []
    if p.args == ["c"]:
        draft.step = draft.resume_from or steps.NAME
        if not pending:
            await present(p.update, p.context, draft)
        for text in pending:
            await steps.save(p.context, draft)  # fresh again: the text goes to its step
            await place_text(p.update, p.context, draft, text)
            draft = await steps.load(p.context) or draft
        return True
    await flow.finish(p.context)
    await reply(p.update, p.context.t("meet.draft_closed"))
    fresh = dict(incoming) if incoming is not None else {}
    if incoming is None and pending:
        fresh["name"] = pending.pop(0)
    notes = [fresh.get("pending_note"), *pending]
    fresh["pending_note"] = "\n\n".join(note for note in notes if note) or None
    await start_fresh(p.update, p.context, fresh)
    return True


async def ask_outcome(update: Update, context: BotContext, contact: Contact) -> None:
    """Ask how it went with `contact`, then go on as /meet does (the follow-up, the notes).

    The contact card's Move stage, and Done under a follow-up reminder, start here.
    """
    draft = Draft(contact_id=contact.id, stage_before=contact.stage.value)
    draft.go(steps.OUTCOME)
    draft.history = []  # Back from here closes to the card
    await present(update, context, draft, edit=False)


async def _move_stage(p: Press) -> bool:
    """Record how it went without logging a meeting (the contact card's Move stage)."""
    if p.contact is None:
        return False
    await ask_outcome(p.update, p.context, p.contact)
    return True


async def start_for_contact(p: Press) -> bool:
    """Log a meeting with an existing contact (the contact card's button)."""
    if p.contact is None:
        return False
    await begin(p.update, p.context, {"contact_id": p.contact.id})
    return True


ACTIONS: dict[str, Callable[[Press], Awaitable[bool]]] = {
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
    "b": _skip_to_card(steps.BIRTHDAY),
    "co": _skip_to_card(steps.COMPANY),
    "back": _back,
    "e": _edit,
    "done": _done,
    "res": _resume,
    "start": start_for_contact,
    "mv": _move_stage,
}
