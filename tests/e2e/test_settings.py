"""/settings: every change is saved at once and survives a restart of the bot."""

from __future__ import annotations

from telegram import BotCommandScopeChat

from tests.e2e.harness import Prospekt
from tests.fakeapi import FakeTelegramServer


async def test_settings_changes_survive_a_restart(
    bot: Prospekt, telegram: FakeTelegramServer
) -> None:
    kari = bot.user(1001, language_code="en")
    [menu] = await kari.send("/settings")
    assert menu.text.splitlines()[:2] == ["Settings", "Language: English"]

    await kari.press("🌐 Language")
    [norsk] = await kari.press("Norsk bokmål")
    assert norsk.text.startswith("Innstillinger\nSpråk: Norsk bokmål")
    assert kari.last_callback_answer is not None
    assert kari.last_callback_answer.text == "Lagret"
    await kari.press("☀️ Morgenoversikt")
    await kari.press("07:00")
    await kari.press("🌙 Stilletid")
    await kari.press("22:00–07:00")
    await kari.press("🕒 Tidssone")
    [summary] = await kari.press("Tokyo")
    assert "Tidssone: Asia/Tokyo" in summary.text

    await bot.restart()
    [after] = await kari.send("/settings")

    lines = after.text.splitlines()
    assert lines[1:6] == [
        "Språk: Norsk bokmål",
        lines[2],  # the clock moves on; the zone is what must persist
        "Morgenoversikt: 07:00",
        "Stilletid: 22:00–07:00",
        "Påminnelse om kort: 5 dager før",
    ]
    assert lines[2].startswith("Tidssone: Asia/Tokyo (nå ")
    assert dict(telegram.commands(scope=BotCommandScopeChat(1001)))["help"] == (
        "Hva Prospekt kan gjøre"
    )


async def test_typed_zone_in_settings_returns_to_the_settings(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🕒 Time zone")

    [summary] = await kari.send("New York")

    assert "Time zone: America/New_York" in summary.text
    assert "🌐 Language" in summary.labels


async def test_a_restart_between_question_and_answer_loses_nothing(bot: Prospekt) -> None:
    ola = bot.user(1002, language_code="nb")
    await ola.send("/start")
    await ola.press("🌍 En annen tidssone")

    await bot.restart()
    [saved] = await ola.send("Stockholm")

    assert saved.text.startswith("Tidssonen er lagret: Europe/Stockholm")


async def test_quiet_hours_can_be_turned_off_and_back_is_harmless(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🌙 Quiet hours")
    await kari.press("‹ Back")
    await kari.press("🌙 Quiet hours")
    [summary] = await kari.press("Off")

    assert "Quiet hours: Off" in summary.text
    assert bot.rows("SELECT quiet_start_hour, quiet_end_hour FROM seller") == [(0, 0)]


async def test_done_closes_the_settings_message(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    [closed] = await kari.press("Done")
    assert closed.labels == []
    assert closed.text.startswith("Settings")


async def test_birthday_card_reminder_days_can_be_changed_or_turned_off(bot: Prospekt) -> None:
    kari = bot.user(1001, language_code="en")
    await kari.send("/settings")
    await kari.press("🎂 Card reminder")
    [summary] = await kari.press("10 days before")
    assert "Birthday card reminder: 10 days before" in summary.text

    await kari.press("🎂 Card reminder")
    [summary] = await kari.press("Off")

    assert "Birthday card reminder: Off" in summary.text
    assert bot.rows("SELECT birthday_lead_days FROM seller") == [(0,)]
