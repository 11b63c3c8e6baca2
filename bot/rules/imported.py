"""What a contacts file gives: the people read from it, and the rows that could not be read.

Shared by the vCard and CSV readers (`bot.rules.contact_files` picks one). Everything here
is pure and forgiving: text comes from strangers' phones and spreadsheets, so a reader
turns whatever it meets into a contact or a `Problem`, and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.rules.birthdays import Birthday, parse_birthday
from storage.vocabulary import Answer, Stage

NAME_MAX = 128  # the width of the contact's name and company columns
NOTE_MAX = 4000  # a note longer than this is cut: it is a note, not a document
SHOWN_MAX = 40  # how much of an offending text a problem repeats


def N_(key: str) -> str:  # noqa: N802 - marks a catalogue key for extraction (as bot.texts)
    return key


# Why a row or card could not be read (in full or in part): catalogue keys.
NO_NAME = N_("imports.problem.no_name")
EMPTY_CARD = N_("imports.problem.empty_card")
BAD_DATE = N_("imports.problem.bad_date")
BAD_PHONE = N_("imports.problem.bad_phone")
COLUMNS = N_("imports.problem.columns")
UNREADABLE = N_("imports.problem.unreadable")
NO_CONTACTS = N_("imports.problem.no_contacts")
NO_NAME_COLUMN = N_("imports.problem.no_name_column")

_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ImportedContact:
    """One person from the file. Phones are E.164 (the first becomes the contact's phone,
    the rest go into the note); `note` already holds what the file said that has no column
    of its own."""

    row: int  # the spreadsheet row (the header is row 1) or the card's number (1, 2, …)
    name: str
    company: str | None = None
    title: str | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    birthday: Birthday | None = None
    note: str | None = None
    # Only Prospekt's own export says these; other files' people start as new leads.
    stage: Stage = Stage.LEAD
    market_fit: Answer = Answer.UNKNOWN
    budget: Answer = Answer.UNKNOWN
    authority: Answer = Answer.UNKNOWN


@dataclass(frozen=True)
class Problem:
    """A row or card read only in part (`skipped` False: what could not be read is in the
    note) or not at all. Row 0 is the whole file."""

    row: int
    reason: str  # a catalogue key
    text: str = ""  # the offending text, shortened
    skipped: bool = True


@dataclass(frozen=True)
class ReadFile:
    kind: str  # "vcf" or "csv"
    contacts: tuple[ImportedContact, ...]
    problems: tuple[Problem, ...]


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM) or UTF-16 with a BOM, else Windows-1252,
    as Excel and Outlook save on Norwegian Windows. A UTF-8 file with a few broken bytes
    stays UTF-8 (the broken bytes become U+FFFD, which marks their row unreadable)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", "replace")
    broken = as_utf8.count("\ufffd")
    letters = sum(1 for char in as_utf8 if ord(char) > 127) - broken
    return as_utf8 if letters > broken else data.decode("cp1252", "replace")


def looks_binary(text: str) -> bool:
    """Mostly unreadable characters at the start: a picture or a spreadsheet, not text."""
    head = text[:2048]
    return bool(head) and len(_UNREADABLE.findall(head)) > len(head) // 10


def unreadable(text: str) -> bool:
    return _UNREADABLE.search(text) is not None


def clean(text: str | None, limit: int = NOTE_MAX) -> str | None:
    """One line, spaces collapsed, at most `limit` characters; None when empty."""
    if not text:
        return None
    cleaned = _SPACES.sub(" ", text).strip()[:limit].strip()
    return cleaned or None


def shown(text: str) -> str:
    """The offending text as a problem repeats it."""
    one_line = _SPACES.sub(" ", _UNREADABLE.sub("?", text)).strip()
    return one_line if len(one_line) <= SHOWN_MAX else one_line[: SHOWN_MAX - 1] + "…"


def note_of(lines: list[str]) -> str | None:
    """The note from its lines, cut at `NOTE_MAX`."""
    kept = [line.strip() for line in lines if line and line.strip()]
    return "\n".join(kept)[:NOTE_MAX] or None


_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.?\s*(\d{2}|\d{4})?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_EMPTY_DATES = frozenset({"0.0.00", "00.00.0000", "0/0/00", "0000-00-00", "--00-00"})
OMITTED_YEAR_BEFORE = 1900  # iPhone writes 1604 for a birthday without a year


def read_birthday(text: str, *, today: date) -> Birthday | None:
    """A birthday as files write it: "1985-03-14", "19850314", "--0314", "--03-14",
    "14.03.1985" (Outlook in Norwegian), "3/14/1985" (Outlook in English: month first,
    unless the first number cannot be a month), or as a seller types it ("14. mars 1985").
    None when it is no real day, or a day not yet come."""
    value = text.strip()
    year: int | None
    if match := _NO_YEAR.match(value):
        year, month, day = None, int(match[1]), int(match[2])
    elif match := _ISO.match(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DOTTED.match(value):
        day, month, year = int(match[1]), int(match[2]), _year(match[3], today)
    elif match := _SLASHED.match(value):
        month, day, year = int(match[1]), int(match[2]), _year(match[3], today)
        if month > 12 >= day:
            month, day = day, month
    else:
        return parse_birthday(value, today=today)
    if year is not None and year < OMITTED_YEAR_BEFORE:
        year = None
    try:
        birthday = Birthday(day, month, year)
    except ValueError:
        return None
    if year is not None and date(year, month, day) > today:
        return None
    return birthday


def is_empty_date(text: str) -> bool:
    """Outlook's "no birthday" placeholders."""
    return text.strip() in _EMPTY_DATES or not text.strip()


def _year(digits: str | None, today: date) -> int | None:
    if digits is None:
        return None
    year = int(digits)
    if len(digits) == 2:  # the latest such year not in the future: "85" is 1985
        year += today.year - today.year % 100
        if year > today.year:
            year -= 100
    return year
