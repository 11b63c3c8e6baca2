"""/contacts: the lists with their counts, then one list a page at a time, on one message."""

from __future__ import annotations

from telegram import Update

from bot.contacts.keyboards import FILTER_NAMES, menu_keyboard, page_keyboard
from bot.context import BotContext
from bot.rules.counting import Group, count_book
from bot.texts import N_, Safe
from bot.ui.callbacks import decode, number
from bot.ui.screen import reply
from storage.queries import book, pipeline
from storage.queries.book import ALPHABETICAL, BookFilter
from storage.vocabulary import Stage

PAGE_SIZE = 10
PAGE_MAX = 999_999  # further than any list goes; a page past the end shows the last one
FILTERS = {f.value: f for f in BookFilter}


async def list_counts(context: BotContext) -> dict[BookFilter, int]:
    """How many each list holds, by the one definition of the book's numbers."""
    async with context.sessions.begin() as session:
        groups = await pipeline.book_groups(session, owner_id=context.me.id)
    numbers = count_book(Group(*group) for group in groups)
    stages = {
        BookFilter.LEADS: Stage.LEAD,
        BookFilter.PROSPECTS: Stage.PROSPECT,
        BookFilter.CUSTOMERS: Stage.CUSTOMER,
        BookFilter.REPEAT: Stage.REPEAT,
    }
    counts = {book_filter: numbers.in_stage[stage] for book_filter, stage in stages.items()}
    counts[BookFilter.NOT_READY] = numbers.not_ready
    counts[BookFilter.DO_NOT_CONTACT] = numbers.do_not_contact
    counts[BookFilter.ALL] = numbers.total
    return counts


async def show_menu(update: Update, context: BotContext, *, edit: bool) -> None:
    """Each list with how many it holds; a seller without contacts is told how to start."""
    counts = await list_counts(context)
    t = context.t
    if counts[BookFilter.ALL] == 0:
        await reply(update, t("book.empty"), edit=edit)
        return
    text = t("book.menu", count=counts[BookFilter.ALL])
    await reply(update, text, menu_keyboard(t, counts), edit=edit)


async def list_pressed(update: Update, context: BotContext) -> None:
    """A filter or a ◀️ ▶️ press: show that page in place (forged data gets an alert)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode(query.data)
    match [decoded.action, *decoded.args] if decoded else []:
        case ["menu"]:
            await query.answer()
            await show_menu(update, context, edit=True)
        case [code, page] if code in FILTERS and number(page, PAGE_MAX) is not None:
            await query.answer()
            await show_page(update, context, FILTERS[code], int(page))
        case _:
            await query.answer(context.t.plain("common.stale"), show_alert=True)


async def show_page(
    update: Update, context: BotContext, book_filter: BookFilter, page: int
) -> None:
    """One page; a page past the end (contacts deleted since) shows the last one."""
    total = (await list_counts(context))[book_filter]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages - 1)
    async with context.sessions.begin() as session:
        found = await book.list_page(
            session,
            owner_id=context.me.id,
            book_filter=book_filter,
            limit=PAGE_SIZE,
            offset=page * PAGE_SIZE,
        )
    t = context.t
    name = t(FILTER_NAMES[book_filter])
    if total == 0:
        text = t("book.list.empty", name=name)
    else:
        order = (
            N_("book.list.by_name") if book_filter in ALPHABETICAL else N_("book.list.by_next_step")
        )
        heading = t("book.list.title", name=name, count=total, page=page + 1, pages=pages)
        text = Safe(f"{heading}\n{t(order)}")
    keyboard = page_keyboard(t, book_filter, page, pages, found, context.now)
    await reply(update, text, keyboard)
