"""Run a PTB Application against the fake server for the length of a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application

from tests.fakeapi.server import FakeTelegramServer
from tests.fakeapi.tracking import TrackingUpdateProcessor

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@asynccontextmanager
async def running_bot(
    app: AnyApplication,
    server: FakeTelegramServer | None = None,
    allowed_updates: list[str] | None = None,
) -> AsyncIterator[AnyApplication]:
    """Initialize, start and poll (1 s long polls, no pause between them); stop on exit.

    Like ``run_polling`` it also runs the ``post_init``/``post_stop``/``post_shutdown``
    hooks, so set-up done there (commands, menu button) happens in tests too. With
    ``server``, a :class:`TrackingUpdateProcessor` of the app is attached to it. Stopping is
    quick: PTB cancels the pending long poll and its final confirming getUpdates call
    supersedes it on the server.
    """
    updater = app.updater
    if updater is None:
        raise ValueError("the Application needs an Updater to poll the fake server")
    if server is not None and isinstance(app.update_processor, TrackingUpdateProcessor):
        server.attach(app.update_processor)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            await updater.start_polling(timeout=1, poll_interval=0, allowed_updates=allowed_updates)
            try:
                yield app
            finally:
                await updater.stop()
        finally:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
