"""The settings' and onboarding's buttons (callback data from `bot.ui.callbacks`).

tz:<origin>:<zone>   pick a time zone; origin "o" = onboarding, "s" = settings
tz:<origin>:~list    show the list of common zones
set:<what>[:<value>] settings screens and changes
set:kit[:<stage>[:<days>]] keep-in-touch periods: all stages, one stage's choices, a choice
set:cal[:new|:off]   the calendar subscription link (`bot.settings.calendar_link`)
"""

from __future__ import annotations

from collections.abc import Mapping

from babel.dates import get_timezone, get_timezone_location
from telegram import InlineKeyboardMarkup

from bot.rules.pipeline import PERIOD_CHOICES
from bot.rules.timezones import COMMON_ZONES
from bot.texts import LANGUAGE_NAMES, Texts
from bot.ui.callbacks import setting, zone
from bot.ui.keyboards import button, markup, rows
from bot.ui.labels import STAGE_GROUPS, quiet_label
from storage.vocabulary import Stage

ONBOARDING = "o"
SETTINGS = "s"
LIST = "~list"
DIGEST_HOURS = (6, 7, 8, 9, 10, 11, 12, 13)
QUIET_PRESETS = ((20, 7), (21, 8), (22, 7), (23, 6), (0, 0))


def zone_confirm(t: Texts, current: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("tz.keep", zone=current), zone(ONBOARDING, current))],
        [button(t("tz.other"), zone(ONBOARDING, LIST))],
    )


def zone_list(t: Texts, origin: str) -> InlineKeyboardMarkup:
    zones = [button(city_name(name, t.language), zone(origin, name)) for name in COMMON_ZONES]
    back = [button(t("button.back"), setting("menu"))] if origin == SETTINGS else []
    return markup(*rows(zones, 2), back)


def city_name(name: str, language: str) -> str:
    """The zone's city as the seller calls it: "København" in Norwegian, "Copenhagen" in English."""
    return str(get_timezone_location(get_timezone(name), locale=language, return_city=True))


def settings_menu(
    t: Texts, *, move_digest_to: int | None = None, calendar: bool = False
) -> InlineKeyboardMarkup:
    """The settings' buttons; first, when the digest hour is in the quiet hours, the one-tap
    fix that moves it to `move_digest_to`; the calendar link's when the bot serves one."""
    fix = []
    if move_digest_to is not None:
        label = t.plain("settings.digest.move", hour=f"{move_digest_to:02d}:00")
        fix = [button(label, setting("hour", move_digest_to))]
    return markup(
        fix,
        [
            button(t("settings.button.language"), setting("lang")),
            button(t("settings.button.timezone"), zone(SETTINGS, LIST)),
        ],
        [
            button(t("settings.button.digest"), setting("hour")),
            button(t("settings.button.quiet"), setting("quiet")),
        ],
        [
            button(t("settings.button.keep_in_touch"), setting("kit")),
            button(t("settings.button.card_days"), setting("card")),
        ],
        [button(t.plain("settings.calendar.button"), setting("cal"))] if calendar else [],
        [button(t("button.done"), setting("done"))],
    )


CARD_LEAD_DAYS = (0, 3, 5, 7, 10, 14)


def card_lead_days(t: Texts) -> InlineKeyboardMarkup:
    """How many days before a birthday the card reminder comes; 0 turns it off."""
    choices = [
        button(
            t.plain("settings.card.days", days=days) if days else t.plain("settings.card.off"),
            setting("card", days),
        )
        for days in CARD_LEAD_DAYS
    ]
    return markup(*rows(choices, 3), [button(t("button.back"), setting("menu"))])


def language_choice(t: Texts) -> InlineKeyboardMarkup:
    languages = [button(name, setting("lang", code)) for code, name in LANGUAGE_NAMES.items()]
    return markup(languages, [button(t("button.back"), setting("menu"))])


def digest_hours(t: Texts) -> InlineKeyboardMarkup:
    hours = [button(f"{hour:02d}:00", setting("hour", hour)) for hour in DIGEST_HOURS]
    return markup(*rows(hours, 4), [button(t("button.back"), setting("menu"))])


def quiet_hours(t: Texts) -> InlineKeyboardMarkup:
    presets = [
        button(quiet_label(t, start, end), setting("quiet", start, end))
        for start, end in QUIET_PRESETS
    ]
    return markup(*rows(presets, 2), [button(t("button.back"), setting("menu"))])


def keep_in_touch_stages(t: Texts, periods: Mapping[Stage, int]) -> InlineKeyboardMarkup:
    """One button per stage, showing its period; pressing it offers the choices."""
    stages = [
        button(
            t.plain("settings.kit.line", stage=t.plain(STAGE_GROUPS[stage]), days=days),
            setting("kit", stage.value),
        )
        for stage, days in periods.items()
    ]
    return markup(*rows(stages, 1), [button(t("button.back"), setting("menu"))])


def keep_in_touch_days(t: Texts, stage: Stage, current: int) -> InlineKeyboardMarkup:
    """The preset periods for one stage, the current one ticked."""
    choices = [
        button(
            ("✓ " if days == current else "") + t.plain("settings.kit.days", days=days),
            setting("kit", stage.value, days),
        )
        for days in PERIOD_CHOICES
    ]
    return markup(*rows(choices, 3), [button(t("button.back"), setting("kit"))])
