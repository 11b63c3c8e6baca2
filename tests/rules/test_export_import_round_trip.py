"""What /export writes, the import reads back: a seller moving accounts loses no one.

Any contact the bot can hold goes out through `contacts.csv` or `contacts.vcf` and comes back
through the importer's parsers with the same name, company, phone, e-mail and birthday; from
the CSV also with its stage and answers. Names that start like a spreadsheet formula
(`=`, `+`, `-`, `@`, `'`) come back without the `'` the export put in front of them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.birthdays import Birthday
from bot.rules.contact_files import read_contact_file
from bot.rules.export_rows import CONTACT_COLUMNS, contact_row
from bot.rules.imported import NAME_MAX, ImportedContact
from bot.rules.spreadsheet import csv_header, csv_row
from bot.rules.vcard_export import vcard
from storage.vocabulary import Answer, Stage
from tests.rules.test_export_rows import Facts

TODAY = date(2026, 12, 2)
ZONE = "Europe/Oslo"

_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåéüABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"
_WORD = st.text(_LETTERS + "-'.&", min_size=1, max_size=12).filter(
    lambda word: any(c.isalpha() for c in word)
)
_FORMULA_STARTS = st.sampled_from(["", "=", "+", "-", "@", "'"])
_NAMES = st.builds(
    lambda first, rest: first + "".join(f" {word}" for word in rest),
    st.builds(lambda lead, word: lead + word, _FORMULA_STARTS, _WORD),
    st.lists(_WORD, max_size=3),
).filter(lambda name: len(name) <= NAME_MAX)
# Norwegian mobile prefixes the phone library knows ("42" is not one: +47 42… is refused).
MOBILE = ["40", "41", "46", "47", "48", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"]
_PHONES = st.builds(
    lambda first, rest: f"+47{first}{rest:06d}", st.sampled_from(MOBILE), st.integers(0, 999_999)
)
_EMAILS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}@[a-z]{1,10}\.(no|com)", fullmatch=True)


@st.composite
def _contacts(draw: st.DrawFn) -> Facts:
    name = draw(_NAMES)
    company = draw(st.none() | _NAMES.filter(lambda company: company != name))
    birthday = draw(
        st.none()
        | st.builds(
            lambda day, month, year: (day, month, year),
            st.integers(1, 28),
            st.integers(1, 12),
            st.none() | st.integers(1920, 2008),
        )
    )
    day, month, year = birthday or (None, None, None)
    return replace(
        Facts(),
        name=name,
        company=company,
        phone=draw(st.none() | _PHONES),
        email=draw(st.none() | _EMAILS),
        birth_day=day,
        birth_month=month,
        birth_year=year,
        stage=draw(st.sampled_from(Stage)),
        market_fit=draw(st.sampled_from(Answer)),
        budget=draw(st.sampled_from(Answer)),
        authority=draw(st.sampled_from(Answer)),
    )


def _read_back(name: str, data: bytes) -> ImportedContact:
    read = read_contact_file(name, data, region="NO", today=TODAY)
    assert read is not None
    assert read.problems == ()
    [contact] = read.contacts
    return contact


def _same_person(facts: Facts, contact: ImportedContact) -> None:
    assert contact.name == facts.name
    assert contact.company == facts.company
    assert contact.phones == ((facts.phone,) if facts.phone else ())
    assert contact.emails == ((facts.email,) if facts.email else ())
    expected = (
        Birthday(facts.birth_day, facts.birth_month, facts.birth_year)
        if facts.birth_day and facts.birth_month
        else None
    )
    assert contact.birthday == expected


@given(_contacts())
def test_a_contact_exported_to_csv_imports_as_the_same_person_in_the_same_stage(
    facts: Facts,
) -> None:
    text = csv_header(CONTACT_COLUMNS) + csv_row(contact_row(facts, ZONE))
    contact = _read_back("contacts.csv", text.encode("utf-8"))
    _same_person(facts, contact)
    assert (contact.stage, contact.market_fit, contact.budget, contact.authority) == (
        facts.stage,
        facts.market_fit,
        facts.budget,
        facts.authority,
    )


@given(_contacts())
def test_a_contact_exported_to_vcard_imports_as_the_same_person(facts: Facts) -> None:
    contact = _read_back("contacts.vcf", vcard(facts, "Lead").encode("utf-8"))
    _same_person(facts, contact)


def test_an_exported_sheet_of_many_contacts_comes_back_row_by_row() -> None:
    people = [
        replace(Facts(), contact_id=1, name="=Åse Kjærstad", phone="+4791234567"),
        replace(Facts(), contact_id=2, name="Ola Nordmann", phone=None, stage=Stage.CUSTOMER),
    ]
    text = csv_header(CONTACT_COLUMNS) + "".join(csv_row(contact_row(p, ZONE)) for p in people)
    read = read_contact_file("contacts.csv", text.encode("utf-8"), region="NO", today=TODAY)
    assert read is not None
    assert [(c.row, c.name, c.phones, c.stage) for c in read.contacts] == [
        (2, "=Åse Kjærstad", ("+4791234567",), Stage.PROSPECT),
        (3, "Ola Nordmann", (), Stage.CUSTOMER),
    ]
