"""Reading the contacts files sellers send: phone exports, Google, Outlook, CRMs, broken ones."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.birthdays import Birthday
from bot.rules.contact_files import contact_file_kind, read_contact_file
from bot.rules.imported import (
    BAD_DATE,
    BAD_PHONE,
    COLUMNS,
    EMPTY_CARD,
    NO_CONTACTS,
    NO_NAME,
    NO_NAME_COLUMN,
    UNREADABLE,
    ImportedContact,
    Problem,
    ReadFile,
    read_birthday,
)
from bot.rules.typed_answers import read_import_choice
from storage.vocabulary import Answer, Stage

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 12, 2)


def read(name: str, region: str = "NO") -> ReadFile:
    found = read_contact_file(name, (DATA / name).read_bytes(), region=region, today=TODAY)
    assert found is not None
    return found


def test_an_android_21_export_is_decoded_card_by_card() -> None:
    assert read("android-2.1.vcf") == ReadFile(
        "vcf",
        (
            ImportedContact(
                row=1,
                name="Åse Kjærstad-Øvrebø",
                company="Fjord Økologi AS",
                phones=("+4791234567", "+4722334455"),
                emails=("ase@example.no",),
                birthday=Birthday(14, 3, 1985),
                note="Traff henne på messa i Lillestrøm, vil ha tilbud på økologisk kaffe",
            ),
            ImportedContact(
                row=2, name="Bjørn Ødegård", phones=("+4798765432",), note="TEL: ring meg"
            ),
            ImportedContact(
                row=4, name="Per Hansen", phones=("+4741234567",), note="BDAY: 1990-02-30"
            ),
        ),
        (
            Problem(2, BAD_PHONE, "ring meg", skipped=False),
            Problem(3, NO_NAME, "+4741234567"),
            Problem(4, BAD_DATE, "1990-02-30", skipped=False),
        ),
    )


def test_an_iphone_export_keeps_every_number_address_and_a_birthday_without_year() -> None:
    assert read("iphone-3.0.vcf") == ReadFile(
        "vcf",
        (
            ImportedContact(
                row=1,
                name="Kari Nordmann",
                company="Bøker & Blomster AS",
                title="Salgssjef",
                phones=("+4791234567", "+4722334455"),
                emails=("kari@bokerblomster.no", "kari.nordmann@example.no"),
                birthday=Birthday(21, 7, None),
                note="Vil ha demo i januar, etter budsjettmøtet. Liker korte møter og lange "
                "lunsjer.",
            ),
            ImportedContact(
                row=2, name="Ola Olsen", phones=("+4790011223",), birthday=Birthday(1, 12, 1979)
            ),
        ),
        (),
    )


def test_a_google_contacts_csv_maps_its_columns_and_keeps_the_rest_in_the_note() -> None:
    assert read("google-contacts.csv") == ReadFile(
        "csv",
        (
            ImportedContact(
                row=2,
                name="Åse Kjærstad-Øvrebø",
                company="Fjord Økologi AS",
                title="Daglig leder",
                phones=("+4791234567", "+4722334455"),
                emails=("ase@fjord.no", "ase@example.no"),
                birthday=Birthday(14, 3, 1985),
                note="Møttes på messa.\nVil ha tilbud.",
            ),
            ImportedContact(
                row=3,
                name="John Smith",
                company="Acme Inc.",
                phones=("+14155552671",),
                emails=("john@acme.com",),
                birthday=Birthday(2, 11, None),
                note="Nickname: Johnny",
            ),
        ),
        (),
    )


def test_an_outlook_csv_in_norwegian_windows_1252_with_semicolons() -> None:
    assert read("outlook-nb.csv") == ReadFile(
        "csv",
        (
            ImportedContact(
                row=2,
                name="Bjørn Ødegård",
                company="Ødegård Rør AS",
                title="Daglig leder",
                phones=("+4797766554", "+4722110099"),  # the mobile first
                emails=("bjorn@odegard-ror.no",),
                birthday=Birthday(17, 5, 1970),
                note="Ønsker pris på service\nKategorier: Kunder",
            ),
            ImportedContact(row=3, name="Marte Åsen", phones=("+4748123456",)),
        ),
        (),
    )


def test_broken_rows_cost_only_themselves_and_each_says_why() -> None:
    assert read("broken-rows.csv") == ReadFile(
        "csv",
        (
            ImportedContact(
                row=2,
                name="Kari Nordmann",
                company="Acme AS",
                phones=("+4791234567",),
                emails=("kari@acme.no",),
                birthday=Birthday(14, 3, 1985),
            ),
            ImportedContact(
                row=4,
                name="Ola Hansen",
                company="Hansen Bygg",
                emails=("ola@hansenbygg.no",),
                note="Phone: ring etter kl 16\nBirthday: 31.02.1980",
            ),
            ImportedContact(
                row=7, name="Liv Berg", phones=("+4793456789",), emails=("liv@berg.no",)
            ),
        ),
        (
            Problem(3, NO_NAME, "+47 912 34 568, ingen@example.no"),
            Problem(4, BAD_PHONE, "ring etter kl 16", skipped=False),
            Problem(4, BAD_DATE, "31.02.1980", skipped=False),
            Problem(5, COLUMNS, "Per Olsen,Olsen AS,+4741234567"),
            Problem(6, UNREADABLE, "?Ÿ’ÿþJUNK??,?,?,?,?"),
        ),
    )


def csv_file(*lines: str, encoding: str = "utf-8") -> ReadFile:
    found = read_contact_file(
        "contacts.csv", "\r\n".join(lines).encode(encoding), region="NO", today=TODAY
    )
    assert found is not None
    return found


KARI = ImportedContact(
    row=2,
    name="Kari Nordmann",
    company="Acme AS",
    phones=("+4791234567",),
    emails=("kari@acme.no",),
)


@pytest.mark.parametrize(
    ("header", "row", "contact"),
    [
        (  # HubSpot: a record id nobody maps goes into the note; the mobile comes first
            "Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name",
            "101,Kari,Nordmann,kari@acme.no,22 33 44 55,912 34 567,Acme AS",
            replace(KARI, phones=("+4791234567", "+4722334455"), note="Record ID: 101"),
        ),
        (  # Pipedrive
            '"Person - Name","Person - Organization","Person - Phone - Work","Person - Email"',
            '"Kari Nordmann","Acme AS","+47 912 34 567","kari@acme.no"',
            KARI,
        ),
        (  # Prospekt's own export: the stage and answers come back as they were
            "name,company,phone,email,stage,market_fit,budget,authority,birthday,notes",
            "Kari Nordmann,Acme AS,+4791234567,kari@acme.no,prospect,yes,no,yes,1985-03-14,Demo",
            replace(
                KARI,
                birthday=Birthday(14, 3, 1985),
                note="Demo",
                stage=Stage.PROSPECT,
                market_fit=Answer.YES,
                budget=Answer.NO,
                authority=Answer.YES,
            ),
        ),
        (  # a stage or answer no export of ours writes: a new lead, nothing known
            "name,company,stage,market_fit",
            "Kari Nordmann,Acme AS,hot,maybe",
            replace(KARI, phones=(), emails=()),
        ),
    ],
)
def test_crm_exports(header: str, row: str, contact: ImportedContact) -> None:
    assert csv_file(header, row).contacts == (contact,)


def test_a_utf8_bom_and_windows_1252_are_both_read() -> None:
    with_bom = read_contact_file(
        "a.csv", "\ufeffNavn;Firma\r\nÅse;Ørn AS".encode(), region="NO", today=TODAY
    )
    latin = csv_file("Navn;Firma", "Åse;Ørn AS", encoding="cp1252")

    assert with_bom is not None
    assert with_bom.contacts == latin.contacts == (ImportedContact(2, "Åse", "Ørn AS"),)


def test_a_row_with_only_a_company_is_named_after_it() -> None:
    assert csv_file("Name,Company", ",Acme AS").contacts == (ImportedContact(2, "Acme AS"),)


def test_a_sheet_without_a_name_column_says_so() -> None:
    assert csv_file("Phone,Email", "912 34 567,a@b.no") == ReadFile(
        "csv", (), (Problem(1, NO_NAME_COLUMN, "Phone;Email"),)
    )


def test_vcard_4_birthdays_without_a_year_and_an_empty_card() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kari\r\nBDAY:--0314\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ola\r\nBDAY:--03-15\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nTITLE:Sjef\r\nEND:VCARD\r\n"
    )
    found = read_contact_file("kontakter.vcf", text.encode(), region="NO", today=TODAY)

    assert found == ReadFile(
        "vcf",
        (
            ImportedContact(1, "Kari", birthday=Birthday(14, 3, None)),
            ImportedContact(2, "Ola", birthday=Birthday(15, 3, None)),
        ),
        (Problem(3, EMPTY_CARD),),
    )


@pytest.mark.parametrize(
    ("text", "birthday"),
    [
        ("1985-03-14", Birthday(14, 3, 1985)),
        ("19850314", Birthday(14, 3, 1985)),
        ("1985-03-14T00:00:00Z", Birthday(14, 3, 1985)),
        ("1604-03-14", Birthday(14, 3, None)),
        ("--0314", Birthday(14, 3, None)),
        ("14.03.1985", Birthday(14, 3, 1985)),
        ("14.3.85", Birthday(14, 3, 1985)),
        ("3/14/1985", Birthday(14, 3, 1985)),
        ("14/3/1985", Birthday(14, 3, 1985)),
        ("14. mars 1985", Birthday(14, 3, 1985)),
        ("31.02.1980", None),
        ("2030-01-01", None),
        ("soon", None),
    ],
)
def test_birthdays_as_files_write_them(text: str, birthday: Birthday | None) -> None:
    assert read_birthday(text, today=TODAY) == birthday


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [
        ("kontakter.vcf", None, "vcf"),
        ("Contacts.VCF", "application/octet-stream", "vcf"),
        ("contacts.csv", "application/vnd.ms-excel", "csv"),
        ("export", "text/x-vcard", "vcf"),
        (None, "text/csv; charset=utf-8", "csv"),
        ("offer.pdf", "application/pdf", None),
        ("contacts.pkl", None, None),
        (None, None, None),
    ],
)
def test_the_kind_of_file_comes_from_its_name_then_its_type(
    name: str | None, mime: str | None, kind: str | None
) -> None:
    assert contact_file_kind(name, mime) == kind


def test_empty_and_binary_files_say_so() -> None:
    assert read_contact_file("a.vcf", b"", region="NO", today=TODAY) == ReadFile(
        "vcf", (), (Problem(0, NO_CONTACTS),)
    )
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    assert read_contact_file("a.csv", png, region="NO", today=TODAY) == ReadFile(
        "csv", (), (Problem(0, UNREADABLE),)
    )


@settings(max_examples=200, deadline=1000)
@given(st.binary(max_size=3000), st.sampled_from(["a.vcf", "a.csv"]))
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    started = time.perf_counter()
    found = read_contact_file(name, data, region="NO", today=TODAY)

    assert found is not None and time.perf_counter() - started < 1
    assert all(c.name.strip() and all(p.startswith("+") for p in c.phones) for c in found.contacts)


CONTACTISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "BEGIN:VCARD",
                "END:VCARD",
                "VERSION:2.1",
                "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85se=",
                "BDAY:--",
                "NOTE:",
                "Name;Phone;Birthday",
                "First Name,Last Name,E-mail 1 - Value",
                '"a,"b"',
                "Kari,Nordmann,kari@",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=15,
)


@settings(max_examples=200, deadline=1000)
@given(
    CONTACTISH,
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    st.sampled_from(["a.vcf", "a.csv"]),
)
def test_arbitrary_text_in_any_encoding_never_raises(
    lines: list[str], line_break: str, encoding: str, name: str
) -> None:
    data = line_break.join(lines).encode(encoding, "replace")

    found = read_contact_file(name, data, region="NO", today=TODAY)

    assert found is not None
    assert all(problem.row >= 0 for problem in found.problems)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Merge", "merge"),
        ("slå sammen", "merge"),
        ("Sla sammen!", "merge"),
        ("skip those", "skip"),
        ("Hopp over", "skip"),
        ("add anyway", "add"),
        ("legg til", "add"),
        ("Hent inn", "add"),
        ("cancel", "cancel"),
        ("Avbryt.", "cancel"),
        ("Kari Nordmann", None),
        ("merge Kari", None),
    ],
)
def test_the_choice_at_the_preview_typed_in_both_languages(text: str, choice: str | None) -> None:
    assert read_import_choice(text) == choice
