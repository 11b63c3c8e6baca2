"""Where the meeting goes after each answer. No I/O: the draft moves, the caller shows it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.meeting.draft import CRITERION, Draft, Step
from bot.rules.qualification import CRITERIA, asks_outcome, unknown_criteria
from bot.rules.workdays import preset_due
from storage.models import Contact, Seller
from storage.vocabulary import Stage


def start_criteria(draft: Draft, contact: Contact, *, ask_all: bool = False) -> None:
    """Ask only what is unknown; when everything is known, offer to keep it in one tap."""
    asking = list(CRITERIA) if ask_all else unknown_criteria(contact.answers())
    draft.asking = [c.value for c in asking]
    if asking:
        draft.go(CRITERION + asking[0].value)
    else:
        draft.go(Step.KNOWN)


def after_criterion(draft: Draft) -> None:
    current = draft.criterion
    remaining = draft.asking[draft.asking.index(current) + 1 :] if current in draft.asking else []
    if remaining:
        draft.go(CRITERION + remaining[0])
    else:
        after_criteria(draft)


def after_criteria(draft: Draft) -> None:
    if draft.editing:
        draft.step = Step.SUMMARY
    elif asks_outcome(Stage(draft.stage_before or Stage.LEAD)):
        draft.go(Step.OUTCOME)
    else:
        draft.go(Step.NEXT)


BIRTHDAY_REST = timedelta(days=180)  # a skipped birthday question is not asked again sooner


def after_follow_up(draft: Draft, contact: Contact, *, now: datetime) -> None:
    """The birthday comes last, asked only while unknown, never for someone who must not be
    contacted, and not again for half a year once the seller skipped it."""
    skipped = contact.birthday_skipped_at
    if (
        draft.editing
        or contact.birth_month is not None
        or contact.do_not_contact
        or (skipped is not None and now - skipped < BIRTHDAY_REST)
    ):
        draft.step = Step.SUMMARY
    else:
        draft.go(Step.BIRTHDAY)


def follow_up_due(days: int, *, seller: Seller, now: datetime) -> datetime:
    """A preset follow-up: that local day at the digest hour, never on a day off beyond
    tomorrow (`bot.rules.workdays.preset_due`)."""
    return preset_due(days, zone=seller.timezone, digest_hour=seller.digest_hour, now=now)
