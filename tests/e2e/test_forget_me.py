"""/forget_me: a copy first, a plain warning, then nothing of the seller is left in any
table, on SQLite and on PostgreSQL, while another seller keeps everything."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Seller
from storage.queries.erase import seller_column
from storage.vocabulary import ReminderKind
from tests.e2e.harness import Prospekt
from tests.factories import (
    T0,
    make_concern,
    make_contact,
    make_interaction,
    make_reminder,
    make_sale,
    make_stage_change,
    make_undo_item,
)
from tests.fakeapi import FakeTelegramServer, PhoneUser

WORDS = {
    "en": {
        "export": "📦 Export first",
        "keep": "‹ Keep everything",
        "yes": "yes",
        "warning": "Erase everything for good?",
        "done": "Everything is erased",
        "kept": "Nothing was erased.",
        "greeting": "Hi Kari! I'm Prospekt",
    },
    "nb": {
        "export": "📦 Eksporter først",
        "keep": "‹ Behold alt",
        "yes": "ja",
        "warning": "Slette alt for godt?",
        "done": "Alt er slettet",
        "kept": "Ingenting ble slettet.",
        "greeting": "Hei Kari!",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])


@pytest.fixture
def bot(any_bot: Prospekt, telegram: FakeTelegramServer) -> Iterator[Prospekt]:
    """The bot on SQLite and on PostgreSQL; every API call it made must have succeeded."""
    yield any_bot
    telegram.assert_no_errors()


async def in_database(bot: Prospekt) -> AsyncSession:
    sessions = bot.app.bot_data.sessions
    assert sessions is not None
    session: AsyncSession = sessions()
    return session


async def seed_book(bot: Prospekt, seller_id: int) -> None:
    """A seller with a contact, notes, a concern, a stage move, a sale, reminders, an undo
    item and their own settings."""
    async with await in_database(bot) as session, session.begin():
        seller = await session.get(Seller, seller_id)
        assert seller is not None
        seller.digest_hour = 7
        kari = await make_contact(session, owner=seller, name="Kari Nordmann")
        await make_interaction(session, contact=kari, text="Wants a demo")
        await make_concern(session, contact=kari)
        await make_stage_change(session, contact=kari)
        await make_sale(session, contact=kari)
        await make_reminder(session, owner=seller, contact=kari, due_at=T0 + timedelta(days=30))
        await make_reminder(
            session, owner=seller, contact=kari, kind=ReminderKind.BIRTHDAY, due_at=T0
        )
        await make_undo_item(session, owner=seller, expires_at=T0 + timedelta(days=3650))


async def rows_of(bot: Prospekt, seller_id: int) -> dict[str, int]:
    """How many rows of `seller_id` each table holds."""
    counts: dict[str, int] = {}
    async with await in_database(bot) as session:
        for table in Base.metadata.sorted_tables:
            column = seller_column(table)
            query = select(func.count()).select_from(table).where(column == seller_id)
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts


async def everything_of_2002(bot: Prospekt) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {}
    async with await in_database(bot) as session:
        for table in Base.metadata.sorted_tables:
            found = await session.execute(select(table).where(seller_column(table) == 2002))
            rows[table.name] = sorted(map(repr, found.all()))
    return rows


async def two_sellers(bot: Prospekt, language: str) -> PhoneUser:
    seller = bot.user(1001, language_code=language, first_name="Kari")
    await seller.send("/help")
    await bot.user(2002, language_code="en").send("/help")
    await seed_book(bot, 1001)
    await seed_book(bot, 2002)
    return seller


@LANGUAGES
async def test_forget_me_after_a_copy_leaves_nothing_of_the_seller_in_any_table(
    bot: Prospekt, language: str
) -> None:
    words = WORDS[language]
    seller = await two_sellers(bot, language)
    before = await rows_of(bot, 1001)
    theirs = await everything_of_2002(bot)

    await seller.send("/forget_me")
    await seller.press(words["export"])
    sent = {m.file.file_name for m in seller.messages if m.file is not None}
    warning = seller.messages[-1]
    await seller.send(words["yes"])

    assert sent == {"contacts.csv", "interactions.csv", "contacts.vcf"}
    assert words["warning"] in warning.text
    assert words["done"] in seller.messages[-1].text
    assert all(before[table] for table in ("contact", "reminder", "undo_item", "inbox_update"))
    assert await rows_of(bot, 1001) == dict.fromkeys(before, 0)
    assert await everything_of_2002(bot) == theirs, "another seller's rows are untouched"

    await seller.send("/start")
    assert seller.messages[-1].text.startswith(words["greeting"]), "onboarding again"


@LANGUAGES
async def test_anything_but_yes_at_the_warning_keeps_everything(
    bot: Prospekt, language: str
) -> None:
    words = WORDS[language]
    seller = await two_sellers(bot, language)
    await seller.send("/forget_me")
    await seller.send("skip" if language == "en" else "hopp over")
    warning = seller.messages[-1].text
    before = await rows_of(bot, 1001)

    await seller.send("yes please, wait" if language == "en" else "ja, men vent")

    assert words["warning"] in warning
    assert words["kept"] in seller.messages[-1].text
    after = await rows_of(bot, 1001)
    assert after["contact"] == before["contact"] == 1
    assert after["seller"] == 1 and after["conversation_state"] == 0

    # The old warning's button, pressed now, erases nothing.
    await seller.press_data("a:yes", message=seller.messages[-2])
    assert (await rows_of(bot, 1001))["contact"] == 1


async def test_a_tap_on_keep_everything_keeps_everything(bot: Prospekt) -> None:
    seller = await two_sellers(bot, "en")
    await seller.send("/forget_me")
    await seller.press("‹ Keep everything")

    assert "Nothing was erased." in seller.messages[-1].text
    assert (await rows_of(bot, 1001))["contact"] == 1


async def test_yes_on_an_older_warning_erases_nothing_while_a_newer_one_is_open(
    bot: Prospekt,
) -> None:
    seller = await two_sellers(bot, "en")
    await seller.send("/forget_me")
    await seller.send("skip")
    older = seller.messages[-1]
    await seller.send("/forget_me")
    await seller.send("skip")

    await seller.press_data("a:yes", message=older)

    assert (await rows_of(bot, 1001))["contact"] == 1
    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.text == "That button is no longer available."
    await seller.press("🗑 Yes, erase everything")
    assert (await rows_of(bot, 1001))["contact"] == 0
