"""When reminders are due: planned on the seller's local wall clock, stored and compared in UTC.

Pure rules for the dispatcher and the planners; "now" is always passed in, always aware.

- Wall time to UTC follows PEP 495 fold=0: a time skipped by DST moves forward by the gap
  (02:30 on a spring-forward night is 03:30), a repeated time is its first occurrence. The
  date never changes: where moving forward would cross midnight, the time moves back instead.
- A birthday's nudges are for its next occurrence (today included); 29 February falls on
  28 February in other years. The card nudge comes `lead_days` earlier, unless that day is
  already gone.
- Quiet hours are [start, end) in local hours and may wrap midnight (21→8 is 21:00–07:59);
  start == end means off. A reminder due inside them waits for the end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.rules.birthdays import Birthday, next_birthday
from storage.vocabulary import ReminderKind

QUIET_OFF: Final = (0, 0)  # (start_hour, end_hour): any start == end means quiet hours off
DEFAULT_QUIET_HOURS: Final = (21, 8)
DEFAULT_CARD_LEAD_DAYS: Final = 5
LATE_AFTER: Final = timedelta(hours=1)
RETRY_FIRST: Final = timedelta(seconds=30)
RETRY_CAP: Final = timedelta(hours=1)
_MAX_QUIET_HOPS: Final = 8  # a hop per day; two only when DST skips every open hour


def local_instant(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    """The UTC instant of a local wall time, so planning happens in the seller's zone."""
    return _wall(day, time(hour, minute), zone)


def follow_up_at(day: date, clock: time | None, *, zone: ZoneInfo, digest_hour: int) -> datetime:
    """When a follow-up fires: the exact clock the seller gave, else their digest hour."""
    return _wall(day, clock if clock is not None else time(digest_hour), zone)


def birthday_nudges(
    birthday: Birthday, *, today: date, zone: ZoneInfo, digest_hour: int, lead_days: int
) -> list[tuple[ReminderKind, date, datetime]]:
    """The card nudge (if any) and the day-of nudge for the next birthday, in date order.

    `today` is the seller's local date. A card day before today is left out: too late to post.
    """
    if lead_days < 0:
        raise ValueError(f"lead_days must be >= 0, not {lead_days}")
    day = next_birthday(birthday, today=today)
    nudges = [(ReminderKind.BIRTHDAY, day, local_instant(day, digest_hour, zone))]
    card_day = day - timedelta(days=lead_days)
    if lead_days and card_day >= today:
        card = (ReminderKind.BIRTHDAY_CARD, card_day, local_instant(card_day, digest_hour, zone))
        nudges.insert(0, card)
    return nudges


def in_quiet_hours(moment: datetime, *, zone: ZoneInfo, start_hour: int, end_hour: int) -> bool:
    """Whether the seller's local hour at `moment` is one nothing may be sent in."""
    hour = local_time(moment, zone).hour
    return quiet_hour(hour, start_hour=start_hour, end_hour=end_hour)


def quiet_hour(hour: int, *, start_hour: int, end_hour: int) -> bool:
    """Whether the local hour `hour` (0–23) is inside the quiet hours: a digest hour there
    waits until they end."""
    _check_hours(start_hour, end_hour)
    if start_hour <= end_hour:
        return start_hour <= hour < end_hour
    return hour >= start_hour or hour < end_hour


def after_quiet_hours(
    moment: datetime, *, zone: ZoneInfo, start_hour: int, end_hour: int
) -> datetime:
    """`moment` if it may be sent then; else the UTC instant the quiet period ends."""
    candidate = moment
    for _ in range(_MAX_QUIET_HOPS):
        if not in_quiet_hours(candidate, zone=zone, start_hour=start_hour, end_hour=end_hour):
            return candidate
        candidate = _fall_back_before(
            candidate, _quiet_end(candidate, zone, start_hour, end_hour), zone
        )
    raise RuntimeError(f"no open hour after {moment} in {zone}")  # pragma: no cover


def is_late(due_at: datetime, now: datetime) -> bool:
    """Sent more than an hour after it was due, so the message should say it is late."""
    return now - due_at > LATE_AFTER


