"""Button presses on the meeting's questions, each checked against the seller's own data and
the step the meeting is at: a press on an older question finds nothing to do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.meeting.answers import set_follow_up, with_contact
from bot.meeting.draft import Draft, Step, load_draft
from bot.meeting.keyboards import ANSWER_CODES, CRITERION_CODES, OUTCOME_CODES, PRESETS
from bot.meeting.present import present
from bot.meeting.transitions import (
    after_criteria,
    after_criterion,
    after_follow_up,
    follow_up_due,
    start_criteria,
)
from bot.ui.callbacks import Decoded, number
from bot.ui.screen import reply
from storage.models import Contact
from storage.vocabulary import Outcome, Stage

ANSWERS = {code: answer for answer, code in ANSWER_CODES.items()}
CRITERIA_BY_CODE = {code: criterion for criterion, code in CRITERION_CODES.items()}
OUTCOMES = {code: outcome for outcome, code in OUTCOME_CODES.items()}


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


async def load_press(update: Update, context: BotContext, decoded: Decoded) -> Press | None:
    """The press with its draft and contact; None when it names a contact not the seller's
    (id 0 names none: the meeting's contact does not exist yet)."""
    if decoded.target is None:
        return None
    contact = await context.records.contact(decoded.target) if decoded.target else None
    if decoded.target and contact is None:
        return None
    args = [arg for arg in decoded.args if arg]
    return Press(update, context, await load_draft(context), contact, args)


async def _pick_existing(p: Press) -> bool:
    if p.draft is None or p.draft.step != Step.DUPLICATE or p.contact is None:
        return False
    await with_contact(p.update, p.context, p.draft, p.contact, edit=True)
    return True


async def _create_new(p: Press) -> bool:
    if p.draft is None or p.draft.step != Step.DUPLICATE or not p.draft.name:
        return False
    created = await p.context.records.create(
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
    updated = await p.context.records.answer(draft.contact_id or 0, criterion, ANSWERS[p.args[1]])
    assert updated is not None
    after_criterion(draft)
    await present(p.update, p.context, draft)
    return True


async def _keep_known(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != Step.KNOWN or p.contact is None:
        return False
    after_criteria(draft)
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
    if draft is None or contact is None or draft.step != Step.OUTCOME:
        return False
    if choice not in OUTCOMES and choice != "s":
        return False
    outcome = OUTCOMES.get(choice)
    if draft.stage_at_outcome is None:
        draft.stage_at_outcome = contact.stage.value
    store = p.context.records
    if draft.made_dnc and outcome is not Outcome.SAID_NO:
        await store.do_not_contact(contact.id, False)
        draft.made_dnc = False
    if outcome is not None or draft.outcome is not None:
        await store.outcome(contact.id, outcome, stage_before=Stage(draft.stage_at_outcome))
    draft.outcome = outcome.value if outcome else None
    draft.go(Step.PERMISSION if outcome is Outcome.SAID_NO else Step.NEXT)
    await present(p.update, p.context, draft)
    return True


async def _ask_outcome(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != Step.NEXT:
        return False
    draft.go(Step.OUTCOME)
    await present(p.update, p.context, draft)
    return True


async def _permission(p: Press) -> bool:
    """May they be contacted later? No means do-not-contact; Yes lifts an earlier no."""
    draft, contact = p.in_step(), p.contact
    if draft is None or contact is None or draft.step != Step.PERMISSION:
        return False
    if p.args not in (["y"], ["n"]):
        return False
    forbidden = p.args == ["n"]
    if forbidden != contact.do_not_contact:
        await p.context.records.do_not_contact(contact.id, forbidden)
        draft.made_dnc = forbidden
    draft.go(Step.NEXT)
    await present(p.update, p.context, draft)
    return True


async def _follow(p: Press) -> bool:
    draft = p.in_step()
    if draft is None or draft.step != Step.NEXT or not p.args or p.contact is None:
        return False
    choice = p.args[0]
    if choice == "pick":
        draft.go(Step.DATE)
        await present(p.update, p.context, draft)
        return True
    if choice == "none":
        if draft.outcome in (Outcome.NOT_READY, Outcome.SAID_NO) and not p.contact.do_not_contact:
            return False  # not ready / nurture: a follow-up is required
        await p.context.records.follow_up(p.contact.id, None, exact=False)
        after_follow_up(draft, p.contact)
        await present(p.update, p.context, draft)
        return True
    if choice not in PRESETS:
        return False
    await set_follow_up(
        p.update,
        p.context,
        draft,
        follow_up_due(PRESETS[choice][1], seller=p.context.me, now=p.context.now),
        exact=False,
        edit=True,
    )
    return True


async def _to_concern(p: Press) -> bool:
    note_id = number(p.args[0]) if len(p.args) == 1 else None
    if p.contact is None or note_id is None:
        return False
    concern = await p.context.records.note_to_concern(p.contact.id, note_id)
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
        draft.step = Step.SUMMARY
        await present(p.update, p.context, draft)
        return True

    return skip


async def _back(p: Press) -> bool:
    draft = p.in_step()
    if draft is None:
        return False
    if draft.editing or draft.back() is None:
        draft.step = Step.SUMMARY
    await present(p.update, p.context, draft)
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
    "b": _skip_to_card(Step.BIRTHDAY),
    "co": _skip_to_card(Step.COMPANY),
    "back": _back,
}
