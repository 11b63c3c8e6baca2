"""What a test reads back from the running bot: its answer, the alert a press got, the rows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from storage.models import Contact
from storage.queries import contacts
from tests.e2e.harness import Prospekt
from tests.factories import run
from tests.fakeapi import BotMessage, PhoneUser


def said(replies: list[BotMessage]) -> BotMessage:
    """The bot's one new message, or else the edit of the pressed message."""
    new = [message for message in replies if not message.edited]
    assert len(new) <= 1, replies
    assert replies, "the bot said nothing"
    return new[0] if new else replies[0]


def alerted(seller: PhoneUser, text: str) -> bool:
    """Whether the seller's last button press was answered with the alert `text`."""
    answer = seller.last_callback_answer
    return answer is not None and answer.show_alert and answer.text == text


def everything(bot: Prospekt) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a seller's data lives in, to show nothing changed."""
    tables = ["contact", "interaction", "concern", "reminder", "stage_change", "undo_item"]
    return {table: bot.rows(f"SELECT * FROM {table} ORDER BY id") for table in tables}  # noqa: S608


async def stored_contact(bot: Prospekt, owner_id: int, contact_id: int) -> Contact | None:
    """The contact as stored now, if it is `owner_id`'s."""
    return await run(
        bot, lambda s: contacts.get_contact(s, owner_id=owner_id, contact_id=contact_id)
    )


def latest(seller: PhoneUser, start: str) -> BotMessage | None:
    """The seller's newest message from the bot that starts with `start`."""
    return next((m for m in reversed(seller.messages) if m.text.startswith(start)), None)


async def shown(
    seller: PhoneUser, message: Callable[[], BotMessage | None], start: str
) -> BotMessage:
    """The message, once it starts with `start` (the work behind it runs in the background)."""
    for _ in range(400):
        found = message()
        if found is not None and found.text.startswith(start):
            return found
        await asyncio.sleep(0.025)
    raise AssertionError(f"nothing starting with {start!r}:\n{seller.transcript()}")
