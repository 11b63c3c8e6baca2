"""The meeting conversation's place and pending input, stored as the seller's flow row."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot import flow
from bot.context import BotContext

FLOW = "meet"
# A draft untouched this long is offered back ("Continue your note about Kari?") rather
# than silently receiving whatever the seller types next.
STALE_AFTER = timedelta(minutes=30)


class Step(enum.StrEnum):
    """The meeting's steps, in the order they are normally met."""

    NAME = "name"  # typed name (and ", company")
    DUPLICATE = "dup"  # pick an existing contact or create a new one
    KNOWN = "known"  # all three criteria already known: keep or change
    OUTCOME = "outcome"  # how it went
    PERMISSION = "perm"  # said no: may we keep in touch?
    VALUE = "value"  # bought: what was it worth? (typed, or skipped)
    NEXT = "next"  # notes and the follow-up choice
    DATE = "date"  # a typed follow-up date
    BIRTHDAY = "bday"
    COMPANY = "company"  # only when editing from the summary
    RESUME = "resume"  # a stale draft met new text: continue or start new
    SUMMARY = "summary"  # the card: the conversation is over


CRITERION = "crit:"  # + a criterion: the questions, one at a time, in `asking` order
DETOURS = (Step.DUPLICATE, Step.RESUME, Step.DATE)  # Back never returns to these


@dataclass
class Draft:
    """What the seller has said so far that is not yet a row, and where they are."""

    step: str = Step.NAME
    contact_id: int | None = None
    name: str | None = None
    company: str | None = None
    phone: str | None = None
    phones: list[str] = field(default_factory=list)  # more numbers from a shared contact
    emails: list[str] = field(default_factory=list)
    telegram_user_id: int | None = None  # the person's own Telegram id, from a forward
    source: str | None = None
    exact_id: int | None = None  # the one contact offered as "is it them?"
    pending_note: str | None = None  # a forwarded message, saved once the contact exists
    pending_texts: list[str] = field(default_factory=list)  # typed to a stale draft, in order
    whole_names: list[str] = field(default_factory=list)  # shortened; kept whole as notes
    resume_from: str | None = None  # the step the draft was at when it was offered back
    parked: dict[str, Any] | None = None  # a meeting interrupted by editing another card
    stage_before: str | None = None
    asking: list[str] = field(default_factory=list)  # criteria asked in this meeting
    outcome: str | None = None
    stage_at_outcome: str | None = None  # the stage before this meeting's outcome
    made_dnc: bool = False  # this meeting set do-not-contact (undone if the seller goes back)
    sale_id: int | None = None  # the sale this meeting recorded (taken back with its "Bought")
    concerns_before: list[int] = field(default_factory=list)  # open when this meeting began
    message_id: int | None = None  # the latest question message, whose buttons are live
    editing: bool = False  # opened from the summary card: return there afterwards
    history: list[str] = field(default_factory=list)
    incoming: dict[str, Any] | None = None  # a new meeting waiting while this draft is offered
    # A typed date waiting for "yes, that date": {"at": ISO instant, "exact": bool,
    # "note": the text, when it may have been a note instead}.
    pending_follow_up: dict[str, Any] | None = None
    updated: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def is_stale(self, now: datetime) -> bool:
        if self.updated is None:
            return False
        return now - datetime.fromisoformat(self.updated) > STALE_AFTER

    def go(self, step: str) -> None:
        """Move to `step`, remembering where Back should lead (detours are not returned to)."""
        if self.step != step and self.step not in DETOURS:
            self.history.append(self.step)
        self.step = step

    def back(self) -> str | None:
        """The step before this one, now current again; None at the start."""
        if not self.history:
            return None
        self.step = self.history.pop()
        return self.step

    @property
    def criterion(self) -> str | None:
        """The criterion being asked, when at a criteria step."""
        return self.step.removeprefix(CRITERION) if self.step.startswith(CRITERION) else None


async def load_draft(context: BotContext) -> Draft | None:
    state = await flow.current(context)
    if state is None or state[0] != FLOW:
        return None
    return Draft.from_data(state[2])


async def save_draft(context: BotContext, draft: Draft) -> None:
    draft.updated = context.now.isoformat()
    data = asdict(draft)
    await flow.begin(context, flow=FLOW, step=draft.step, data=data, resumable=True)
