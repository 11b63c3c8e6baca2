"""A contacts spreadsheet saved as CSV: Google Contacts, Outlook (in English or Norwegian),
iPhone export apps, HubSpot, Pipedrive, and Prospekt's own export.

Columns are recognised by their usual names, compared folded ("E-postadresse",
"E-mail Address" and "Person - Email" are all an e-mail); a column nobody recognises keeps
its non-empty values in the note as "Header: value", so nothing the file said is lost.
Comma, semicolon (Excel in Norway) or tab, whichever the header uses most. A cell written
with a leading `'` so that a spreadsheet would not run it (our own export does this, see
`bot.rules.spreadsheet`) is read without it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from bot.rules.imported import (
    BAD_DATE,
    BAD_PHONE,
    COLUMNS,
    NAME_MAX,
    NO_CONTACTS,
    NO_NAME,
    NO_NAME_COLUMN,
    UNREADABLE,
    ImportedContact,
    Problem,
    ReadFile,
    clean,
    is_empty_date,
    note_of,
    read_birthday,
    shown,
    unreadable,
)
from bot.rules.phones import to_e164
from bot.rules.spreadsheet import restore
from bot.rules.typed_answers import has_letters
from storage.vocabulary import Answer, Stage, fold

W = TypeVar("W", Stage, Answer)

FIELD_MAX = 1_000_000  # characters in one cell: far beyond any real one, short of a hang

# Folded headers (letters and digits only) of each field, best first. A bare "Title" is
# left out: Outlook's is "Mr."/"Ms.", the job is "Job Title".
_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "fullname",
        "displayname",
        "contactname",
        "personname",
        "navn",
        "fulltnavn",
        "visningsnavn",
        "kontaktnavn",
    ),
    "first": ("firstname", "givenname", "fornavn", "personfirstname"),
    "middle": ("middlename", "additionalname", "mellomnavn"),
    "last": ("lastname", "familyname", "surname", "etternavn", "personlastname"),
    "company": (
        "company",
        "companyname",
        "organization",
        "organisation",
        "organizationname",
        "organization1name",
        "personorganization",
        "firma",
        "firmanavn",
        "bedrift",
        "organisasjon",
    ),
    "title": (
        "jobtitle",
        "organizationtitle",
        "organization1title",
        "position",
        "stilling",
        "jobbtittel",
    ),
    "birthday": (
        "birthday",
        "birthdate",
        "dateofbirth",
        "fodselsdag",
        "fodselsdato",
        "bursdag",
    ),
    "note": ("notes", "note", "notater", "notat", "merknader", "kommentar"),
    # Prospekt's own export (`bot.rules.export_rows`): its stored words come back as they were.
    "stage": ("stage",),
    "market_fit": ("marketfit",),
    "budget": ("budget",),
    "authority": ("authority",),
}
_FIELD_OF = {key: name for name, keys in _COLUMNS.items() for key in keys}
_PHONE_WORDS = ("phone", "telefon", "mobil", "tlf", "cell")
_EMAIL_WORDS = ("email", "epost")
# "E-mail Type", "Phone 1 - Label", Google's "Phonetic First Name"
_NOT_A_VALUE = ("type", "label", "displayname", "visningsnavn", "phonetic")
# Columns that say nothing about the person (Outlook's defaults, Google's groups) and
# Prospekt's own export's bookkeeping (its ids, counts and creation times belong to the
# account it came from).
_IGNORED = frozenset(
    {
        "groupmembership",
        "labels",
        "fileas",
        "priority",
        "prioritet",
        "sensitivity",
        "sensitivitet",
        "private",
        "privat",
        "gender",
        "kjonn",
        "initials",
        "initialer",
        "id",
        "contactid",
        "source",
        "kilde",
        "created",
        "createdat",
        "interactions",
    }
)
_NOTHING = frozenset({"normal", "false", "usann", "unspecified", "uspesifisert", "mycontacts"})
_KEY = re.compile(r"[^a-z0-9]")
_DELIMITERS = (",", ";", "\t")


@dataclass
class _Layout:
    """Which columns hold what."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    phones: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    ignored: set[int] = field(default_factory=set)

    def first(self, name: str, row: list[str]) -> str | None:
        """The first non-empty value of the field, and none of the others."""
        return next((row[i].strip() for i in self.fields.get(name, []) if row[i].strip()), None)

    def claimed(self, name: str, row: list[str]) -> int | None:
        return next((i for i in self.fields.get(name, []) if row[i].strip()), None)


