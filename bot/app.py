"""build_application(): the one place that wires settings, database, handlers and jobs."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Coroutine
from types import ModuleType
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import access, flow
from bot.account import handlers as account
from bot.aiohttp_request import AiohttpRequest
from bot.basics import handlers as basics
from bot.basics import missed
from bot.commands import set_default_menus
from bot.config import Settings
from bot.contacts import handlers as contacts
from bot.context import AppData, BotApp, BotContext, Entries
from bot.errors import on_error
from bot.flood_waits import RetryAfterOnly
from bot.imports import background as import_work
from bot.imports import handlers as imports
from bot.inbox import SWEEP_EVERY, Inbox
from bot.meeting import handlers as meeting
from bot.meeting.entry import ask_outcome
from bot.pipeline import handlers as pipeline
from bot.polling import PollingBot
from bot.processing import InboxProcessor
from bot.reminders import handlers as reminders
from bot.reminders import jobs
from bot.search import handlers as search
from bot.settings import handlers as settings
from bot.today import handlers as today
from storage.db import create_engine, make_sessions, refresh_statistics, upgrade

log = logging.getLogger(__name__)

# Only what the bot uses: Telegram sends nothing else (no edits, business or channel posts).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

# Handler groups: lower numbers run first, and each group can stop the rest.
GATE, LOAD, OWN_UP, MOVE_ON, FEATURES = -4, -3, -2, -1, 0

# Each feature's handlers module, in the order they are tried. Each has HANDLERS and may
# have TEXT_STEPS (the typed answers its conversations wait for). `basics` comes last: its
# fallbacks catch what no feature wanted.
FEATURE_MODULES: tuple[ModuleType, ...] = (
    settings,
    imports,  # before meeting: a forwarded contacts file is a file to import, not a note
    meeting,
    contacts,
    search,
    pipeline,
    today,
    reminders,
    account,
    basics,
)


def build_application(
    settings_: Settings,
    *,
    wrap_processor: Callable[[BaseUpdateProcessor], BaseUpdateProcessor] | None = None,
) -> BotApp:
    """The real application; tests wrap its update processor in one that reports when each
    update is done."""
    processor = InboxProcessor()
    bot = PollingBot(
        token=settings_.token,
        base_url=f"{settings_.telegram_api_url}/bot",
        base_file_url=f"{settings_.telegram_api_url}/file/bot",
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        rate_limiter=RetryAfterOnly(max_retries=2),
        request=AiohttpRequest(connection_pool_size=256),
        get_updates_request=AiohttpRequest(),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext, bot_data=AppData))
        .concurrent_updates(wrap_processor(processor) if wrap_processor else processor)
        .post_shutdown(_close)
    )
    application: BotApp = builder.build()  # type: ignore[assignment]
    processor.application = application
    inbox = Inbox(application, processor)
    bot.keep_with(inbox.keep)
    application.post_init = _opener(inbox)
    application.bot_data.settings = settings_
    # The ways into one feature's conversation that other features use (`bot.context`).
    application.bot_data.entries = Entries(ask_outcome=ask_outcome)
    _register(application)
    return application


def _register(application: BotApp) -> None:
    """Every handler, in order. Text routing needs each feature's typed steps."""
    # Allow-list first: refused users never reach the database.
    application.add_handler(TypeHandler(Update, access.gate), group=GATE)
    # Then the seller behind the update, for every feature handler below.
    application.add_handler(TypeHandler(Update, access.load_seller), group=LOAD)
    # Messages given up on during a long outage are owned up to before the answer.
    application.add_handler(TypeHandler(Update, missed.own_up), group=OWN_UP)
    # A new command closes the conversation the seller left (everything in it is saved).
    application.add_handlers(basics.MOVE_ON, group=MOVE_ON)
    # Features: commands and buttons.
    text_steps: dict[flow.StepKey, flow.TextStep] = {}
    for feature in FEATURE_MODULES:
        application.add_handlers(feature.HANDLERS, group=FEATURES)
        text_steps.update(getattr(feature, "TEXT_STEPS", {}))
    # Free text answers the open conversation's question; outside one, a name-like text is
    # searched and anything else gets the pointer (media get it from basics.FALLBACKS).
    bare_text = search.search_or(basics.stray_input)
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, flow.text_router(text_steps, bare_text)),
        group=FEATURES,
    )
    # Last: unknown commands and anything else.
    application.add_handlers(basics.FALLBACKS, group=FEATURES)
    application.add_error_handler(on_error)


def _opener(inbox: Inbox) -> Callable[[Any], Coroutine[Any, Any, None]]:
    async def open_(application: Any) -> None:
        """Migrate and open the database, set the command menus, and queue what a previous
        run kept but did not handle, before polling starts."""
        data: AppData = application.bot_data
        assert data.settings is not None
        data.engine = create_engine(data.settings.database_url)
        await upgrade(data.engine)
        await refresh_statistics(data.engine)
        data.sessions = make_sessions(data.engine)
        await set_default_menus(application.bot)
        # One process owns a SQLite file: whatever is left queued is this bot's to finish.
        await inbox.resume(everything=data.engine.dialect.name == "sqlite")
        application.job_queue.run_repeating(
            inbox.sweep, interval=SWEEP_EVERY, first=SWEEP_EVERY, name="inbox-sweep"
        )
        # Reminders live in the database; this job sends what is due, first right at start.
        jobs.register(application)
        # A contacts import a stop interrupted goes on where it was.
        await imports.resume(application)
        _freeze_start_up()
        log.info("database ready; polling %s", data.settings.telegram_api_url)

    return open_


def _freeze_start_up() -> None:
    """Once per process: what start-up loaded (modules, catalogues, mappers, date-parsing
    data) lives as long as the process, so the garbage collector stops walking it. Each
    full collection stalled every reply 100-120 ms under a crowd; frozen, 7-26 ms."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


async def _close(application: Any) -> None:
    data: AppData = application.bot_data
    await import_work.stop()
    await jobs.close(application)
    if data.engine is not None:
        await data.engine.dispose()
        data.engine = None
