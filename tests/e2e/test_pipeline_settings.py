"""Keep-in-touch periods in /settings: saved at once, kept across a restart, used by /pipeline."""

from __future__ import annotations

import json

import pytest

from storage.vocabulary import Stage
from tests.e2e.harness import Prospekt
from tests.factories import DAY, database, now, seed_contact, seed_seller

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
WORDS = {
    "en": {
        "open": "🤝 Keep in touch",
        "prospects": "Prospects: 14 days",
        "seven": "7 days",
        "saved_line": "Prospects: 7 days",
        "customers": "Customers: 60 days (default)",
        "stuck": "⏳ Stuck: 1",
        "nobody": "✅ Nobody is stuck",
        "saved": "Saved",
        "back": "‹ Back",
        "stale": "That button is no longer available.",
    },
    "nb": {
        "open": "🤝 Hold kontakten",
        "prospects": "Prospekter: 14 dager",
        "seven": "7 dager",
        "saved_line": "Prospekter: 7 dager",
        "customers": "Kunder: 60 dager (standard)",
        "stuck": "⏳ Står fast: 1",
        "nobody": "✅ Ingen står fast",
        "saved": "Lagret",
        "back": "‹ Tilbake",
        "stale": "Den knappen er ikke lenger tilgjengelig.",
    },
}


@LANGUAGES
async def test_a_shorter_period_is_kept_across_a_restart_and_makes_a_contact_stuck(
    bot: Prospekt, language: str
) -> None:
    words = WORDS[language]
    async with database(bot) as session:
        await seed_seller(session, 1001, language)
        await seed_contact(
            session, 1001, "Pia", path=(Stage.PROSPECT,), last_contact=now() - 10 * DAY
        )
    kari = bot.user(1001, language_code=language)
    _chart, before = await kari.send("/pipeline")
    assert words["nobody"] in before.text

    await kari.send("/settings")
    [periods] = await kari.press(words["open"])
    assert words["customers"] in periods.text.splitlines()
    [choices] = await kari.press(words["prospects"])
    assert "✓ " + words["prospects"].split(": ")[1] in choices.labels
    [saved] = await kari.press(words["seven"])
    assert kari.last_callback_answer is not None
    assert kari.last_callback_answer.text == words["saved"]
    assert words["saved_line"] in saved.text.splitlines()

    await bot.restart()
    await kari.send("/settings")
    [again] = await kari.press(words["open"])
    _chart, after = await kari.send("/pipeline")

    assert words["saved_line"] in again.text.splitlines()
    assert words["stuck"] in after.text
    assert list(after.callback_data) == ["1. Pia"]
    [(stored,)] = bot.rows("SELECT keep_in_touch FROM seller WHERE id = 1001")
    assert json.loads(stored) == {"prospect": 7}


async def test_choosing_the_default_again_follows_the_default(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🤝 Keep in touch")
    await kari.press("Customers: 60 days")
    await kari.press("90 days")
    await kari.press("Customers: 90 days")
    [back] = await kari.press("60 days")

    assert "Customers: 60 days (default)" in back.text.splitlines()
    [(stored,)] = bot.rows("SELECT keep_in_touch FROM seller WHERE id = 1001")
    assert json.loads(stored) == {}


async def test_back_leads_from_the_choices_to_the_periods_and_on_to_the_settings(
    bot: Prospekt,
) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🤝 Keep in touch")
    await kari.press("Leads: 30 days")
    [periods] = await kari.press("‹ Back")
    assert periods.text.startswith("🤝 Keep in touch")
    [menu] = await kari.press("‹ Back")
    assert menu.text.startswith("Settings")


@pytest.mark.parametrize("forged", ["set:kit:prospect:5", "set:kit:nobody", "set:kit:lead:7:1"])
async def test_forged_periods_are_refused_and_nothing_is_saved(bot: Prospekt, forged: str) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🤝 Keep in touch")

    await kari.press_data(forged)

    assert kari.last_callback_answer is not None
    assert kari.last_callback_answer.text == WORDS["en"]["stale"]
    assert kari.last_callback_answer.show_alert
    [(stored,)] = bot.rows("SELECT keep_in_touch FROM seller WHERE id = 1001")
    assert json.loads(stored) == {}
