"""Button builders, and the always-there New meeting button under the text field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.texts import LANGUAGES, Texts
from bot.ui.callbacks import fits


def button(label: str, data: str) -> InlineKeyboardButton:
    assert fits(data), f"callback data too long: {data!r}"
    return InlineKeyboardButton(label, callback_data=data)


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def markup(*button_rows: Iterable[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A keyboard of the given rows; empty rows (an optional button left out) are dropped."""
    return InlineKeyboardMarkup([list(row) for row in button_rows if row])


def short_label(text: str, limit: int) -> str:
    """A label cut to `limit` characters with an ellipsis, so a long name never wraps badly."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def new_meeting_labels() -> list[str]:
    """The New meeting button's label in every language (a seller may switch language)."""
    return [Texts(language).plain("meet.button.new") for language in LANGUAGES]


def new_meeting(t: Texts) -> ReplyKeyboardMarkup:
    """The always-there button under the text field: a meeting is one tap from anywhere."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t.plain("meet.button.new"))]], resize_keyboard=True, is_persistent=True
    )
