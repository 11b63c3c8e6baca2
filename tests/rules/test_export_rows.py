"""The rows and cards of /export, from a contact's facts, without a bot or a database."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

import vobject
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.export_rows import (
    CONTACT_COLUMNS,
    INTERACTION_COLUMNS,
    contact_row,
    interaction_row,
)
from bot.rules.spreadsheet import FORMULA_STARTS, csv_row
from bot.rules.vcard_export import vcard
from storage.vocabulary import Answer, InteractionKind, Stage

WHEN = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Facts:
    contact_id: int = 7
    name: str = "Kari Nordmann"
    company: str | None = "Acme AS"
    phone: str | None = "+4791234567"
    email: str | None = "kari@acme.no"
    stage: Stage = Stage.PROSPECT
    market_fit: Answer = Answer.YES
    budget: Answer = Answer.UNKNOWN
    authority: Answer = Answer.NO
    do_not_contact: bool = False
    birth_day: int | None = 14
    birth_month: int | None = 3
    birth_year: int | None = 1985
    last_contacted_at: datetime | None = WHEN
    next_follow_up: datetime | None = None
    open_concerns: tuple[str, ...] = ()
    sales: tuple[tuple[str, Decimal], ...] = ()
    source: str | None = None
    interactions: int = 0
    created_at: datetime = WHEN


@dataclass(frozen=True)
class Activity:
    contact_id: int = 7
    contact: str = "Kari Nordmann"
    kind: InteractionKind = InteractionKind.CALL
    occurred_at: datetime = WHEN
    text: str | None = None


def test_a_contact_row_names_each_column_with_times_in_the_sellers_zone() -> None:
    facts = replace(
        Facts(),
        sales=(("EUR", Decimal(100)), ("NOK", Decimal("12500.5"))),
        open_concerns=("Price?", "Boss"),
    )
    row = dict(zip(CONTACT_COLUMNS, contact_row(facts, "Europe/Oslo"), strict=True))
    assert row["birthday"] == "1985-03-14"
    assert row["last_contacted"] == "2026-07-01T10:30+02:00"  # summer time in Oslo
    assert row["next_follow_up"] == ""
    assert row["sales_value"] == "100.00 EUR; 12500.50 NOK"
    assert row["open_concerns"] == "Price?\nBoss"
    assert (row["market_fit"], row["budget"], row["authority"]) == ("yes", "unknown", "no")


def test_an_activity_row_is_in_the_sellers_zone() -> None:
    row = interaction_row(Activity(text="Rang back"), "America/New_York")
    assert dict(zip(INTERACTION_COLUMNS, row, strict=True)) == {
        "contact_id": "7",
        "contact": "Kari Nordmann",
        "kind": "call",
        "when": "2026-07-01T04:30-04:00",
        "text": "Rang back",
    }


def test_a_card_without_a_birth_year_uses_apples_placeholder() -> None:
    card = vobject.readOne(vcard(replace(Facts(), birth_year=None), "Prospekt"))
    assert card.bday.value == "1604-03-14"
    assert card.bday.params["X-APPLE-OMIT-YEAR"] == ["1604"]
    assert (card.n.value.given, card.n.value.family) == ("Kari", "Nordmann")
    assert card.categories.value == ["Prospekt"]


text = st.text()
optional = st.none() | text


@given(
    name=text,
    company=optional,
    phone=optional,
    email=optional,
    source=optional,
    concerns=st.lists(text, max_size=3).map(tuple),
    note=optional,
)
def test_no_cell_of_any_contact_can_start_a_formula(
    name: str,
    company: str | None,
    phone: str | None,
    email: str | None,
    source: str | None,
    concerns: tuple[str, ...],
    note: str | None,
) -> None:
    facts = replace(
        Facts(),
        name=name,
        company=company,
        phone=phone,
        email=email,
        source=source,
        open_concerns=concerns,
        birth_year=None,
    )
    lines = csv_row(contact_row(facts, "Europe/Oslo")) + csv_row(
        interaction_row(Activity(contact=name, text=note), "Europe/Oslo")
    )
    for row in csv.reader(io.StringIO(lines, newline="")):
        assert all(not cell or cell[0] not in FORMULA_STARTS for cell in row), row
