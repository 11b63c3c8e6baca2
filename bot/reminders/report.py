"""What one dispatcher run did: kept in `AppData.health`, logged, and returned to tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DispatchReport:
    started_at: datetime
    finished_at: datetime | None = None
    recovered: int = 0  # stale claims given back
    claimed: int = 0
    messages: int = 0  # messages Telegram accepted
    delivered: int = 0  # reminders those messages covered (now `sent`)
    held: int = 0  # waiting for the end of quiet hours
    cancelled: int = 0  # compose left them out
    retried: int = 0  # network error / 5xx / compose error: pending again after a backoff
    unknown: int = 0  # sends whose outcome was unknown (a timeout, a 5xx): perhaps delivered
    unconfirmed: int = 0  # reminders of those recorded sent without trying again
    resent: int = 0  # messages sent again after an unknown outcome: each perhaps a duplicate
    resent_at_once: int = 0  # sends that never left (no connection), tried again at once
    failed: int = 0  # 400: Telegram refused the message itself
    released: int = 0  # paused seller or stopping bot: pending again, untouched
    rate_limited: int = 0  # 429 answers seen
    blocked: list[int] = field(default_factory=list)  # sellers who blocked the bot (403)
    errors: int = 0  # sellers whose handling raised
    stopped: bool = False  # the bot was stopping: the run ended early
    standby: bool = False  # another worker holds the sender lock: nothing done

    def summary(self) -> str:
        seconds = (self.finished_at - self.started_at).total_seconds() if self.finished_at else 0.0
        return (
            f"{self.claimed} claimed, {self.messages} messages for {self.delivered} "
            f"reminders, {self.held} held for quiet hours, {self.cancelled} cancelled, "
            f"{self.retried} to retry, {self.failed} failed, {self.released} given back, "
            f"{self.unknown} sends of unknown outcome ({self.unconfirmed} reminders taken as "
            f"delivered), {self.resent} sent again after one, "
            f"{len(self.blocked)} sellers blocked the bot, {self.rate_limited} x 429, "
            f"{self.recovered} recovered, in {seconds:.1f} s"
        )
