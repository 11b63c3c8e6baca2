"""Button presses on the meeting's questions, each checked against the seller's own data and
the step the meeting is at: a press on an older question finds nothing to do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.meeting import moves
from bot.meeting.answers import create_named, save_note, with_contact
from bot.meeting.calendar import NOTHING, PICK_DAY, SHOW_MONTH
from bot.meeting.draft import Draft, Step, load_draft
from bot.meeting.keyboards import ANSWER_CODES, CRITERION_CODES, OUTCOME_CODES, PRESETS
from bot.meeting.moves import Turn
from bot.meeting.present import present
from bot.rules.calendar import parse_day, parse_month
from bot.ui.callbacks import Decoded, number
from bot.ui.screen import reply
from storage.models import Contact

ANSWERS = {code: answer for answer, code in ANSWER_CODES.items()}
CRITERIA_BY_CODE = {code: criterion for criterion, code in CRITERION_CODES.items()}
OUTCOMES = {code: outcome for outcome, code in OUTCOME_CODES.items()}
# Keep in touch after a no: in how many days (the nurture presets), or never (None).
PERMISSIONS = {"y": "3m", "y6": "6m", "n": None}


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


def _turn(p: Press, step: str | None = None) -> Turn | None:
    """The press as an answer to the meeting in progress (at `step`, when given)."""
    draft = p.in_step()
    if draft is None or p.contact is None or (step is not None and draft.step != step):
        return None
    return Turn(p.update, p.context, draft, p.contact, edit=True)


async def _pick_existing(p: Press) -> bool:
    if p.draft is None or p.draft.step != Step.DUPLICATE or p.contact is None:
        return False
    await with_contact(p.update, p.context, p.draft, p.contact, edit=True)
    return True


async def _create_new(p: Press) -> bool:
    if p.draft is None or p.draft.step != Step.DUPLICATE or not p.draft.name:
        return False
    await create_named(p.update, p.context, p.draft, edit=True)
    return True


async def _answer(p: Press) -> bool:
    turn = _turn(p)
    if turn is None or len(p.args) != 2:
        return False
    criterion, answer = CRITERIA_BY_CODE.get(p.args[0]), ANSWERS.get(p.args[1])
    if criterion is None or answer is None or turn.draft.criterion != criterion.value:
        return False
    await moves.answer_criterion(turn, criterion, answer)
    return True


async def _keep_known(p: Press) -> bool:
    turn = _turn(p, Step.KNOWN)
    if turn is None:
        return False
    await moves.keep_known(turn)
    return True


async def _change_known(p: Press) -> bool:
    turn = _turn(p)
    if turn is None:
        return False
    await moves.change_known(turn)
    return True


async def _outcome(p: Press) -> bool:
    """How it went, from its own question or from the follow-up screen."""
    turn = _turn(p)
    choice = p.args[0] if p.args else ""
    if turn is None or turn.draft.step not in (Step.OUTCOME, Step.NEXT):
        return False
    if choice not in OUTCOMES and choice != "s":
        return False
    await moves.record_outcome(turn, OUTCOMES.get(choice))
    return True


async def _permission(p: Press) -> bool:
    """May they be contacted later? No means do-not-contact; Yes lifts an earlier no."""
    turn = _turn(p, Step.PERMISSION)
    if turn is None or not p.args or p.args[0] not in PERMISSIONS:
        return False
    await moves.allow_contact(turn, PERMISSIONS[p.args[0]])
    return True


async def _follow(p: Press) -> bool:
    turn = _turn(p, Step.NEXT)
    if turn is None or not p.args:
        return False
    choice = p.args[0]
    if choice == "pick":
        await moves.show_calendar(turn)
        return True
    if choice == "none":
        return await moves.no_follow_up(turn)
    if choice not in PRESETS:
        return False
    await moves.follow_up_at(turn, moves.preset_due(turn, PRESETS[choice][1]), exact=False)
    return True


async def _date_confirmed(p: Press) -> bool:
    """ "📅 Follow-up on …" or "📝 Just the note" under a typed text that could be either (the
    text is a note either way: `moves.keep_pending_note`)."""
    turn = _turn(p)
    pending = turn.draft.pending_follow_up if turn else None
    if turn is None or pending is None or p.args not in (["y"], ["n"]):
        return False
    if p.args == ["y"]:
        at = datetime.fromisoformat(pending["at"])
        await moves.follow_up_at(turn, at, exact=bool(pending["exact"]))
        return True
    turn.draft.pending_follow_up = None
    await save_note(p.update, p.context, turn.draft, str(pending.get("note") or ""), edit=True)
    return True


async def _move_day(p: Press) -> bool:
    """➡️ Move to the next working day: the follow-up just set, off a weekend or holiday
    (also from the card, once the meeting is over)."""
    if p.contact is None:
        return False
    follow_up = await p.context.records.next_follow_up(p.contact.id)
    if follow_up is None:
        return False
    draft = p.in_step() or Draft(
        contact_id=p.contact.id, stage_before=p.contact.stage.value, editing=True
    )
    turn = Turn(p.update, p.context, draft, p.contact, edit=True)
    await moves.move_to_working_day(turn, follow_up.due_at, follow_up.exact_time)
    return True


async def _calendar_month(p: Press) -> bool:
    turn = _turn(p, Step.DATE)
    month = parse_month(p.args[0]) if len(p.args) == 1 else None
    if turn is None or month is None:
        return False
    await moves.show_calendar(turn, month)
    return True


async def _calendar_day(p: Press) -> bool:
    turn = _turn(p, Step.DATE)
    day = parse_day(p.args[0]) if len(p.args) == 1 else None
    if turn is None or day is None:
        return False
    return await moves.picked_day(turn, day)


async def _nothing(p: Press) -> bool:
    """A calendar cell that is not a day to pick (a title, a past day): no alert, no change."""
    return True


async def _to_concern(p: Press) -> bool:
    note_id = number(p.args[0]) if len(p.args) == 1 else None
    if p.contact is None or note_id is None:
        return False
    concern = await p.context.records.note_to_concern(p.contact.id, note_id)
    if concern is None:
        return False
    header = p.context.t("meet.concern_saved", name=p.contact.name)
    draft = p.in_step()
    if draft is not None:
        await present(p.update, p.context, draft, header=header)
    else:
        await reply(p.update, header)
    return True


async def _skip_birthday(p: Press) -> bool:
    turn = _turn(p, Step.BIRTHDAY)
    if turn is None:
        return False
    await moves.skip_birthday(turn)
    return True


async def _answered(p: Press) -> bool:
    """✅ on an open question from an earlier meeting: answered now, one tap."""
    turn = _turn(p, Step.NEXT)
    concern_id = number(p.args[0]) if turn is not None and len(p.args) == 1 else None
    if turn is None or concern_id is None or concern_id not in turn.draft.concerns_before:
        return False
    if not await p.context.records.resolve_concern(turn.contact.id, concern_id):
        return False
    await turn.show(header=p.context.t("resolve.done"))
    return True


async def _skip_value(p: Press) -> bool:
    turn = _turn(p, Step.VALUE)
    if turn is None:
        return False
    await moves.skip_value(turn)
    return True


async def _skip_company(p: Press) -> bool:
    turn = _turn(p, Step.COMPANY)
    if turn is None:
        return False
    await moves.close(turn)
    return True


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
    "p": _permission,
    "f": _follow,
    "q": _to_concern,
    "b": _skip_birthday,
    "co": _skip_company,
    "v": _skip_value,
    "rq": _answered,
    "back": _back,
    "fd": _date_confirmed,
    "mvd": _move_day,
    SHOW_MONTH: _calendar_month,
    PICK_DAY: _calendar_day,
    NOTHING: _nothing,
}
