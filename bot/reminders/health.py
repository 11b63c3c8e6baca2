"""Is the dispatcher alive? It records its runs in `AppData.health`; a watchdog job reads them.

Keys in `AppData.health` (a plain dict, so `/status` and logs can read it without importing
the dispatcher):

- `dispatch.interval`: seconds between scheduled runs;
- `dispatch.last_run`: when the last run finished without an error (UTC, from the app clock);
- `dispatch.last_beat`: the last sign of life, also during a long run (each batch, each send);
- `dispatch.last_report`: the last run's `DispatchReport`;
- `dispatch.stalled`: True while the watchdog considers the dispatcher stalled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

log = logging.getLogger("bot.reminders.watchdog")

INTERVAL = "dispatch.interval"
LAST_RUN = "dispatch.last_run"
LAST_BEAT = "dispatch.last_beat"
LAST_REPORT = "dispatch.last_report"
STALLED = "dispatch.stalled"
STARTED = "dispatch.started"

MISSED_INTERVALS = 3
"""The watchdog complains when the dispatcher has shown no life for this many intervals."""


def beat(health: dict[str, Any], now: datetime) -> None:
    health[LAST_BEAT] = now


def last_run(health: dict[str, Any]) -> datetime | None:
    value = health.get(LAST_RUN)
    return value if isinstance(value, datetime) else None


def silence(health: dict[str, Any], now: datetime) -> timedelta | None:
    """How long the dispatcher has shown no life (since start when it never has); None when
    it is not scheduled at all."""
    interval = health.get(INTERVAL)
    if interval is None:
        return None
    seen = [
        value
        for value in (health.get(LAST_BEAT), health.get(LAST_RUN), health.get(STARTED))
        if isinstance(value, datetime)
    ]
    return now - max(seen) if seen else None


def check(health: dict[str, Any], now: datetime) -> bool:
    """Log an ERROR (once per stall, and when it ends) if the dispatcher has not run for
    `MISSED_INTERVALS` intervals; True while stalled."""
    quiet = silence(health, now)
    interval = health.get(INTERVAL)
    if quiet is None or interval is None:
        return False
    stalled = quiet > MISSED_INTERVALS * timedelta(seconds=float(interval))
    if stalled and not health.get(STALLED):
        log.error(
            "the reminder dispatcher has not run for %.0f s (%d intervals of %s s); last run: %s",
            quiet.total_seconds(),
            MISSED_INTERVALS,
            interval,
            last_run(health) or "never",
        )
    elif not stalled and health.get(STALLED):
        log.warning("the reminder dispatcher runs again")
    health[STALLED] = stalled
    return stalled
