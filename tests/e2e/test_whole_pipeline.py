"""The whole pipeline: a customer who buys again becomes a repeat buyer from every path (a
nudge's Done, the card's Move stage, /meet), and what a sale was worth shows in /pipeline."""

from __future__ import annotations

from datetime import datetime

import pytest

from storage.vocabulary import Stage
from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.e2e.test_nudges import DIGEST, SELLER, WORDS, seller_with_kari
from tests.factories import add_concern, schedule_reminder
from tests.fakeapi import PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
BOUGHT = {"en": "💰 Bought", "nb": "💰 Kjøpte"}
SKIP = {"en": "Skip", "nb": "Hopp over"}
WON = {
    "en": "💰 Won this month: NOK\xa05,000.00 · this year: NOK\xa05,000.00",
    "nb": "💰 Solgt denne måneden: 5\xa0000,00\xa0kr · i år: 5\xa0000,00\xa0kr",
}


@pytest.fixture
def now() -> datetime:
    return DIGEST


async def customer_kari(bot: Prospekt, language: str) -> tuple[PhoneUser, int]:
    return await seller_with_kari(bot, language, Stage.CUSTOMER, concern=False)


def stage(bot: Prospekt) -> str:
    [(found,)] = bot.rows("SELECT stage FROM contact")
    return str(found)


@LANGUAGES
async def test_done_then_bought_on_a_nudge_makes_a_repeat_buyer_with_the_sale_value(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, kari = await customer_kari(bot, language)
    await schedule_reminder(bot, SELLER, kari, DIGEST)
    await clock.run_dispatcher(DIGEST)
    nudge = seller.last_message
    assert nudge is not None

    await seller.press(WORDS[language]["done"], message=nudge)
    asked = said(await seller.press(BOUGHT[language]))
    said(await seller.send("5 000"))
    [_, numbers] = [m for m in await seller.send("/pipeline") if not m.edited]

    assert asked.text.startswith("💰 ")
    assert stage(bot) == "repeat"
    assert bot.rows("SELECT amount, currency FROM sale") == [(5000, "NOK")]
    assert WON[language] in numbers.text.splitlines()


@LANGUAGES
async def test_move_stage_on_the_card_makes_a_repeat_buyer(bot: Prospekt, language: str) -> None:
    seller, _ = await customer_kari(bot, language)
    card = said(await seller.send("/find Kari Nordmann"))
    if card.labels[:1] == ["Kari Nordmann · Acme AS"]:
        card = said(await seller.press(card.labels[0]))
    move = {"en": "🔀 Move stage", "nb": "🔀 Endre fase"}[language]

    await seller.press(move, message=card)
    await seller.press(BOUGHT[language])
    said(await seller.press(SKIP[language]))

    assert stage(bot) == "repeat"
    assert bot.rows("SELECT count(*) FROM sale") == [(0,)], "a skipped value records no sale"


async def test_a_value_that_is_not_an_amount_is_asked_again(bot: Prospekt) -> None:
    seller, _ = await customer_kari(bot, "en")
    await seller.send("/meet Kari Nordmann")
    await seller.press("✅ Yes, same person")
    await seller.press("👍 Keep")
    await seller.press(BOUGHT["en"])

    again = said(await seller.send("a lot"))
    saved = said(await seller.send("kr 12.500,50"))

    assert again.text.startswith("“a lot” is not an amount I can read.")
    assert saved.text.startswith("💰 Sale to Kari Nordmann: NOK\xa012,500.50")
    assert bot.rows("SELECT amount FROM sale") == [(12500.5,)]


@LANGUAGES
async def test_a_second_meeting_answers_an_open_question_in_one_tap(
    bot: Prospekt, language: str
) -> None:
    seller, kari = await customer_kari(bot, language)
    await add_concern(bot, SELLER, kari, "Is it too expensive?")
    await seller.send("/meet Kari Nordmann")
    await seller.press({"en": "✅ Yes, same person", "nb": "✅ Ja, samme person"}[language])
    await seller.press({"en": "👍 Keep", "nb": "👍 Behold"}[language])

    follow_up = said(await seller.press({"en": "🔥 Interested", "nb": "🔥 Interessert"}[language]))
    answered = said(await seller.press("✅ Is it too expensive?"))

    assert "✅ Is it too expensive?" in follow_up.labels
    assert answered.text.startswith(
        {"en": "✅ Marked as answered.", "nb": "✅ Markert som besvart."}[language]
    )
    assert "✅ Is it too expensive?" not in answered.labels
    assert bot.rows("SELECT status FROM concern") == [("resolved",)]
