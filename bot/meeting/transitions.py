"""Where the meeting goes after each answer. No I/O: the draft moves, the caller shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.meeting.draft import CRITERION, Draft, Step
from bot.rules.dates import When, due_at, next_workday
from bot.rules.qualification import CRITERIA, asks_outcome, unknown_criteria
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


def after_follow_up(draft: Draft, contact: Contact) -> None:
    """The birthday is asked once, and never for someone who must not be contacted."""
    if draft.editing or contact.birth_month is not None or contact.do_not_contact:
        draft.step = Step.SUMMARY
    else:
        draft.go(Step.BIRTHDAY)


def follow_up_due(days: int, *, seller: Seller, now: datetime) -> datetime:
    """A preset follow-up lands on that local day at the seller's digest hour.

    Presets further out than tomorrow skip the weekend: "in 3 days" said on a Thursday
    means Monday, not a Sunday nobody will act on.
    """
    zone = ZoneInfo(seller.timezone)
    day = now.astimezone(zone).date() + timedelta(days=days)
    if days > 1:
        day = next_workday(day)
    return due_at(When(day, None), zone=zone, default_hour=seller.digest_hour)
