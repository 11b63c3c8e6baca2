"""The README's run command, as a user runs it: only a token, an empty folder, then SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.e2e.backend import sqlite_only
from tests.e2e.harness import free_port
from tests.fakeapi import DEFAULT_TOKEN, BotMessage, FakeTelegramServer

pytestmark = sqlite_only("the README's command, on its SQLite file")

ROOT = Path(__file__).resolve().parents[2]


async def start_bot(
    telegram: FakeTelegramServer,
    folder: Path,
    token: str = DEFAULT_TOKEN,
    extra: dict[str, str] | None = None,
) -> asyncio.subprocess.Process:
    """`python -m bot` with only a token and the API address, as the README runs it (and
    `extra` settings)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": telegram.url,
        **(extra or {}),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=folder,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def answer_to_start(telegram: FakeTelegramServer) -> BotMessage:
    """Kari sends /start; the answer from the bot in the other process."""
    kari = telegram.user(1001, first_name="Kari", language_code="nb")
    await kari.send("/start")
    async with asyncio.timeout(30):
        while kari.last_message is None:  # noqa: ASYNC110 - the bot is another process
            await asyncio.sleep(0.05)
    return kari.last_message


async def test_python_m_bot_migrates_an_empty_folder_answers_start_and_stops_cleanly(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    process = await start_bot(telegram, tmp_path)
    try:
        answer = await answer_to_start(telegram)
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, stderr = await process.communicate()

    assert answer.text.startswith("Hei Kari!")
    assert (tmp_path / "data" / "prospekt.sqlite3").is_file()
    assert process.returncode == 0
    log = stderr.decode()
    assert "Traceback" not in log
    assert "Warning" not in log
    assert DEFAULT_TOKEN not in log
    telegram.assert_no_errors()


async def test_a_token_telegram_refuses_ends_the_process_with_one_line_and_no_token(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    revoked = "123456789:AAAA-revoked-token-that-telegram-refuses-000"
    process = await start_bot(telegram, tmp_path, revoked)
    async with asyncio.timeout(60):
        stdout, stderr = await process.communicate()

    assert process.returncode == 3, "a supervisor sees the failure"
    output = stdout.decode() + stderr.decode()
    assert revoked not in output and "AAAA-revoked" not in output
    assert "Traceback" not in output, "a refused token is no crash to debug"
    assert stderr.decode().strip().splitlines()[-1] == (
        "prospekt: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized). "
        "Check the token with @BotFather."
    )


async def test_a_token_revoked_while_running_ends_the_process_with_one_line_and_no_token(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    process = await start_bot(telegram, tmp_path)
    try:
        await answer_to_start(telegram)
        telegram.state.token = "123456789:BBBB-the-new-token-from-botfather-0000"  # revoked
        async with asyncio.timeout(30):
            stdout, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()

    assert process.returncode == 3, "a supervisor sees the process end, not a deaf one"
    output = stdout.decode() + stderr.decode()
    assert DEFAULT_TOKEN not in output
    assert "Traceback" not in output
    assert stderr.decode().strip().splitlines()[-1] == (
        "prospekt: Telegram stopped accepting TELEGRAM_BOT_TOKEN while running "
        "(401 Unauthorized); it was revoked or replaced. Set the new one from @BotFather."
    )


async def test_python_m_bot_in_webhook_mode_registers_answers_a_post_and_stops_cleanly(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    port, secret = free_port(), "run-command-secret_0123"
    webhook = {
        "WEBHOOK_URL": "https://prospekt.example.no/hook",
        "WEBHOOK_SECRET": secret,
        "LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    process = await start_bot(telegram, tmp_path, extra=webhook)
    kari = telegram.user(1001, first_name="Kari", language_code="nb")
    try:
        async with asyncio.timeout(30):
            while telegram.state.webhook is None:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.05)
        update = {"update_id": 1, **kari.typed("/start")}
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{port}/hook",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            ) as response,
        ):
            status = response.status
        async with asyncio.timeout(30):
            while kari.last_message is None:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, stderr = await process.communicate()

    assert status == 200
    assert kari.last_message.text.startswith("Hei Kari!")
    assert telegram.state.webhook["secret_token"] == secret
    assert process.returncode == 0
    assert "Traceback" not in stderr.decode()
    telegram.assert_no_errors()


async def test_a_webhook_url_without_a_secret_is_refused_in_one_line(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    process = await start_bot(
        telegram, tmp_path, extra={"WEBHOOK_URL": "https://prospekt.example.no/hook"}
    )
    async with asyncio.timeout(30):
        _, stderr = await process.communicate()

    assert process.returncode == 2
    assert stderr.decode().strip().splitlines() == [
        "prospekt: settings WEBHOOK_SECRET is required with WEBHOOK_URL. See .env.example."
    ]
