"""The reminder messages' buttons and their callback data (at most 64 bytes each).

r:<reminder id>            a digest line: that item's full nudge, as a new message
r:<reminder id>:<action>   a nudge's own buttons: d = done, t = tomorrow, w = next week
c:<contact id>[:note]      the contact card and its Add note (`bot.contacts.actions`)
m:e:<contact id>:follow    Pick a date: the meeting's follow-up step (`bot.meeting.presses`)

Every press is checked against the presser's own reminders in `bot.handlers.reminders`.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards import button, markup, rows
from bot.texts import Texts

DONE, TOMORROW, NEXT_WEEK = "d", "t", "w"
LABEL_MAX = 30


def data(reminder_id: int, *parts: str) -> str:
    return ":".join(["r", str(reminder_id), *parts])


def open_card(t: Texts, contact_id: int) -> InlineKeyboardButton:
    return button(t.plain("reminder.button.card"), f"c:{contact_id}")


def follow_up_keyboard(t: Texts, reminder_id: int, contact_id: int) -> InlineKeyboardMarkup:
    """Done (and how it went), two snoozes, a date of one's own, a note, the card."""
    return markup(
        [button(t.plain("reminder.button.done"), data(reminder_id, DONE))],
        [
            button(t.plain("reminder.button.tomorrow"), data(reminder_id, TOMORROW)),
            button(t.plain("reminder.button.next_week"), data(reminder_id, NEXT_WEEK)),
        ],
        [
            button(t.plain("reminder.button.pick"), f"m:e:{contact_id}:follow"),
            button(t.plain("reminder.button.note"), f"c:{contact_id}:note"),
        ],
        [open_card(t, contact_id)],
    )


def birthday_keyboard(t: Texts, reminder_id: int, contact_id: int) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("reminder.button.done"), data(reminder_id, DONE))],
        [
            button(t.plain("reminder.button.note"), f"c:{contact_id}:note"),
            open_card(t, contact_id),
        ],
    )


def card_only(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    """What a nudge keeps once handled: the way to the card."""
    return markup([open_card(t, contact_id)])


def digest_keyboard(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """One button per listed item, "3. Kari Nordmann", opening its nudge."""
    buttons = [button(_short(label), data(reminder_id)) for reminder_id, label in items]
    return markup(*rows(buttons, 2)) if buttons else None


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
