"""What a contact shared in Telegram carries beyond one name and one number: its vCard.

Telegram passes on the card the sender's phone wrote: vCard 3.0 from iPhones and most
Androids, sometimes vCard 2.1 from an Android address book, whose non-ASCII text is
quoted-printable (`CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE`) and broken over lines by soft
breaks (`=` at the end of a line). vobject reads the properties; what is done here first:

- only the properties read here are kept, so a line vobject cannot read (a 2.1 photo in
  base64, a note in an encoding it does not know) never costs the name and the numbers;
- quoted-printable values are unfolded and decoded with their CHARSET, and the ENCODING and
  CHARSET parameters dropped (vobject takes any ENCODING but quoted-printable for base64);
- each property is read on its own, so one malformed line costs that line alone.

Telegram's cards are at most 2048 bytes; longer text is read no further than `MAX_CHARS`.
A contacts file (`read_vcards`) is many cards, read the same way, each on its own.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import vobject
import vobject.icalendar
import vobject.vcard

from bot.rules.phones import DEFAULT_REGION, to_e164

MAX_CHARS = 16_384
WANTED = frozenset({"FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "BDAY", "NOTE"})

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SPACES = re.compile(r"\s+")
_FOLD = re.compile(r"\r\n[ \t]")
_NAME_ORDER = ("family", "given", "additional", "prefix", "suffix")
_FREE_TEXT = frozenset({"FN", "TITLE", "NOTE"})  # one text each, not a list
_BARE_COMMA = re.compile(r"(?<!\\),")


@dataclass(frozen=True)
class SharedCard:
    """The parts of a shared card the CRM keeps; `name` is "" when the card gives none."""

    name: str
    company: str | None
    phones: tuple[str, ...]  # E.164, in the card's order, each once
    emails: tuple[str, ...]  # in the card's order, each once (compared ignoring case)
    title: str | None
    birthday: str | None = None  # BDAY as written ("1985-03-14", "--0314"), read by the caller
    note: str | None = None
    unread_phones: tuple[str, ...] = ()  # TEL values that are no phone number, as written


def read_vcard(text: str, *, region: str = DEFAULT_REGION) -> SharedCard | None:
    """The card in `text`; None when it has no name, company, phone or e-mail to keep.

    Local numbers are read in `region`. Never raises, whatever `text` holds.
    """
    if not isinstance(text, str):
        return None
    return next((card for _, card in read_vcards(text[:MAX_CHARS], region=region)), None)


def read_vcards(
    text: str, *, region: str = DEFAULT_REGION
) -> Iterator[tuple[int, SharedCard | None]]:
    """Every card in `text` with its number (1, 2, …): None for one with nothing to keep.

    Never raises; a card vobject cannot read a line of loses that line alone.
    """
    if not isinstance(text, str):
        return
    for number, lines in enumerate(_cards(text), start=1):
        yield number, _shared_card(lines, region)


def _shared_card(lines: list[str], region: str) -> SharedCard | None:
    properties = _read(lines)
    name = _first(properties, "FN", _clean) or _first(properties, "N", _full_name) or ""
    company = _first(properties, "ORG", _organisation)
    numbers = [_clean(prop.value) for prop in _all(properties, "TEL")]
    read = {number: _phone(number, region) for number in numbers if number}
    phones = _unique(read.values())
    emails = _unique(_email(prop.value) for prop in _all(properties, "EMAIL"))
    if not (name or company or phones or emails):
        return None
    return SharedCard(
        name=name,
        company=company,
        phones=phones,
        emails=emails,
        title=_first(properties, "TITLE", _clean),
        birthday=_first(properties, "BDAY", _birthday),
        note=_first(properties, "NOTE", _clean),
        unread_phones=_unique(number for number, phone in read.items() if phone is None),
    )


# --- the card's lines, made fit for vobject ---------------------------------------------------


def _cards(text: str) -> Iterator[list[str]]:
    """The wanted properties of each card in `text`, one logical line each.

    A card left open (its END missing) ends at the next BEGIN or at the end of the text.
    """
    depth, lines = 0, list[str]()
    for chunk in _chunks(_LINE_BREAK.split(text)):
        head, _, value = chunk.partition(":")
        name = _property_name(head)
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if depth == 1:  # the card before never ended
                yield lines
                depth, lines = 0, []
            depth += 1
        elif name == "END" and value.strip().upper() == "VCARD" and depth:
            depth -= 1
            if depth == 0:
                yield lines
                lines = []
        elif depth == 1 and name in WANTED:
            line = _plain(chunk)
            if line is not None:
                lines.append(line)
    if depth:
        yield lines


def _chunks(lines: list[str]) -> Iterator[str]:
    """Physical lines grouped into properties: folded lines (leading space or tab) and
    quoted-printable soft breaks stay with their property, joined by line breaks."""
    chunk: list[str] = []
    for line in lines:
        soft_break = bool(chunk) and _is_quoted_printable(chunk[0]) and chunk[-1].endswith("=")
        if chunk and (soft_break or line[:1] in (" ", "\t")):
            chunk.append(line)
            continue
        if chunk:
            yield "\r\n".join(chunk)
        chunk = [line] if line.strip() else []
    if chunk:
        yield "\r\n".join(chunk)


def _property_name(head: str) -> str:
    """ "TEL" for "item1.TEL;TYPE=CELL": the name without its group or parameters."""
    return head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()


def _parameters(head: str) -> list[str]:
    return head.split(";")[1:]


def _parameter(parameters: list[str], key: str) -> str | None:
    for parameter in parameters:
        name, equals, value = parameter.partition("=")
        if equals and name.strip().upper() == key:
            return value.strip().strip('"')
    return None


def _is_quoted_printable(first_line: str) -> bool:
    head = first_line.partition(":")[0]
    return any(
        parameter.strip().upper() in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE")
        for parameter in _parameters(head)
    )


def _plain(chunk: str) -> str | None:
    """The property with quoted-printable decoded and without ENCODING or CHARSET; None for
    a base64 one (a text property in base64 is not worth decoding)."""
    head, colon, _ = chunk.partition(":")
    parameters = _parameters(head)
    encoding = (_parameter(parameters, "ENCODING") or "").upper()
    if encoding in ("B", "BASE64"):
        return None
    quoted_printable = _is_quoted_printable(chunk)
    kept = [
        parameter
        for parameter in parameters
        if parameter.partition("=")[0].strip().upper() not in ("ENCODING", "CHARSET")
        and parameter.strip().upper() != "QUOTED-PRINTABLE"
    ]
    if not quoted_printable:
        value = chunk.partition(":")[2]
    else:
        value = _decode_quoted_printable(
            _unfold_soft_breaks(chunk).partition(":")[2], _parameter(parameters, "CHARSET")
        )
    if _property_name(head) in _FREE_TEXT:  # a 2.1 comma is literal; vobject cuts at one
        value = _BARE_COMMA.sub(r"\\,", value)
    return ";".join([head.split(";", 1)[0], *kept]) + colon + value


def _unfold_soft_breaks(chunk: str) -> str:
    """One line: a soft break (`=` before the break) joins as is, a fold drops its space."""
    lines = chunk.split("\r\n")
    joined = lines[0]
    for line in lines[1:]:
        joined = joined[:-1] + line if joined.endswith("=") else joined + line[1:]
    return joined


def _decode_quoted_printable(value: str, charset: str | None) -> str:
    raw = binascii.a2b_qp(value.encode("utf-8", "replace"))
    try:
        decoded = raw.decode(charset or "utf-8", "replace")
    except (LookupError, ValueError):  # no such charset, or not one for text
        decoded = raw.decode("utf-8", "replace")
    return _LINE_BREAK.sub(" ", decoded)


# --- reading the properties --------------------------------------------------------------------


@dataclass(frozen=True)
class _Property:
    name: str
    value: object


def _read(lines: list[str]) -> list[Any]:
    """The card's properties as vobject reads them, line by line, so a line it cannot read
    costs that line alone.

    vobject's own line parser and value splitting, without building a component per card:
    a file of twenty thousand cards is read three times faster.
    """
    return [prop for line in lines if (prop := _property(line)) is not None]


def _property(line: str) -> _Property | None:
    try:
        name, _, value, _ = vobject.base.parseLine(_FOLD.sub("", line))
        return _Property(name.upper(), _value(name.upper(), value))
    except Exception:  # vobject raises whatever its parsing meets; arbitrary input is expected
        return None


def _value(name: str, value: str) -> object:
    """N as a Name, ORG as its parts, any other as its text with escapes undone."""
    if name == "N":
        return vobject.vcard.Name(
            **dict(zip(_NAME_ORDER, vobject.vcard.splitFields(value), strict=False))
        )
    if name == "ORG":
        return vobject.vcard.splitFields(value)
    return ",".join(vobject.icalendar.stringToTextValues(value))


def _all(properties: list[Any], name: str) -> Iterator[Any]:
    return (prop for prop in properties if prop.name == name)


def _first(properties: list[Any], name: str, read: Callable[[object], str]) -> str | None:
    """The first non-empty reading of a `name` property."""
    for prop in _all(properties, name):
        value = read(prop.value)
        if value:
            return value
    return None


def _clean(value: object) -> str:
    """Text on one line, without control characters or runs of spaces."""
    if isinstance(value, list | tuple):  # vobject split the text at its commas
        value = ",".join(part for part in value if isinstance(part, str))
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()


def _joined(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_clean(part) for part in value)
    return _clean(value)


def _full_name(value: object) -> str:
    """ "Kari Anne Nordmann" from N's given, additional and family names."""
    parts = [getattr(value, part, "") for part in ("given", "additional", "family")]
    return _clean(" ".join(_joined(part) for part in parts))


def _organisation(value: object) -> str:
    """ORG's first component: the company, not its department."""
    if isinstance(value, list | tuple):
        return _clean(value[0]) if value else ""
    return _clean(value)


def _birthday(value: object) -> str:
    """BDAY as written; vobject hands a date it read as text too."""
    return _clean(value if isinstance(value, str) else str(value or ""))


def _phone(number: str, region: str) -> str | None:
    if number.lower().startswith("tel:"):  # vCard 4.0 writes numbers as URIs
        number = number[4:]
    return to_e164(number, region=region) if number else None


def _email(value: object) -> str | None:
    address = _clean(value)
    if address.lower().startswith("mailto:"):
        address = address[7:]
    return address if "@" in address and " " not in address else None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """The values that are there, each once (ignoring case), in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return tuple(kept)