def read_csv(text: str, *, region: str, today: date) -> ReadFile:
    """Every row of the sheet below its header: a contact each, or a problem saying why not."""
    rows = _rows(text.lstrip("\ufeff"))
    first = next(rows, None)
    if first is None:
        return ReadFile("csv", (), (Problem(0, NO_CONTACTS),))
    header = [cell.strip() for cell in first[1]]
    layout = _layout(header)
    if not (layout.fields.get("name") or layout.fields.get("first") or layout.fields.get("last")):
        return ReadFile("csv", (), (Problem(1, NO_NAME_COLUMN, shown(";".join(header))),))
    contacts: list[ImportedContact] = []
    problems: list[Problem] = []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if any(unreadable(cell) for cell in row):
            problems.append(Problem(number, UNREADABLE, shown(",".join(row))))
        elif len(row) != len(header):
            problems.append(Problem(number, COLUMNS, shown(",".join(row))))
        else:
            contact = _contact(number, header, layout, row, region, today, problems)
            if contact is not None:
                contacts.append(contact)
    if not contacts and not problems:
        problems.append(Problem(0, NO_CONTACTS))
    return ReadFile("csv", tuple(contacts), tuple(problems))


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows with their numbers (the header is 1); a row the csv module refuses
    (an overlong cell) comes as one unreadable cell."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(FIELD_MAX)
    try:
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield number, ["\x00"]
                continue
            yield number, [restore(cell) for cell in row]
    finally:
        csv.field_size_limit(limit)


def _key(header: str) -> str:
    key = _KEY.sub("", fold(header))
    return key.removeprefix("person") if key.removeprefix("person") in _FIELD_OF else key


def _layout(header: list[str]) -> _Layout:
    layout = _Layout()
    for index, title in enumerate(header):
        key = _key(title)
        if key in _IGNORED or any(word in key for word in _NOT_A_VALUE):
            layout.ignored.add(index)
        elif key in _FIELD_OF:
            layout.fields.setdefault(_FIELD_OF[key], []).append(index)
        elif any(word in key for word in _EMAIL_WORDS):
            layout.emails.append(index)
        elif any(word in key for word in _PHONE_WORDS):
            layout.phones.append(index)
    layout.phones.sort(key=lambda i: not _is_mobile(_key(header[i])))  # the mobile first
    for columns in layout.fields.values():  # best name first, whatever the sheet's order
        columns.sort(key=lambda i: _COLUMNS_ORDER.get(_key(header[i]), 99))
    return layout


def _is_mobile(key: str) -> bool:
    return "mobil" in key or "cell" in key


_COLUMNS_ORDER = {key: rank for keys in _COLUMNS.values() for rank, key in enumerate(keys)}


def _contact(
    number: int,
    header: list[str],
    layout: _Layout,
    row: list[str],
    region: str,
    today: date,
    problems: list[Problem],
) -> ImportedContact | None:
    parts = [layout.first(part, row) or "" for part in ("first", "middle", "last")]
    name = clean(layout.first("name", row) or " ".join(parts), NAME_MAX)
    company = clean(layout.first("company", row), NAME_MAX)
    if not (name and has_letters(name)):
        name = company
    if not (name and has_letters(name)):
        problems.append(Problem(number, NO_NAME, shown(", ".join(c for c in row if c.strip()))))
        return None
    used = {i for f in _COLUMNS if (i := layout.claimed(f, row)) is not None}
    if layout.first("name", row):  # the name came whole: its parts say nothing more
        used |= {i for f in ("first", "middle", "last") for i in layout.fields.get(f, [])}
    extra: list[str] = []
    phones: list[str] = []
    for index in layout.phones:
        raw = row[index].strip()
        if not raw:
            continue
        phone = to_e164(raw, region=region)
        if phone is None:
            problems.append(Problem(number, BAD_PHONE, shown(raw), skipped=False))
            extra.append(f"{header[index]}: {raw}")
        elif phone not in phones:
            phones.append(phone)
    emails: list[str] = []
    for index in layout.emails:
        address = row[index].strip()
        if address and address.casefold() not in {e.casefold() for e in emails}:
            emails.append(address)
    birthday = None
    written = layout.first("birthday", row)
    if written and not is_empty_date(written):
        birthday = read_birthday(written, today=today)
        if birthday is None:
            problems.append(Problem(number, BAD_DATE, shown(written), skipped=False))
            extra.append(f"{header[layout.fields['birthday'][0]]}: {written}")
    taken = used | set(layout.phones) | set(layout.emails) | layout.ignored
    for index, value in enumerate(row):
        value = value.strip()
        if index not in taken and value and fold(value) not in _NOTHING and header[index]:
            extra.append(f"{header[index]}: {value}")
    return ImportedContact(
        row=number,
        name=name,
        company=company if company != name else None,
        title=clean(layout.first("title", row), NAME_MAX),
        phones=tuple(phones),
        emails=tuple(emails),
        birthday=birthday,
        note=note_of([layout.first("note", row) or "", *extra]),
        stage=_word(Stage, layout.first("stage", row), Stage.LEAD),
        market_fit=_word(Answer, layout.first("market_fit", row), Answer.UNKNOWN),
        budget=_word(Answer, layout.first("budget", row), Answer.UNKNOWN),
        authority=_word(Answer, layout.first("authority", row), Answer.UNKNOWN),
    )


def _word(words: type[W], written: str | None, default: W) -> W:
    """A stored word of our own export (`prospect`, `yes`), or the default for anything else."""
    try:
        return words((written or "").strip().lower())
    except ValueError:
        return default
