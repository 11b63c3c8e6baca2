"""A new seller's first minute: greeting, what the bot does, time zone, command menu."""

from __future__ import annotations

import pytest
from telegram import BotCommandScopeChat

from tests.e2e.conftest import MakeBot
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.fakeapi import FakeTelegramServer


async def test_english_seller_is_greeted_and_confirms_the_offered_zone(bot: Prospekt) -> None:
    kari = bot.user(1001, first_name="Kari", language_code="en")

    [greeting] = await kari.send("/start")

    assert greeting.text.startswith("Hi Kari! I'm Prospekt, your pocket CRM.")
    assert greeting.text.count("\n•") == 3, "three short lines on what the bot does"
    assert "Europe/Oslo" in greeting.text
    assert greeting.labels == ["✅ Yes, Europe/Oslo", "🌍 Another time zone"]

    saved, ready = await kari.press("✅ Yes, Europe/Oslo")

    assert saved.edited
    assert saved.text.startswith("Time zone saved: Europe/Oslo")
    assert saved.labels == []
    assert ready.text.startswith("You're all set. Right after your next meeting, tap ➕")
    assert kari.reply_keyboard == [["➕ New meeting"]], "a meeting is one tap away from now on"
    assert bot.rows("SELECT timezone, timezone_confirmed, language FROM seller") == [
        ("Europe/Oslo", 1, "en")
    ]


async def test_norwegian_seller_types_a_city_after_a_wrong_guess(bot: Prospekt) -> None:
    ola = bot.user(1002, first_name="Ola", language_code="nb")

    [greeting] = await ola.send("/start")
    assert greeting.text.startswith("Hei Ola! Jeg er Prospekt")
    [picker] = await ola.press("🌍 En annen tidssone")
    assert picker.text.startswith("Velg tidssonen din")
    assert {"Tokyo", "København"} <= set(picker.labels), "city names in the seller's language"
    assert all(picker.buttons), "no empty rows"

    [puzzled] = await ola.send("Narnia")
    assert "Jeg kjenner ingen tidssone som heter «Narnia»" in puzzled.text
    [saved] = await ola.send("tokyo")

    assert saved.text.startswith("Tidssonen er lagret: Asia/Tokyo")
    assert ola.reply_keyboard == [["➕ Nytt møte"]]
    assert bot.rows("SELECT timezone FROM seller WHERE id = 1002") == [("Asia/Tokyo",)]


