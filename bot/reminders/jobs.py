"""The application's one dispatcher, and the recurring jobs that run it and watch it."""

from __future__ import annotations

import logging
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.reminders import health
from bot.reminders.dispatcher import CONCURRENCY, Dispatcher
from bot.reminders.report import DispatchReport

log = logging.getLogger(__name__)

INTERVAL = timedelta(seconds=Settings.model_fields["reminder_interval"].default)
"""How often the job runs unless REMINDER_INTERVAL says otherwise (the issue: at most every
30 s). A standby worker takes over from a sender that died at its next run."""
JOB_NAME = "reminders.dispatch"
WATCHDOG_NAME = "reminders.watchdog"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
_dispatchers: weakref.WeakKeyDictionary[AnyApplication, Dispatcher] = weakref.WeakKeyDictionary()


def dispatcher_for(application: AnyApplication) -> Dispatcher:
    """The application's one dispatcher (its pace and its lock outlive single runs)."""
    found = _dispatchers.get(application)
    if found is None:
        data = application.bot_data
        assert data.sessions is not None, "post_init opens the database first"
        assert data.settings is not None
        found = Dispatcher(
            bot=_sending_bot(application),
            sessions=data.sessions,
            clock=lambda: data.clock(),
            health_data=data.health,
            # Sellers taken off ALLOWED_USER_IDS are paused: their reminders wait, unsent.
            only_owners=data.settings.allowed_user_ids or None,
        )
        _dispatchers[application] = found
    return found


def _sending_bot(application: AnyApplication) -> ExtBot[None]:
    """The application's bot without PTB's rate limiter: the dispatcher paces itself.

    PTB's limiter retries a 429 twice behind the caller's back while holding back every other
    request, then lets them all go at once: the burst earns the next 429. Here a 429 reaches
    the `Pacer`, which stops every dispatcher send for the whole `retry_after` and resumes at
    the even pace. Same token, server and defaults (HTML) as the application's bot.
    """
    bot: ExtBot[None] = application.bot
    settings = application.bot_data.settings
    assert settings is not None
    return ExtBot(
        bot.token,
        base_url=f"{settings.telegram_api_url}/bot",
        base_file_url=f"{settings.telegram_api_url}/file/bot",
        defaults=bot.defaults,
        request=HTTPXRequest(connection_pool_size=CONCURRENCY * 2),
    )


async def close(application: AnyApplication) -> None:
    """At shutdown: let go of the dispatcher's connections."""
    found = _dispatchers.pop(application, None)
    if found is not None:
        await found.close()


async def dispatch_once(
    target: AnyApplication | CallbackContext[Any, Any, Any, Any],
) -> DispatchReport:
    """One run now (the job calls this; tests call it directly). Waits for a running one."""
    application: AnyApplication = (
        target.application if isinstance(target, CallbackContext) else target
    )
    was_running = application.running

    def should_stop() -> bool:
        return was_running and not application.running

    return await dispatcher_for(application).run(should_stop)


async def watchdog(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Log an error when the dispatcher has not run for 3 intervals."""
    data = context.application.bot_data
    health.check(data.health, data.clock())


def register(application: AnyApplication) -> None:
    """Schedule the dispatcher (first run as soon as the bot starts) and its watchdog."""
    job_queue = application.job_queue
    assert job_queue is not None, "install python-telegram-bot[job-queue]"
    data = application.bot_data
    assert data.settings is not None
    seconds = data.settings.reminder_interval
    data.health[health.INTERVAL] = seconds
    data.health[health.STARTED] = data.clock()
    # APScheduler computes an interval job's first run when the scheduler starts: a start
    # date already past by then would push it a whole interval out. `next_run_time` fixes the
    # first run; `misfire_grace_time=None` runs it however late the start; one at a time.
    first = datetime.now(UTC)
    job_queue.run_repeating(
        dispatch_once,
        interval=seconds,
        name=JOB_NAME,
        job_kwargs={
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": None,
            "next_run_time": first,
        },
    )
    job_queue.run_repeating(
        watchdog,
        interval=seconds,
        first=seconds,
        name=WATCHDOG_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    log.info("reminder dispatcher scheduled every %.0f s", seconds)
