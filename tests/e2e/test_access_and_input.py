"""Who may use the bot, and what anyone gets for input the bot does not understand."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MakeBot
from tests.e2e.harness import Prospekt
from tests.fakeapi import FakeTelegramServer


async def test_users_off_the_allow_list_are_refused_and_not_stored(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot(allowed_user_ids=frozenset({1001}))
    stranger = bot.user(2002, first_name="Stranger", language_code="nb")

    [refusal] = await stranger.send("/start")
    await stranger.send("hei")

    assert refusal.text == "Beklager, denne Prospekt-boten er privat. Spør eieren om tilgang."
    assert bot.rows("SELECT id FROM seller") == []
    [greeting] = await bot.user(1001, language_code="en").send("/start")
    assert greeting.text.startswith("Hi")
    assert bot.rows("SELECT id FROM seller") == [(1001,)]
    telegram.assert_no_errors()


async def test_a_refused_user_pressing_an_old_button_gets_an_alert(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    open_bot = await make_bot()
    stranger = open_bot.user(2002, language_code="en")
    await stranger.send("/settings")
    await open_bot.stop()
    closed_bot = await make_bot(allowed_user_ids=frozenset({1001}))

    assert await stranger.press("🌐 Language") == []

    answer = stranger.last_callback_answer
    assert answer is not None
    assert answer.show_alert
    assert answer.text == "Sorry, this Prospekt bot is private. Ask its owner for access."
    assert closed_bot.rows("SELECT language FROM seller WHERE id = 2002") == [("en",)]


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("en", "I don't know /frobnicate. /help lists what I can do."),
        ("nb", "Jeg kjenner ikke /frobnicate. /help viser hva jeg kan."),
    ],
)
async def test_unknown_command_points_to_help(bot: Prospekt, language: str, reply: str) -> None:
    [answer] = await bot.user(1001, language_code=language).send("/frobnicate now")
    assert answer.text == reply


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("en", "I'm not sure what to do with that. /help lists what I can do."),
        ("nb", "Det vet jeg ikke hva jeg skal gjøre med. /help viser hva jeg kan."),
    ],
)
async def test_stray_text_points_to_help(bot: Prospekt, language: str, reply: str) -> None:
    """(A file is answered by the contacts import: tests/e2e/test_import.py.)"""
    seller = bot.user(1001, language_code=language)
    [after_text] = await seller.send("<b>hello & goodbye</b>, a note too long to be a name")
    assert after_text.text == reply


async def test_help_lists_the_commands(bot: Prospekt) -> None:
    [help_text] = await bot.user(1001, language_code="en").send("/help")
    assert help_text.text.startswith("Prospekt keeps the people you sell to")
    assert "/settings" in help_text.text


@pytest.mark.parametrize(
    ("language", "intro"),
    [("en", "Prospekt keeps the people you sell to"), ("nb", "Prospekt holder styr på dem")],
)
async def test_help_lists_every_command_of_the_menu_in_its_order(
    bot: Prospekt, telegram: FakeTelegramServer, language: str, intro: str
) -> None:
    """/help is built from the menu, so a command added there cannot be missing here."""
    [help_text] = await bot.user(1001, language_code=language).send("/help")

    menu_language = None if language == "en" else language  # English is everyone's default
    menu = [command for command, _ in telegram.commands(language_code=menu_language)]
    lines = [line for line in help_text.text.splitlines() if line.startswith("/")]
    assert [line.split(":")[0] for line in lines] == [f"/{command}" for command in menu]
    assert "contacts" in menu
    assert all(len(line.split(": ", 1)[1]) > 5 for line in lines), "each says what it does"
    assert help_text.text.startswith(intro)


async def test_cancel_leaves_the_question_and_says_so(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/start")
    await kari.press("🌍 Another time zone")

    [stopped] = await kari.send("/cancel")
    [pointer] = await kari.send("Tokyo")
    [nothing] = await kari.send("/cancel")

    assert stopped.text == "Stopped. Everything you saved before is kept."
    assert pointer.text.startswith("No contact matches “Tokyo”."), "searched, not a zone"
    assert nothing.text.startswith("There's nothing to stop.")
    assert bot.rows("SELECT timezone, timezone_confirmed FROM seller") == [("Europe/Oslo", 0)]


@pytest.mark.parametrize(
    "data", ["set:hour:99", "set:lang:de", "set:quiet:1:2", "tz:s:Mars/Olympus", "set:"]
)
async def test_forged_settings_buttons_change_nothing(bot: Prospekt, data: str) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")

    await kari.press_data(data)

    answer = kari.last_callback_answer
    assert answer is not None
    assert answer.text == "That button is no longer available."
    assert bot.rows("SELECT language, timezone, digest_hour, quiet_start_hour FROM seller") == [
        ("en", "Europe/Oslo", 8, 21)
    ]


async def test_a_seller_who_blocked_the_bot_gets_no_retry_storm(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot()
    kari = bot.user(1001, language_code="en")
    telegram.block(1001)

    assert await kari.send("/help") == []

    refused = [call.method for call in telegram.errors]
    assert refused == ["sendMessage"], "one refused reply, no apology sent after it"
