"""A controllable clock for the running bot: tests move "now" and run the dispatcher once.

`install_clock` puts it into every application the test starts (the usual `bot` fixture);
the dispatcher's own tests use `dispatching.Clock` with a `DispatchBot` instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.app import build_application
from bot.reminders.jobs import dispatch_once
from tests.e2e import harness


class Clock:
    """The application's "now", moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.apps: list[Any] = []

    def __call__(self) -> datetime:
        return self.now

    async def run_dispatcher(self, at: datetime | None = None) -> None:
        """What the dispatcher's job does, once, at `at`."""
        if at is not None:
            self.now = at
        await dispatch_once(self.apps[-1])


def install_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> Clock:
    """Every application the test starts from now on runs on this clock."""
    clock = Clock(now)

    def build(*args: Any, **kwargs: Any) -> Any:
        app = build_application(*args, **kwargs)
        app.bot_data.clock = clock
        clock.apps.append(app)
        return app

    monkeypatch.setattr(harness, "build_application", build)
    return clock
