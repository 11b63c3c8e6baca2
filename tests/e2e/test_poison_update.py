"""An update the library cannot read is skipped and logged by id and type; the ones behind
it are handled, and polling does not spin on it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.fakeapi import FakeTelegramServer

SECRET = "Kari Nordmann's private number 99 88 77 66"


def poison(chat_id: int) -> dict[str, object]:
    """A message whose entity lacks its offset and length: `Update.de_json` raises on it."""
    return {
        "message": {
            "message_id": 9_999,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Kari"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Kari"},
            "text": SECRET,
            "entities": [{"type": "bold"}],
        }
    }


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_a_poison_update_between_two_good_ones_is_skipped_once_and_never_logged_whole(
    bot: Prospekt,
    telegram: FakeTelegramServer,
    caplog: pytest.LogCaptureFixture,
    language: str,
) -> None:
    seller = bot.user(1001, language_code=language)
    first = said(await seller.send("/help"))

    with caplog.at_level(logging.INFO):
        bad_id = telegram.push_update(poison(1001))
        second = said(await seller.send("/help"))
        polls_before = len(telegram.calls_to("getUpdates"))
        await asyncio.sleep(1.0)
        polls_after = len(telegram.calls_to("getUpdates"))

    assert second.text == first.text, "the update behind the poison one is answered"
    assert bad_id not in {u["update_id"] for u in telegram.state.updates.pending}
    skipped = [r.getMessage() for r in caplog.records if "skipped update" in r.getMessage()]
    assert skipped == [f"skipped update {bad_id} (message): it could not be read"]
    assert SECRET not in caplog.text, "the content is never logged"
    assert polls_after - polls_before <= 3, "one long poll a second, not a spin"
