"""The pipeline's rules: keep-in-touch periods, who is stuck, conversion, and /today's order.

Days are counted on the seller's calendar: last contact on 1 March and today 16 March is
15 days, whatever the clock says. A contact is stuck when those days exceed the period of
its stage. Everything takes "now" so tests can pin it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.vocabulary import Answer, Criterion, Stage, fold

# Days without contact before a contact needs attention, per stage (the product's defaults).
DEFAULT_KEEP_IN_TOUCH: Mapping[Stage, int] = {
    Stage.LEAD: 30,
    Stage.PROSPECT: 14,
    Stage.CUSTOMER: 60,
    Stage.REPEAT: 90,
}
PERIOD_CHOICES = (7, 14, 30, 60, 90, 180)  # offered as buttons in /settings
MAX_PERIOD = 365
WON = (Stage.CUSTOMER, Stage.REPEAT)
BIRTHDAY_HORIZON = 7  # /today shows birthdays from today up to this many days ahead


def keep_in_touch(overrides: Mapping[str, object] | None) -> dict[Stage, int]:
    """Each stage's period: the seller's own choice where it is a sane number, else the default."""
    periods = dict(DEFAULT_KEEP_IN_TOUCH)
    for stage in Stage:
        value = (overrides or {}).get(stage.value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_PERIOD:
            periods[stage] = value
    return periods


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def start_of_day(day: date, zone: str) -> datetime:
    """The first instant of `day` on the seller's calendar, in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def days_since(since: datetime, now: datetime, zone: str) -> int:
    """Calendar days between two instants as the seller lives them (0 = same day)."""
    return (local_today(now, zone) - local_today(since, zone)).days


def is_stuck(days_without_contact: int, period: int) -> bool:
    """Stuck exactly when the days without contact exceed the stage's period."""
    return days_without_contact > period


def stuck_before(now: datetime, zone: str, period: int) -> datetime:
    """Last contact before this instant means stuck: the database filter `is_stuck` implies."""
    return start_of_day(local_today(now, zone) - timedelta(days=period), zone)


def rate(converted: int, base: int) -> float | None:
    """The share converted, in [0, 1]; None when nobody reached the earlier stage."""
    if base <= 0:
        return None
    return min(max(converted, 0), base) / base


def birthday_days(today: date, horizon: int = BIRTHDAY_HORIZON) -> set[tuple[int, int]]:
    """(month, day) pairs celebrated from today to `horizon` days on; 29 Feb joins 28 Feb."""
    pairs: set[tuple[int, int]] = set()
    for offset in range(horizon + 1):
        day = today + timedelta(days=offset)
        pairs.add((day.month, day.day))
        if (day.month, day.day) == (2, 28) and (day + timedelta(days=1)).month == 3:
            pairs.add((2, 29))
    return pairs


def one_answer_missing(answers: Mapping[Criterion, Answer]) -> Criterion | None:
    """The one criterion left unknown when the other two are Yes: ask it to qualify the lead."""
    unknown = [c for c in Criterion if answers.get(c, Answer.UNKNOWN) is Answer.UNKNOWN]
    yes = [c for c in Criterion if answers.get(c) is Answer.YES]
    return unknown[0] if len(unknown) == 1 and len(yes) == 2 else None


class Focus(enum.StrEnum):
    """Why a contact is on /today's list."""

    FOLLOW_UP = "follow_up"  # a follow-up due today or overdue
    BIRTHDAY = "birthday"  # a birthday within the horizon
    NO_NEXT_STEP = "no_next_step"  # a prospect with no follow-up planned
    ONE_ANSWER = "one_answer"  # a lead one answer away from prospect
    QUIET = "quiet"  # a customer not contacted for longer than the period


@dataclass(frozen=True)
class FocusItem:
    """One line of /today. `when`: due time, or last contact; `days`: until birthday, or since."""

    focus: Focus
    contact_id: int
    name: str
    when: datetime | None = None
    days: int = 0
    period: int = 0
    missing: Criterion | None = None
    exact: bool = False  # a follow-up at a set time of day
    age: int | None = None  # the age a birthday turns, when the year is known
    stage: Stage | None = None


def _tier_and_urgency(item: FocusItem) -> tuple[int, float]:
    """Lower is sooner. Today-only first (a birthday today), then what is owed, then chances."""
    match item.focus:
        case Focus.BIRTHDAY if item.days == 0:
            return 0, 0.0
        case Focus.FOLLOW_UP:
            return 1, item.when.timestamp() if item.when else 0.0  # most overdue first
        case Focus.BIRTHDAY:
            return 2, float(item.days)
        case Focus.NO_NEXT_STEP:
            return 3, item.when.timestamp() if item.when else 0.0  # longest quiet first
        case Focus.ONE_ANSWER:
            return 4, item.when.timestamp() if item.when else 0.0
        case _:
            return 5, -float(item.days - item.period)  # furthest past the period first


def rank_key(item: FocusItem) -> tuple[int, float, str, int, str, str]:
    """Urgency, then name and id; the full item last, so no two items ever tie."""
    tier, urgency = _tier_and_urgency(item)
    return tier, urgency, fold(item.name), item.contact_id, item.focus.value, repr(item)


def rank(items: Iterable[FocusItem], limit: int) -> list[FocusItem]:
    """/today's order, the same whatever order the items came in; the first `limit`."""
    return sorted(set(items), key=rank_key)[: max(limit, 0)]


@dataclass(frozen=True)
class Stuck:
    """A contact gone quiet for longer than its stage's period."""

    contact_id: int
    name: str
    stage: Stage
    days: int
    period: int


def rank_stuck(stuck: Iterable[Stuck], limit: int) -> list[Stuck]:
    """Furthest past their period first; prospects before others at a tie (they pay next)."""
    order = {Stage.PROSPECT: 0, Stage.CUSTOMER: 1, Stage.REPEAT: 2, Stage.LEAD: 3}
    return sorted(
        set(stuck),
        key=lambda s: (-(s.days - s.period), order[s.stage], fold(s.name), s.contact_id, repr(s)),
    )[: max(limit, 0)]
