"""A failure mid-update: the seller gets a short apology, the log gets the story, not the token."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import redacting_handler
from tests.e2e.backend import sqlite_only
from tests.e2e.harness import Prospekt
from tests.fakeapi import DEFAULT_TOKEN


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG (HTTP request lines included) through the bot's handler."""
    stream = io.StringIO()
    handler = redacting_handler([DEFAULT_TOKEN], stream)
    loggers = [logging.getLogger(name) for name in ("", "httpx", "aiohttp")]
    levels = [logger.level for logger in loggers]
    loggers[0].addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield stream
    loggers[0].removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


pytestmark = sqlite_only("drops a table from under the running bot (no lock to wait for)")


def break_conversations(bot: Prospekt) -> None:
    """Make the next text message fail inside a handler, as a broken database would."""
    bot.rows("DROP TABLE conversation_state")


@pytest.mark.parametrize(
    ("language", "apology"),
    [
        ("en", "Sorry, something went wrong on my side. Nothing you entered was lost;"),
        ("nb", "Beklager, noe gikk galt hos meg. Ingenting av det du har skrevet, er tapt;"),
    ],
)
async def test_a_failure_gets_an_apology_and_a_log_line_without_the_token(
    bot: Prospekt, log_output: io.StringIO, language: str, apology: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/help")
    break_conversations(bot)

    [reply] = await seller.send("Kari Nordmann")

    assert reply.text.startswith(apology)
    logged = log_output.getvalue()
    [error_line] = [line for line in logged.splitlines() if "error handling update" in line]
    assert error_line.endswith("(user 1001, message)"), "who and what, not the seller's words"
    assert "no such table: conversation_state" in logged
    assert "/bot<redacted>/sendMessage" in logged, "request lines are logged, token blanked"
    assert DEFAULT_TOKEN not in logged
    assert DEFAULT_TOKEN.split(":")[1] not in logged
