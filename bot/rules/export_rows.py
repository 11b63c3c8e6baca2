"""The rows of /export's two CSV files, from what the database holds about each contact.

Column names are stable, machine-friendly English whatever the seller's language, so that
importing our own export can map every column; values are the stored words (`lead`, `yes`,
`meeting`) and ISO 8601 times in the seller's time zone, with their offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from storage.vocabulary import Answer, InteractionKind, Stage

CONTACT_COLUMNS = (
    "contact_id",
    "name",
    "company",
    "phone",
    "email",
    "stage",
    "market_fit",
    "budget",
    "authority",
    "do_not_contact",
    "birthday",
    "last_contacted",
    "next_follow_up",
    "open_concerns",
    "sales_value",
    "source",
    "interactions",
    "created",
)
INTERACTION_COLUMNS = ("contact_id", "contact", "kind", "when", "text")
CONCERN_SEPARATOR = "\n"  # one open concern a line, inside the one quoted cell
VALUE_SEPARATOR = "; "  # between sums in different currencies


class ContactFacts(Protocol):
    """One contact with what hangs on it (`storage.queries.exports.ContactLine`)."""

    @property
    def contact_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def stage(self) -> Stage: ...
    @property
    def market_fit(self) -> Answer: ...
    @property
    def budget(self) -> Answer: ...
    @property
    def authority(self) -> Answer: ...
    @property
    def do_not_contact(self) -> bool: ...
    @property
    def birth_day(self) -> int | None: ...
    @property
    def birth_month(self) -> int | None: ...
    @property
    def birth_year(self) -> int | None: ...
    @property
    def last_contacted_at(self) -> datetime | None: ...
    @property
    def next_follow_up(self) -> datetime | None: ...
    @property
    def open_concerns(self) -> Sequence[str]: ...
    @property
    def sales(self) -> Sequence[tuple[str, Decimal]]: ...
    @property
    def source(self) -> str | None: ...
    @property
    def interactions(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


class InteractionFacts(Protocol):
    """One logged activity (`storage.queries.exports.InteractionLine`)."""

    @property
    def contact_id(self) -> int: ...
    @property
    def contact(self) -> str: ...
    @property
    def kind(self) -> InteractionKind: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def text(self) -> str | None: ...


def local_time(moment: datetime | None, zone: str) -> str:
    """`2026-12-11T10:00+01:00`: the seller's wall clock, and the offset that pins it."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def birthday(day: int | None, month: int | None, year: int | None) -> str:
    """`1985-03-14`, or `--03-14` when the year is not known (as vCard 4 writes it)."""
    if day is None or month is None:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def sales_value(sales: Sequence[tuple[str, Decimal]]) -> str:
    """`12500.00 NOK`, one sum per currency sold in."""
    return VALUE_SEPARATOR.join(f"{amount:.2f} {currency}" for currency, amount in sales)


def contact_row(contact: ContactFacts, zone: str) -> list[str]:
    """The contact's cells, in `CONTACT_COLUMNS` order."""
    return [
        str(contact.contact_id),
        contact.name,
        contact.company or "",
        contact.phone or "",
        contact.email or "",
        contact.stage.value,
        contact.market_fit.value,
        contact.budget.value,
        contact.authority.value,
        "yes" if contact.do_not_contact else "no",
        birthday(contact.birth_day, contact.birth_month, contact.birth_year),
        local_time(contact.last_contacted_at, zone),
        local_time(contact.next_follow_up, zone),
        CONCERN_SEPARATOR.join(contact.open_concerns),
        sales_value(contact.sales),
        contact.source or "",
        str(contact.interactions),
        local_time(contact.created_at, zone),
    ]


def interaction_row(interaction: InteractionFacts, zone: str) -> list[str]:
    """The activity's cells, in `INTERACTION_COLUMNS` order."""
    return [
        str(interaction.contact_id),
        interaction.contact,
        interaction.kind.value,
        local_time(interaction.occurred_at, zone),
        interaction.text or "",
    ]
