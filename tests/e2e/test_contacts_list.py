"""/contacts: the lists with their counts, filters, the order within a list, and paging
through hundreds of contacts on one message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.vocabulary import InteractionKind, Outcome, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import alerted, said
from tests.factories import add_contact, add_contacts, add_interaction, schedule_reminder
from tests.fakeapi import PhoneUser

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
STALE = "That button is no longer available."
EMPTY = {
    "en": "You have no contacts yet. Right after your next meeting, tap ➕ New meeting "
    "or type /meet.",
    "nb": "Du har ingen kontakter ennå. Rett etter neste møte trykker du ➕ Nytt møte "
    "eller skriver /meet.",
}
MENU = {
    "en": "Your contacts: {count}\nWhich list do you want to see?",
    "nb": "Kontaktene dine: {count}\nHvilken liste vil du se?",
}
FILTERS = {
    "en": [
        "Leads · {}",
        "Prospects · {}",
        "Customers · {}",
        "Repeat buyers · {}",
        "Not ready · {}",
        "Do not contact · {}",
        "All · {}",
    ],
    "nb": [
        "Leads · {}",
        "Prospekter · {}",
        "Kunder · {}",
        "Faste kunder · {}",
        "Ikke klare · {}",
        "Skal ikke kontaktes · {}",
        "Alle · {}",
    ],
}
PAGE = {
    "en": "{name} · {count} · page {page} of {pages}",
    "nb": "{name} · {count} · side {page} av {pages}",
}
BY_NAME = {"en": "Sorted by name.", "nb": "Sortert etter navn."}
BY_NEXT_STEP = {
    "en": "Next follow-up first (⏰ = due now), then whoever has waited longest.",
    "nb": "Neste oppfølging først (⏰ = nå), deretter de som har ventet lengst.",
}
LISTS = {"en": "‹ Lists", "nb": "‹ Lister"}
ALL = {"en": "All", "nb": "Alle"}


async def seller_with_a_chat(bot: Prospekt, user_id: int = 1001, language: str = "en") -> PhoneUser:
    """A seller who has written once (so their row exists) and seen the empty book."""
    seller = bot.user(user_id, language_code=language)
    await seller.send("/contacts")
    return seller


async def one_of_each(bot: Prospekt, owner: int) -> None:
    """Two leads, three prospects (one not ready), a customer, a repeat buyer, and two
    do-not-contact people (a prospect and a lead)."""
    await add_contacts(bot, owner, ["Lea Lead", "Leif Lead"])
    await add_contacts(bot, owner, ["Per Prospect", "Pia Prospect"], stage=Stage.PROSPECT)
    await add_contact(bot, owner, "Nora Notready", stage=Stage.PROSPECT, outcome=Outcome.NOT_READY)
    await add_contact(bot, owner, "Kari Customer", stage=Stage.CUSTOMER)
    await add_contact(bot, owner, "Rolf Repeat", stage=Stage.REPEAT)
    await add_contact(
        bot,
        owner,
        "Dag Declined",
        stage=Stage.PROSPECT,
        outcome=Outcome.SAID_NO,
        do_not_contact=True,
    )
    await add_contact(bot, owner, "Dina Donot", do_not_contact=True)


@LANGUAGES
async def test_contacts_without_any_says_how_to_start(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)

    empty = said(await seller.send("/contacts"))

    assert empty.text == EMPTY[language]
    assert empty.labels == []


@LANGUAGES
async def test_contacts_shows_every_list_with_its_count(bot: Prospekt, language: str) -> None:
    seller = await seller_with_a_chat(bot, language=language)
    await one_of_each(bot, 1001)

    menu = said(await seller.send("/contacts"))

    assert menu.text == MENU[language].format(count=9)
    counts = [2, 3, 1, 1, 1, 2, 9]  # do-not-contact people only in their own list and All
    assert menu.labels == [
        label.format(n) for label, n in zip(FILTERS[language], counts, strict=True)
    ]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, ["Lea Lead", "Leif Lead"]),
        (1, ["Nora Notready", "Per Prospect", "Pia Prospect"]),  # not ready is still a prospect
        (2, ["Kari Customer"]),
        (3, ["Rolf Repeat"]),
        (4, ["Nora Notready"]),
        (5, ["Dag Declined", "Dina Donot"]),
    ],
)
async def test_each_filter_lists_only_its_contacts(
    bot: Prospekt, index: int, expected: list[str]
) -> None:
    seller = await seller_with_a_chat(bot)
    await one_of_each(bot, 1001)
    menu = said(await seller.send("/contacts"))

    page = said(await seller.press(menu.labels[index]))

    assert page.labels[:-1] == expected
    assert page.edited and page.message_id == menu.message_id


async def test_all_lists_everyone_by_name_and_marks_those_not_to_contact(bot: Prospekt) -> None:
    seller = await seller_with_a_chat(bot)
    await one_of_each(bot, 1001)
    await add_contact(bot, 1001, "Åse Ødegård")
    await add_contact(bot, 1001, "ole olsen")

    page = said(await seller.press("All · 11", message=said(await seller.send("/contacts"))))

    assert (
        page.text == PAGE["en"].format(name="All", count=11, page=1, pages=2) + "\n" + BY_NAME["en"]
    )
    assert page.labels == [
        "Åse Ødegård",  # sorted as it is typed without Norwegian letters: "Ase Odegard"
        "🚫 Dag Declined",
        "🚫 Dina Donot",
        "Kari Customer",
        "Lea Lead",
        "Leif Lead",
        "Nora Notready",
        "ole olsen",
        "Per Prospect",
        "Pia Prospect",
        "▶️",
        LISTS["en"],
    ]


async def test_a_work_list_puts_the_soonest_follow_up_first_then_who_waited_longest(
    bot: Prospekt,
) -> None:
    seller = await seller_with_a_chat(bot)
    now = datetime.now(UTC)
    names = ["Due Later", "Overdue", "Never Contacted", "Contacted Long Ago", "Contacted Lately"]
    later, overdue, never, long_ago, lately = await add_contacts(
        bot, 1001, names, stage=Stage.PROSPECT
    )
    await schedule_reminder(bot, 1001, later, now + timedelta(days=5))
    await schedule_reminder(bot, 1001, overdue, now - timedelta(hours=2))
    await add_interaction(bot, 1001, long_ago, InteractionKind.CALL, None, now - timedelta(days=40))
    await add_interaction(bot, 1001, lately, InteractionKind.CALL, None, now - timedelta(days=2))
    await add_interaction(bot, 1001, later, InteractionKind.CALL, None, now - timedelta(days=90))

    page = said(await seller.press("Prospects · 5", message=said(await seller.send("/contacts"))))

    assert page.text == (
        PAGE["en"].format(name="Prospects", count=5, page=1, pages=1) + "\n" + BY_NEXT_STEP["en"]
    )
    assert page.labels == [
        "⏰ Overdue",
        "Due Later",
        "Never Contacted",
        "Contacted Long Ago",
        "Contacted Lately",
        LISTS["en"],
    ]
    assert page.callback_data["⏰ Overdue"] == f"c:{overdue}"
    assert page.callback_data["Never Contacted"] == f"c:{never}"


@LANGUAGES
async def test_paging_through_250_contacts_edits_one_message_and_shows_each_once(
    bot: Prospekt, language: str
) -> None:
    seller = await seller_with_a_chat(bot, language=language)
    names = [f"Lead {n:03d}" for n in range(1, 251)]
    await add_contacts(bot, 1001, names)
    menu = said(await seller.send("/contacts"))
    all_label = FILTERS[language][6].format(250)
    pages, seen = [said(await seller.press(all_label))], []

    while "▶️" in pages[-1].labels:
        seen += [label for label in pages[-1].labels if label.startswith("Lead")]
        pages.append(said(await seller.press("▶️")))
    seen += [label for label in pages[-1].labels if label.startswith("Lead")]

    assert seen == names
    assert len(pages) == 25
    assert {page.message_id for page in pages} == {menu.message_id}
    assert all(page.edited for page in pages)
    assert pages[0].labels[-2:] == ["▶️", LISTS[language]], "no ◀️ on the first page"
    assert pages[-1].labels[-2:] == ["◀️", LISTS[language]], "no ▶️ on the last page"
    assert pages[12].buttons[-2] == ["◀️", "▶️"]
    assert pages[-1].text.startswith(
        PAGE[language].format(name=ALL[language], count=250, page=25, pages=25)
    )
    back = said(await seller.press("◀️"))
    assert back.labels[0] == "Lead 231"


async def test_lists_button_goes_back_to_the_counts(bot: Prospekt) -> None:
    seller = await seller_with_a_chat(bot)
    await add_contacts(bot, 1001, ["Kari", "Ola"])
    menu = said(await seller.send("/contacts"))
    await seller.press("Leads · 2")

    again = said(await seller.press(LISTS["en"]))

    assert again.message_id == menu.message_id
    assert again.text == MENU["en"].format(count=2)


async def test_an_empty_list_says_so(bot: Prospekt) -> None:
    seller = await seller_with_a_chat(bot, language="nb")
    await add_contacts(bot, 1001, ["Kari"])
    await seller.send("/contacts")

    empty = said(await seller.press("Kunder · 0"))

    assert empty.text == "Kunder: ingen her akkurat nå."
    assert empty.labels == [LISTS["nb"]]


async def test_a_page_past_the_end_shows_the_last_page(bot: Prospekt) -> None:
    """Contacts deleted since the page was shown: the old ▶️ still lands somewhere real."""
    seller = await seller_with_a_chat(bot)
    await add_contacts(bot, 1001, [f"Lead {n:02d}" for n in range(1, 16)])
    await seller.send("/contacts")

    last = said(await seller.press_data("l:ld:7"))

    assert last.text.startswith("Leads · 15 · page 2 of 2")
    assert last.labels[0] == "Lead 11"


async def test_a_contact_button_opens_the_card_below_the_list(bot: Prospekt) -> None:
    seller = await seller_with_a_chat(bot)
    await add_contact(bot, 1001, "Kari Nordmann", company="Acme AS")
    await seller.send("/contacts")
    page = said(await seller.press("Leads · 1"))

    card = said(await seller.press("Kari Nordmann · Acme AS"))

    assert not card.edited and card.message_id != page.message_id, "the list stays"
    assert card.text.splitlines()[0] == "Kari Nordmann · Acme AS"


@pytest.mark.parametrize(
    "forged", ["l:xx:0", "l:pr:-1", "l:pr:abc", "l:pr", "l:", "l:pr:1:2", "l:pr:²", "l:pr:9999999"]
)
async def test_forged_list_data_is_refused(bot: Prospekt, forged: str) -> None:
    seller = await seller_with_a_chat(bot)
    await add_contacts(bot, 1001, ["Kari"])
    menu = said(await seller.send("/contacts"))

    assert await seller.press_data(forged, message=menu) == []
    assert alerted(seller, STALE)


async def test_another_sellers_lists_show_none_of_my_contacts(bot: Prospekt) -> None:
    await seller_with_a_chat(bot, 1001)
    await one_of_each(bot, 1001)
    other = await seller_with_a_chat(bot, 1002)
    await add_contact(bot, 1002, "Ola Other")

    menu = said(await other.send("/contacts"))
    page = said(await other.press("All · 1"))

    assert menu.text == MENU["en"].format(count=1)
    assert page.labels == ["Ola Other", LISTS["en"]]
    assert not {"Lea", "Per", "Kari", "Dag", "Dina"} & set(other.transcript().split())