async def test_zone_picked_from_the_list_is_saved(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/start")
    await kari.press("🌍 Another time zone")

    saved, _ready = await kari.press("Los Angeles")

    assert saved.text.startswith("Time zone saved: America/Los_Angeles")


async def test_command_menus_exist_in_both_languages_and_follow_the_seller(
    bot: Prospekt, telegram: FakeTelegramServer
) -> None:
    english = dict(telegram.commands())
    norwegian = dict(telegram.commands(language_code="nb"))
    features = {"meet", "today", "pipeline", "find", "brief", "contacts", "status", "export"}
    features |= {"calendar", "forget_me"}
    assert set(english) == set(norwegian) == features | {"start", "help", "settings", "cancel"}
    assert english["cancel"] == "Stop the current step"
    assert norwegian["cancel"] == "Avbryt det du holder på med"

    await bot.user(1002, language_code="nb").send("/start")

    chat_menu = dict(telegram.commands(scope=BotCommandScopeChat(1002)))
    assert chat_menu["settings"] == "Språk, tidssone, påminnelser"


async def test_returning_seller_is_welcomed_back_without_questions(bot: Prospekt) -> None:
    kari = bot.user(1001, first_name="Kari", language_code="en")
    await kari.send("/start")
    await kari.press("✅ Yes, Europe/Oslo")

    [again] = await kari.send("/start")

    assert again.text.startswith("Welcome back, Kari!")
    assert again.labels == []


async def test_configured_default_language_overrides_telegram(make_bot: MakeBot) -> None:
    bot = await make_bot(default_language="nb")
    [greeting] = await bot.user(1003, language_code="en").send("/start")
    assert greeting.text.startswith("Hei")


async def test_names_with_html_characters_are_shown_as_typed(bot: Prospekt) -> None:
    [greeting] = await bot.user(1004, first_name='<b>&"Kari', language_code="en").send("/start")
    assert greeting.text.startswith('Hi <b>&"Kari!')


@pytest.mark.parametrize(
    ("language", "city", "zone", "saved"),
    [
        ("nb", "Bergen", "Europe/Oslo", "Tidssonen er lagret: Europe/Oslo"),
        ("nb", "tromso", "Europe/Oslo", "Tidssonen er lagret: Europe/Oslo"),
        ("en", "Göteborg", "Europe/Stockholm", "Time zone saved: Europe/Stockholm"),
        ("en", "Aarhus", "Europe/Copenhagen", "Time zone saved: Europe/Copenhagen"),
    ],
)
async def test_a_city_that_names_no_zone_is_still_understood(
    bot: Prospekt, language: str, city: str, zone: str, saved: str
) -> None:
    seller = bot.user(1002, language_code=language)
    await seller.send("/start")
    await seller.press("🌍 En annen tidssone" if language == "nb" else "🌍 Another time zone")

    [answer] = await seller.send(city)

    assert answer.text.startswith(saved)
    assert bot.rows("SELECT timezone FROM seller WHERE id = 1002") == [(zone,)]


TYPED_AT_THE_ZONE_QUESTION = {
    "en": {
        "yes": "yes",
        "no": "no",
        "saved": "Time zone saved: Europe/Oslo",
        "city": "Göteborg",
        "city_saved": "Time zone saved: Europe/Stockholm",
        "pick": "Pick your time zone, or type a city",
        "ready": "You're all set.",
    },
    "nb": {
        "yes": "Ja!",
        "no": "nei",
        "saved": "Tidssonen er lagret: Europe/Oslo",
        "city": "Tromsø",
        "city_saved": "Tidssonen er lagret: Europe/Oslo",
        "pick": "Velg tidssonen din, eller skriv en by",
        "ready": "Da er alt klart.",
    },
}


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_yes_typed_at_the_zone_question_keeps_the_offered_zone(
    bot: Prospekt, language: str
) -> None:
    words = TYPED_AT_THE_ZONE_QUESTION[language]
    seller = bot.user(1002, first_name="Åse", language_code=language)
    [greeting] = await seller.send("/start")

    saved = said(await seller.send(words["yes"]))

    assert saved.text.startswith(words["saved"])
    assert words["ready"] in saved.text
    asked = seller.chat.find(greeting.message_id)
    assert asked is not None and asked.labels == [], "the question's buttons go once answered"
    assert bot.rows("SELECT timezone, timezone_confirmed FROM seller") == [("Europe/Oslo", 1)]
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_a_city_typed_at_the_zone_question_is_where_they_are(
    bot: Prospekt, language: str
) -> None:
    words = TYPED_AT_THE_ZONE_QUESTION[language]
    seller = bot.user(1002, language_code=language)
    await seller.send("/start")

    [puzzled] = await seller.send("Narnia")
    saved = said(await seller.send(words["city"]))

    assert "Narnia" in puzzled.text and "/cancel" in puzzled.text
    assert saved.text.startswith(words["city_saved"])
    assert bot.rows("SELECT timezone_confirmed FROM seller") == [(1,)]


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_no_typed_at_the_zone_question_shows_the_list(bot: Prospekt, language: str) -> None:
    words = TYPED_AT_THE_ZONE_QUESTION[language]
    seller = bot.user(1002, language_code=language)
    await seller.send("/start")

    picker = said(await seller.send(words["no"]))
    [saved] = await seller.send("Tokyo")

    assert picker.text.startswith(words["pick"])
    assert "Tokyo" in picker.labels
    assert "Asia/Tokyo" in saved.text
    assert bot.rows("SELECT timezone FROM seller") == [("Asia/Tokyo",)]