def retry_delay(attempts: int) -> timedelta:
    """Backoff after `attempts` failed sends (1 = the first failure): 30 s doubling, max 1 h.

    0 counts as 1, so a counter not yet bumped still waits; negative is a bug.
    """
    if attempts < 0:
        raise ValueError(f"attempts must be >= 0, not {attempts}")
    doublings = min(max(attempts, 1) - 1, 8)  # 30 s * 2**7 is already past the cap
    return min(RETRY_FIRST * (1 << doublings), RETRY_CAP)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The seller's calendar date at `moment`: what "today" means for them."""
    return local_time(moment, zone).date()


def local_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` on the seller's wall clock; a naive datetime is a bug, not a guess to make."""
    if moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(zone)


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Wall time to UTC, never leaving `day`: that date is what the seller was promised.

    fold=0 moves a skipped time forward and takes a repeated one's first occurrence. Where
    the gap ends after midnight (America/Nuuk springs forward at 23:00), moving forward would
    change the date, so the skipped time moves back by the gap instead.
    """
    instant = _pep495(day, clock, zone, fold=0)
    if local_day(instant, zone) != day:
        earlier = _pep495(day, clock, zone, fold=1)
        return earlier if local_day(earlier, zone) == day else instant
    return instant


def _pep495(day: date, clock: time, zone: ZoneInfo, *, fold: int) -> datetime:
    """Plain PEP 495: fold=0 is the first of a repeated time and moves a skipped one forward."""
    return datetime.combine(day, clock.replace(tzinfo=zone, fold=fold)).astimezone(UTC)


def _quiet_end(moment: datetime, zone: ZoneInfo, start_hour: int, end_hour: int) -> datetime:
    """The first instant after a quiet `moment` when the local clock reaches end_hour:00.

    Normally today's (or tomorrow's, when quiet started before midnight); the second of a
    repeated hour or the next day covers odd DST nights (Antarctica/Troll).
    """
    local = local_time(moment, zone)
    day = local.date() + timedelta(days=int(start_hour > end_hour and local.hour >= start_hour))
    for candidate_day in (day, day + timedelta(days=1)):
        for end in _readings(candidate_day, time(end_hour), zone):
            if end > moment:
                return end
    raise RuntimeError(f"no end of quiet hours after {moment} in {zone}")  # pragma: no cover


def _fall_back_before(moment: datetime, end: datetime, zone: ZoneInfo) -> datetime:
    """`end`, or the instant the clocks go back if they do before it: the hour may be open again.

    Only a two-hour fall-back (Antarctica/Troll) can leave quiet hours this way.
    """
    if _offset(moment, zone) > _offset(end, zone):
        return _jump(moment, end, zone)
    return end


def _offset(moment: datetime, zone: ZoneInfo) -> timedelta:
    """The zone's UTC offset at `moment`."""
    return local_time(moment, zone).utcoffset() or timedelta(0)


def _readings(day: date, clock: time, zone: ZoneInfo) -> tuple[datetime, ...]:
    """Each instant the local clock reads `clock` on `day`, or the jump over it when skipped."""
    first, second = (_pep495(day, clock, zone, fold=fold) for fold in (0, 1))
    shown = local_time(first, zone)
    if (shown.date(), shown.time()) == (day, clock):
        return (first, second)  # the same instant unless the hour repeats
    return (_jump(second, first, zone),)  # the gap's offsets: `second` before it, `first` after


def _jump(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The instant the offset changes between `before` and `after`, to the second (tzdata's grain).

    Not fold=0's "forward by the gap": in a two-hour gap that would overshoot the open hour.
    """
    low, high = int(before.timestamp()), int(after.timestamp())
    offset = before.astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _check_hours(start_hour: int, end_hour: int) -> None:
    """Quiet hours are whole local hours 0–23."""
    if not (0 <= start_hour <= 23 and 0 <= end_hour <= 23):
        raise ValueError(f"quiet hours must be 0-23, not {start_hour}-{end_hour}")
