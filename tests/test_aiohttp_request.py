"""The Bot API transport fails as python-telegram-bot's own does, so the bot's retries and
error replies work the same over it: a slow answer is TimedOut, a refused connection is
NetworkError, and an upload reaches Telegram as the file it was."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.aiohttp_request import AiohttpRequest
from tests.fakeapi import DEFAULT_TOKEN, FakeTelegramServer


@pytest.fixture
async def slow_server() -> AsyncIterator[str]:
    """A Bot API that takes two seconds to answer anything."""

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_an_answer_slower_than_the_read_timeout_is_timed_out(slow_server: str) -> None:
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{slow_server}/bot{DEFAULT_TOKEN}/getMe")
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="aiohttp"):
            await request.post(f"http://127.0.0.1:{closed_port()}/bot{DEFAULT_TOKEN}/getMe")
    finally:
        await request.shutdown()


async def test_a_message_and_a_file_arrive_as_sent() -> None:
    vcard = "BEGIN:VCARD\r\nFN:Kari Nordmann\r\nORG:Ærlig Øl & Å\r\nEND:VCARD\r\n".encode()
    async with FakeTelegramServer() as telegram:
        user = telegram.user(1001)
        bot = Bot(
            DEFAULT_TOKEN,
            base_url=f"{telegram.url}/bot",
            request=AiohttpRequest(),
            get_updates_request=AiohttpRequest(),
        )
        async with bot:
            await bot.send_message(user.user_id, "<b>Kari</b> &amp; Ærlig Øl", parse_mode="HTML")
            await bot.send_document(user.user_id, vcard, filename="kari-ø.vcf", caption="Kari")
        telegram.assert_no_errors()

    text, document = user.messages
    assert text.text == "Kari & Ærlig Øl"
    assert document.kind == "document" and document.text == "Kari"
    assert document.file is not None
    assert document.file.file_name == "kari-ø.vcf"
    assert document.file.data == vcard
