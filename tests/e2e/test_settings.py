"""/settings: every change is saved at once and survives a restart of the bot."""

from __future__ import annotations

import pytest
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


CLASH = {
    "en": {
        "digest": "☀️ Morning digest",
        "quiet": "🌙 Quiet hours",
        "off": "Off",
        "warning": "⚠️ 07:00 is in your quiet hours (21:00–08:00), so your morning digest and "
        "follow-up reminders wait until 08:00.",
        "fix": "Move the morning digest to 08:00",
        "line": "Morning digest: {hour}",
    },
    "nb": {
        "digest": "☀️ Morgenoversikt",
        "quiet": "🌙 Stilletid",
        "off": "Av",
        "warning": "⚠️ Kl. 07:00 er i stilletiden din (21:00–08:00), så morgenoversikten og "
        "påminnelsene om oppfølging venter til kl. 08:00.",
        "fix": "Flytt morgenoversikten til 08:00",
        "line": "Morgenoversikt: {hour}",
    },
}


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("order", ["digest_last", "quiet_last"])
async def test_a_digest_hour_inside_the_quiet_hours_is_said_with_a_one_tap_fix(
    bot: Prospekt, language: str, order: str
) -> None:
    words = CLASH[language]
    seller = bot.user(1001, language_code=language)
    await seller.send("/settings")
    await seller.press(words["quiet"])
    await seller.press(words["off"])
    if order == "digest_last":  # quiet hours 21–08 first, then a digest hour inside them
        await seller.press(words["quiet"])
        await seller.press("21:00–08:00")
        await seller.press(words["digest"])
        [warned] = await seller.press("07:00")
    else:  # the digest hour first (fine while quiet hours are off), then quiet hours over it
        await seller.press(words["digest"])
        [fine] = await seller.press("07:00")
        assert words["warning"] not in fine.text
        await seller.press(words["quiet"])
        [warned] = await seller.press("21:00–08:00")

    assert warned.text.endswith("\n\n" + words["warning"]), "one line under the summary"
    assert warned.buttons[0] == [words["fix"]], "the fix comes first, on a row of its own"
    assert bot.rows("SELECT digest_hour FROM seller") == [(7,)], "saved as chosen"

    [fixed] = await seller.press(words["fix"])

    assert words["line"].format(hour="08:00") in fixed.text
    assert words["warning"] not in fixed.text
    assert words["fix"] not in fixed.labels
    assert bot.rows("SELECT digest_hour, quiet_start_hour, quiet_end_hour FROM seller") == [
        (8, 21, 8)
    ]


async def test_a_digest_hour_left_inside_the_quiet_hours_is_said_again_in_settings(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/settings")
    await seller.press("☀️ Morning digest")
    await seller.press("06:00")  # inside the default quiet hours, 21:00–08:00
    [closed] = await seller.press("Done")

    [again] = await seller.send("/settings")

    assert "⚠️" not in closed.text, "Done just closes the settings"
    assert again.text.endswith("so your morning digest and follow-up reminders wait until 08:00.")
    assert again.buttons[0] == ["Move the morning digest to 08:00"]


@pytest.mark.parametrize(
    ("language", "city", "line"),
    [("en", "Trondheim", "Time zone: Europe/Oslo"), ("nb", "Stavanger", "Tidssone: Europe/Oslo")],
)
async def test_a_city_typed_in_the_settings_sets_its_zone(
    bot: Prospekt, language: str, city: str, line: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/settings")
    await seller.press("🕒 Time zone" if language == "en" else "🕒 Tidssone")
    await seller.press("Tokyo")
    await seller.press("🕒 Time zone" if language == "en" else "🕒 Tidssone")

    [summary] = await seller.send(city)

    assert line in summary.text
    assert bot.rows("SELECT timezone FROM seller") == [("Europe/Oslo",)]
