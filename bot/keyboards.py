"""Button builders and their compact callback data (Telegram allows 64 bytes).

Formats, one prefix per feature:
  tz:<origin>:<zone>   pick a time zone; origin "o" = onboarding, "s" = settings
  tz:<origin>:~list    show the list of common zones
  set:<what>[:<value>] settings screens and changes
  set:kit[:<stage>[:<days>]] keep-in-touch periods: all stages, one stage's choices, a choice
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from babel.dates import get_timezone, get_timezone_location
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.rules.pipeline import PERIOD_CHOICES
from bot.rules.timezones import COMMON_ZONES
from bot.screens import STAGE_GROUPS, quiet_label
from bot.texts import LANGUAGES, Texts
from storage.vocabulary import Stage

ONBOARDING = "o"
SETTINGS = "s"
LIST = "~list"
DIGEST_HOURS = (6, 7, 8, 9, 10, 11, 12, 13)
QUIET_PRESETS = ((20, 7), (21, 8), (22, 7), (23, 6), (0, 0))


ID_MAX = 2**31 - 1  # the id columns' range: a larger "id" is forged and never looked up


def number(text: str, limit: int = ID_MAX) -> int | None:
    """An id or page from callback data: plain ASCII digits within `limit`, else None.

    Not `str.isdigit`, which also accepts "²" that `int` then refuses.
    """
    if not text.isascii() or not text.isdigit() or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


def new_meeting_labels() -> list[str]:
    """The New meeting button's label in every language (a seller may switch language)."""
    return [Texts(language).plain("meet.button.new") for language in LANGUAGES]


def new_meeting(t: Texts) -> ReplyKeyboardMarkup:
    """The always-there button under the text field: a meeting is one tap from anywhere."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t.plain("meet.button.new"))]], resize_keyboard=True, is_persistent=True
    )


def button(label: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= 64, f"callback data too long: {data!r}"
    return InlineKeyboardButton(label, callback_data=data)


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def markup(*button_rows: Iterable[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A keyboard of the given rows; empty rows (an optional button left out) are dropped."""
    return InlineKeyboardMarkup([list(row) for row in button_rows if row])


def zone_confirm(t: Texts, zone: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("tz.keep", zone=zone), f"tz:{ONBOARDING}:{zone}")],
        [button(t("tz.other"), f"tz:{ONBOARDING}:{LIST}")],
    )


def zone_list(t: Texts, origin: str) -> InlineKeyboardMarkup:
    zones = [button(city_name(zone, t.language), f"tz:{origin}:{zone}") for zone in COMMON_ZONES]
    back = [button(t("button.back"), "set:menu")] if origin == SETTINGS else []
    return markup(*rows(zones, 2), back)


def city_name(zone: str, language: str) -> str:
    """The zone's city as the seller calls it: "København" in Norwegian, "Copenhagen" in English."""
    return str(get_timezone_location(get_timezone(zone), locale=language, return_city=True))


def settings_menu(t: Texts) -> InlineKeyboardMarkup:
    return markup(
        [
            button(t("settings.button.language"), "set:lang"),
            button(t("settings.button.timezone"), f"tz:{SETTINGS}:{LIST}"),
        ],
        [
            button(t("settings.button.digest"), "set:hour"),
            button(t("settings.button.quiet"), "set:quiet"),
        ],
        [
            button(t("settings.button.keep_in_touch"), "set:kit"),
            button(t("settings.button.card_days"), "set:card"),
        ],
        [button(t("button.done"), "set:done")],
    )


CARD_LEAD_DAYS = (0, 3, 5, 7, 10, 14)


def card_lead_days(t: Texts) -> InlineKeyboardMarkup:
    """How many days before a birthday the card reminder comes; 0 turns it off."""
    choices = [
        button(
            t.plain("settings.card.days", days=days) if days else t.plain("settings.card.off"),
            f"set:card:{days}",
        )
        for days in CARD_LEAD_DAYS
    ]
    return markup(*rows(choices, 3), [button(t("button.back"), "set:menu")])


def language_choice(t: Texts) -> InlineKeyboardMarkup:
    return markup(
        [button("English", "set:lang:en"), button("Norsk bokmål", "set:lang:nb")],
        [button(t("button.back"), "set:menu")],
    )


def digest_hours(t: Texts) -> InlineKeyboardMarkup:
    hours = [button(f"{hour:02d}:00", f"set:hour:{hour}") for hour in DIGEST_HOURS]
    return markup(*rows(hours, 4), [button(t("button.back"), "set:menu")])


def quiet_hours(t: Texts) -> InlineKeyboardMarkup:
    presets = [
        button(quiet_label(t, start, end), f"set:quiet:{start}:{end}")
        for start, end in QUIET_PRESETS
    ]
    return markup(*rows(presets, 2), [button(t("button.back"), "set:menu")])


def keep_in_touch_stages(t: Texts, periods: Mapping[Stage, int]) -> InlineKeyboardMarkup:
    """One button per stage, showing its period; pressing it offers the choices."""
    stages = [
        button(
            t.plain("settings.kit.line", stage=t.plain(STAGE_GROUPS[stage]), days=days),
            f"set:kit:{stage.value}",
        )
        for stage, days in periods.items()
    ]
    return markup(*rows(stages, 1), [button(t("button.back"), "set:menu")])


def keep_in_touch_days(t: Texts, stage: Stage, current: int) -> InlineKeyboardMarkup:
    """The preset periods for one stage, the current one ticked."""
    choices = [
        button(
            ("✓ " if days == current else "") + t.plain("settings.kit.days", days=days),
            f"set:kit:{stage.value}:{days}",
        )
        for days in PERIOD_CHOICES
    ]
    return markup(*rows(choices, 3), [button(t("button.back"), "set:kit")])
