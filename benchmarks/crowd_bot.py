"""The bot under test in `benchmarks.crowd`, in a process of its own so its CPU time and memory
are its own (the fake Bot API and the 200 phones run in the parent, as Telegram would).

`python -m benchmarks.crowd_bot prospekt|echo URL TOKEN [DATABASE_URL] [--no-pacer]` polls the
fake server at URL. The echo bot imports nothing of Prospekt's, so its memory is PTB's alone.
It talks to the parent through lines on stdout:

- `ready <rss kB>` once polling runs, idle;
- `done <update id>` each time an update has been handled (the parent's phones wait for it);
- `stats <cpu s> <rss kB>` on SIGUSR1: process CPU time since start, resident memory now.

`--webhook PORT` runs Prospekt as a webhook worker on 127.0.0.1:PORT instead of polling (the
parent posts the updates to its workers, as a reverse proxy in front of them would).

`--no-pacer` takes Prospekt's reply limiter (`bot.flood_waits`: it waits out 429s, paces
nothing) off, so only the bot's own work is measured.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    MessageHandler,
    SimpleUpdateProcessor,
    filters,
)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
"""As `bot.app.ALLOWED_UPDATES`, for the echo bot too."""


def rss_kb() -> int:
    """Resident memory of this process now, in kB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def reporting(processor: BaseUpdateProcessor) -> BaseUpdateProcessor:
    """`processor`, saying which update is done each time it has finished one."""
    handle = processor.do_process_update

    async def handle_and_report(update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await handle(update, coroutine)
        finally:
            if isinstance(update, Update):
                say(f"done {update.update_id}")

    processor.do_process_update = handle_and_report  # type: ignore[method-assign]
    return processor


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The floor: reply with the text."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


def echo_application(url: str, token: str) -> AnyApplication:
    """A bare python-telegram-bot echo bot: no database, no rate limiter."""
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .connection_pool_size(256)
        .concurrent_updates(reporting(SimpleUpdateProcessor(4096)))
        .build()
    )


WEBHOOK_SECRET = "crowd-benchmark-secret"


def prospekt_application(
    url: str, token: str, database_url: str, pacer: bool, port: int | None = None
) -> AnyApplication:
    from pydantic import SecretStr

    from bot.app import build_application
    from bot.config import Settings

    webhook: dict[str, Any] = {}
    if port is not None:
        webhook = {
            "webhook_url": "https://crowd.example.no/telegram",
            "webhook_secret": SecretStr(WEBHOOK_SECRET),
            "listen": "127.0.0.1",
            "port": port,
        }
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(token),
        telegram_api_url=url,
        database_url=database_url,
        **webhook,
    )
    app: AnyApplication = build_application(settings, wrap_processor=reporting)
    if not pacer:
        app.bot._rate_limiter = None  # the benchmark's switch
    return app


async def serve_webhook(app: AnyApplication) -> None:
    from bot.webhook import running

    stop = _signals()
    async with running(app, ALLOWED_UPDATES):
        say(f"ready {rss_kb()}")
        await stop.wait()


def _signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(
        signal.SIGUSR1, lambda: say(f"stats {time.process_time():.4f} {rss_kb()}")
    )
    return stop


async def serve(app: AnyApplication) -> None:
    stop = _signals()
    updater = app.updater
    assert updater is not None
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    await updater.start_polling(timeout=1, poll_interval=0, allowed_updates=ALLOWED_UPDATES)
    say(f"ready {rss_kb()}")
    await stop.wait()
    await updater.stop()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


def main() -> None:
    kind, url, token, *rest = sys.argv[1:]
    pacer = "--no-pacer" not in rest
    rest = [argument for argument in rest if argument != "--no-pacer"]
    port = None
    if "--webhook" in rest:
        at = rest.index("--webhook")
        port = int(rest[at + 1])
        del rest[at : at + 2]
    if kind == "echo":
        app = echo_application(url, token)
        app.add_handler(MessageHandler(filters.TEXT, echo))
    else:
        app = prospekt_application(url, token, rest[0], pacer, port)
    asyncio.run(serve_webhook(app) if port is not None else serve(app))


if __name__ == "__main__":
    main()
