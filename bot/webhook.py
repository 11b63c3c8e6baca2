"""Webhook mode: Telegram posts each update; it is answered only once it is kept.

python-telegram-bot's own webhook server answers 200 first and queues in memory, so a crash
loses what it had taken. Here a small aiohttp server checks Telegram's secret header, keeps
the update in the inbox (`bot.inbox`), and only then answers 200; if the database cannot keep
it the answer is 503 and Telegram posts it again later. Several workers behind one proxy can
all receive: the inbox stores an update once, whichever worker it reached. The same server
serves each seller's calendar subscription (`bot.calendar_feed`) at its private address.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.calendar_feed import FEED_PATH, calendar_for
from bot.context import BotApp
from bot.polling import Keep, PollingBot, without_unstorable
from storage.queries import calendar_tokens

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def routes(application: BotApp, keep: Keep, secret: str, path: str) -> web.Application:
    """The web app: POST `path` takes updates, GET /healthz says the worker is up, GET
    /calendar/<token>.ics is a seller's calendar feed."""

    async def take(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("refused a webhook call without the right secret")
            return web.Response(status=403)
        try:
            raw = without_unstorable(json.loads(await request.read()))
        except ValueError:
            return web.Response(status=400)  # not JSON: not from Telegram
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            return web.Response(status=400)
        try:
            Update.de_json(raw, application.bot)
        except Exception:  # the library's parsing: any failure means "cannot read"
            kind = next((key for key in raw if key != "update_id"), "-")
            log.error("skipped update %s (%s): it could not be read", raw["update_id"], kind)
            return web.Response(status=200)  # never posted again: it would fail the same way
        kept = await keep([raw])
        if kept is None:
            return web.Response(status=503)  # not stored: Telegram posts it again later
        for update in kept:
            await application.update_queue.put(Update.de_json(update, application.bot))
        return web.Response(status=200)

    async def healthy(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def calendar(request: web.Request) -> web.Response:
        """A seller's calendar subscription: 404 for a token nobody holds (or holds no more)."""
        return await calendar_feed(application, request.match_info["token"])

    app = web.Application(client_max_size=1024**2)
    app.router.add_post(path, take)
    app.router.add_get("/healthz", healthy)
    app.router.add_get(FEED_PATH, calendar)
    return app


async def calendar_feed(application: BotApp, token: str) -> web.Response:
    """The .ics of the seller whose token this is, if they may still use the bot."""
    data = application.bot_data
    assert data.sessions is not None and data.settings is not None
    try:
        async with data.sessions.begin() as session:
            seller = await calendar_tokens.seller_by_token(session, token=token)
        if seller is None or not data.settings.is_allowed(seller.id):
            return web.Response(status=404)
        calendar = await calendar_for(data.sessions, seller=seller, now=data.clock())
    except SQLAlchemyError:
        log.warning("a calendar feed could not be read", exc_info=True)
        return web.Response(status=503)  # the calendar app asks again later
    return web.Response(
        body=calendar.data,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Cache-Control": "private, max-age=900"},
    )


@asynccontextmanager
async def running(application: BotApp, allowed_updates: list[str]) -> AsyncIterator[None]:
    """The application started, its webhook registered and its server listening."""
    settings = application.bot_data.settings
    assert settings is not None and settings.webhook_url and settings.webhook_secret
    bot = application.bot
    assert isinstance(bot, PollingBot)
    keep = bot.keeper
    assert keep is not None, "build_application gives the bot its inbox"
    secret = settings.webhook_secret.get_secret_value()
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    runner = web.AppRunner(
        routes(application, keep, secret, webhook_path(settings.webhook_url)), access_log=None
    )
    try:
        await runner.setup()
        await web.TCPSite(runner, settings.listen, settings.port).start()
        await bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=allowed_updates
        )
        log.info("webhook mode: listening on %s:%s", settings.listen, settings.port)
        yield
    finally:
        await runner.cleanup()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def serve(application: BotApp, allowed_updates: list[str]) -> None:
    """Run the bot in webhook mode until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(application, allowed_updates):
        await stop.wait()
