"""Every number the seller sees about one book agrees: /contacts, /pipeline (text and chart),
/today and /status, all counted by `bot.rules.counting` from the same seeded contacts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from bot.pipeline import handlers as pipeline_screen
from bot.pipeline.chart import Bar, funnel_png
from bot.reminders import jobs
from bot.rules.counting import Group, count_book
from storage.vocabulary import Outcome, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import DAY, database, oslo_time, oslo_today, seed_contact, seed_seller

SELLER = 1001
LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
STAGE_WORDS = {
    "en": {
        Stage.LEAD: "Leads",
        Stage.PROSPECT: "Prospects",
        Stage.CUSTOMER: "Customers",
        Stage.REPEAT: "Repeat buyers",
    },
    "nb": {
        Stage.LEAD: "Leads",
        Stage.PROSPECT: "Prospekter",
        Stage.CUSTOMER: "Kunder",
        Stage.REPEAT: "Faste kunder",
    },
}


@dataclass(frozen=True)
class Seeded:
    name: str
    path: tuple[Stage, ...]
    do_not_contact: bool = False
    outcome: Outcome | None = None
    follow_up_in_days: int | None = None


BOOK = [
    Seeded("Lea Lead", (Stage.LEAD,), follow_up_in_days=0),
    Seeded("Leo Lead", (Stage.LEAD,)),
    Seeded("Lars Nei", (Stage.LEAD,), do_not_contact=True, outcome=Outcome.SAID_NO),
    Seeded("Pia Prospekt", (Stage.LEAD, Stage.PROSPECT), follow_up_in_days=3),
    Seeded("Per Venter", (Stage.LEAD, Stage.PROSPECT), outcome=Outcome.NOT_READY,
           follow_up_in_days=-1),
    Seeded("Pål Stopp", (Stage.LEAD, Stage.PROSPECT), do_not_contact=True,
           outcome=Outcome.NOT_READY),
    Seeded("Kari Kunde", (Stage.LEAD, Stage.PROSPECT, Stage.CUSTOMER), outcome=Outcome.BOUGHT,
           follow_up_in_days=10),
    Seeded("Rolf Fast", (Stage.LEAD, Stage.PROSPECT, Stage.CUSTOMER, Stage.REPEAT),
           outcome=Outcome.BOUGHT, follow_up_in_days=20),
]  # fmt: skip


@pytest.fixture(autouse=True)
def no_background_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dispatcher would send the due follow-ups as nudges into the chat mid-test."""

    async def idle(target: object) -> None:
        return None

    monkeypatch.setattr(jobs, "dispatch_once", idle)


async def seed(bot: Prospekt, language: str) -> None:
    today = oslo_today()
    async with database(bot) as session:
        await seed_seller(session, SELLER, language)
        for person in BOOK:
            due = person.follow_up_in_days
            await seed_contact(
                session,
                SELLER,
                person.name,
                path=person.path,
                do_not_contact=person.do_not_contact,
                outcome=person.outcome,
                follow_up=None if due is None else oslo_time(today + due * DAY, 12),
            )


def expected() -> Any:
    return count_book(Group(p.path[-1], p.do_not_contact, p.outcome, 1) for p in BOOK)


def counted(text: str, label: str) -> int:
    """The number after `label` on a screen: "Leads · 2", "Leads: 2"."""
    match = re.search(rf"(?m)^{re.escape(label)}(?: ·|:) (\d+)", text)
    assert match is not None, f"{label!r} not in:\n{text}"
    return int(match.group(1))


@LANGUAGES
async def test_every_screen_counts_the_same_book_the_same_way(
    bot: Prospekt, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(bot, language)
    seller = bot.user(SELLER, language_code=language)
    charted: list[list[Bar]] = []
    real_chart = funnel_png

    def chart(title: str, bars: list[Bar], steps: list[str | None]) -> bytes:
        charted.append(bars)
        return real_chart(title, bars, steps)

    monkeypatch.setattr(pipeline_screen, "funnel_png", chart)
    book, words = expected(), STAGE_WORDS[language]

    menu = said(await seller.send("/contacts"))
    [_, numbers] = await seller.send("/pipeline")
    focus = said(await seller.send("/today"))
    status = said(await seller.send("/status"))

    listed = "\n".join(menu.labels)
    for stage, word in words.items():
        assert counted(listed, word) == book.in_stage[stage], f"/contacts {word}"
        assert counted(numbers.text, word) == book.in_stage[stage], f"/pipeline {word}"
    assert [bar.count for bar in charted[0]] == [book.in_stage[s] for s in Stage], "the chart"
    dnc = {"en": "🚫 Do not contact", "nb": "🚫 Skal ikke kontaktes"}[language]
    assert counted(numbers.text, dnc) == book.do_not_contact
    assert counted(listed, {"en": "Do not contact", "nb": "Skal ikke kontaktes"}[language]) == (
        book.do_not_contact
    )
    assert counted(listed, {"en": "Not ready", "nb": "Ikke klare"}[language]) == book.not_ready
    assert counted(listed, {"en": "All", "nb": "Alle"}[language]) == book.total

    active = [p for p in BOOK if not p.do_not_contact]
    due = [p.name for p in active if p.follow_up_in_days is not None and p.follow_up_in_days <= 0]
    assert sorted(name for name in due if name in focus.text) == sorted(due), "/today"
    assert not any(p.name in focus.text for p in BOOK if p.do_not_contact)
    planned = [p for p in active if p.follow_up_in_days is not None and p.follow_up_in_days > 0]
    assert all(p.name in status.text for p in planned), "/status lists what is still to come"
    assert not any(p.name in status.text for p in BOOK if p.do_not_contact)
