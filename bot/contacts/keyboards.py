"""The contact book's buttons beyond the card's own (`bot.ui.card`): the edit menu, the
concerns, delete and undo, and the lists. Callback data from `bot.ui.callbacks`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import N_, Texts
from bot.ui import callbacks
from bot.ui.callbacks import card as card_data
from bot.ui.callbacks import meeting as meet_data
from bot.ui.keyboards import button, markup, rows, short_label
from storage.queries.book import ALPHABETICAL, BookFilter, ListRow

LABEL_MAX = 60
FILTER_NAMES = {
    BookFilter.LEADS: N_("book.filter.leads"),
    BookFilter.PROSPECTS: N_("book.filter.prospects"),
    BookFilter.CUSTOMERS: N_("book.filter.customers"),
    BookFilter.REPEAT: N_("book.filter.repeat"),
    BookFilter.NOT_READY: N_("book.filter.not_ready"),
    BookFilter.DO_NOT_CONTACT: N_("book.filter.dnc"),
    BookFilter.ALL: N_("book.filter.all"),
}
EDITABLE = ("phone", "email")  # typed here; the others reuse the meeting's steps


def back(t: Texts, contact_id: int) -> list[InlineKeyboardButton]:
    return [button(t.plain("button.back"), card_data(contact_id, "card"))]


def edit_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    cid = contact_id
    return markup(
        [
            button(t.plain("card.edit.name"), meet_data("e", cid, "name")),
            button(t.plain("card.edit.company"), meet_data("e", cid, "company")),
        ],
        [
            button(t.plain("book.button.phone"), card_data(cid, "ed", "phone")),
            button(t.plain("book.button.email"), card_data(cid, "ed", "email")),
        ],
        [
            button(t.plain("card.edit.birthday"), meet_data("e", cid, "bday")),
            button(t.plain("card.edit.criteria"), meet_data("e", cid, "crit")),
        ],
        back(t, cid),
    )


def field_keyboard(t: Texts, contact_id: int, field: str) -> InlineKeyboardMarkup:
    """Under "type the new phone number": a way to remove the one there is."""
    key = N_("book.button.remove_phone") if field == "phone" else N_("book.button.remove_email")
    return markup([button(t.plain(key), card_data(contact_id, "clr", field))])


def concerns_keyboard(
    t: Texts, contact_id: int, concern_ids: Sequence[int]
) -> InlineKeyboardMarkup:
    resolve = [
        button(f"✅ {number}", card_data(contact_id, "res", str(concern_id)))
        for number, concern_id in enumerate(concern_ids, start=1)
    ]
    add = [button(t.plain("book.button.new_concern"), card_data(contact_id, "addq"))]
    return markup(*rows(resolve, 5), add, back(t, contact_id))


def delete_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("book.button.delete_yes"), card_data(contact_id, "delok"))],
        back(t, contact_id),
    )


def undo_keyboard(t: Texts, undo_id: int) -> InlineKeyboardMarkup:
    return markup([button(t.plain("book.button.undo"), callbacks.undo(undo_id))])


def menu_keyboard(t: Texts, counts: dict[BookFilter, int]) -> InlineKeyboardMarkup:
    def pick(book_filter: BookFilter) -> InlineKeyboardButton:
        label = t.plain(FILTER_NAMES[book_filter])
        return button(f"{label} · {counts[book_filter]}", callbacks.lists(book_filter, 0))

    pairs = [f for f in BookFilter if f is not BookFilter.ALL]
    return markup(*rows([pick(f) for f in pairs], 2), [pick(BookFilter.ALL)])


def row_label(row: ListRow, book_filter: BookFilter, now: datetime) -> str:
    """ "Kari Nordmann · Acme AS", marked ⏰ when a follow-up is due, 🚫 in All when off-limits."""
    label = " · ".join(filter(None, [row.name, row.company]))
    if book_filter is BookFilter.ALL and row.do_not_contact:
        label = f"🚫 {label}"
    elif book_filter not in ALPHABETICAL and row.follow_up_at and row.follow_up_at <= now:
        label = f"⏰ {label}"
    return short_label(label, LABEL_MAX)


def page_keyboard(
    t: Texts,
    book_filter: BookFilter,
    page: int,
    pages: int,
    found: Sequence[ListRow],
    now: datetime,
) -> InlineKeyboardMarkup:
    """One button per contact, then ◀️ ▶️ (where there is somewhere to go), then the lists."""
    people = [[button(row_label(r, book_filter, now), card_data(r.id))] for r in found]
    nav = []
    if page > 0:
        nav.append(button("◀️", callbacks.lists(book_filter, page - 1)))
    if page < pages - 1:
        nav.append(button("▶️", callbacks.lists(book_filter, page + 1)))
    return markup(*people, nav, [button(t.plain("book.button.lists"), callbacks.lists("menu"))])
