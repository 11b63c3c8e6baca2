"""The reminder messages' buttons (callback data from `bot.ui.callbacks`).

A digest line opens its nudge (`r:<id>`); a nudge's own buttons act on the reminder
(d = done, t = tomorrow, w = next week) or reach the card, its Add note, and the meeting's
follow-up step. Every press is checked against the presser's own reminders
(`bot.reminders.presses`).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Texts
from bot.ui import callbacks
from bot.ui.callbacks import reminder as data
from bot.ui.keyboards import button, markup, rows, short_label

DONE, TOMORROW, NEXT_WEEK = "d", "t", "w"
LABEL_MAX = 30


def open_card(t: Texts, contact_id: int) -> InlineKeyboardButton:
    return button(t.plain("reminder.button.card"), callbacks.card(contact_id))


def follow_up_keyboard(t: Texts, reminder_id: int, contact_id: int) -> InlineKeyboardMarkup:
    """Done (and how it went), two snoozes, a date of one's own, a note, the card."""
    return markup(
        [button(t.plain("reminder.button.done"), data(reminder_id, DONE))],
        [
            button(t.plain("reminder.button.tomorrow"), data(reminder_id, TOMORROW)),
            button(t.plain("reminder.button.next_week"), data(reminder_id, NEXT_WEEK)),
        ],
        [
            button(t.plain("reminder.button.pick"), callbacks.meeting("e", contact_id, "follow")),
            button(t.plain("reminder.button.note"), callbacks.card(contact_id, "note")),
        ],
        [open_card(t, contact_id)],
    )


def birthday_keyboard(t: Texts, reminder_id: int, contact_id: int) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("reminder.button.done"), data(reminder_id, DONE))],
        [
            button(t.plain("reminder.button.note"), callbacks.card(contact_id, "note")),
            open_card(t, contact_id),
        ],
    )


def card_only(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    """What a nudge keeps once handled: the way to the card."""
    return markup([open_card(t, contact_id)])


def digest_keyboard(items: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup | None:
    """One button per listed item, "3. Kari Nordmann", opening its nudge (or its card)."""
    buttons = [button(short_label(label, LABEL_MAX), opens) for opens, label in items]
    return markup(*rows(buttons, 2)) if buttons else None
