"""Reading a contacts file a seller sends: which kind it is, and the people in it.

Only vCard (.vcf) and CSV are read, as text; nothing in a file is ever run or unpickled.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from bot.rules.contacts_csv import read_csv
from bot.rules.imported import NO_CONTACTS, UNREADABLE, Problem, ReadFile, decode_text, looks_binary
from bot.rules.vcard_file import read_vcf

VCF, CSV = "vcf", "csv"
_BY_SUFFIX = {".vcf": VCF, ".vcard": VCF, ".csv": CSV}
_BY_MIME = {
    "text/vcard": VCF,
    "text/x-vcard": VCF,
    "text/directory": VCF,
    "text/csv": CSV,
    "text/x-csv": CSV,
    "text/comma-separated-values": CSV,
    "application/csv": CSV,
}


def contact_file_kind(filename: str | None, mime_type: str | None) -> str | None:
    """ "vcf" or "csv" by the file's name, else by its type; None for any other file."""
    suffix = PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    return _BY_MIME.get((mime_type or "").split(";")[0].strip().lower())


def read_contact_file(
    filename: str | None,
    data: bytes,
    *,
    region: str,
    today: date,
    mime_type: str | None = None,
) -> ReadFile | None:
    """The contacts in the file, with the rows that could not be read; None when it is no
    contacts file. Never raises, whatever the bytes."""
    kind = contact_file_kind(filename, mime_type)
    if kind is None:
        return None
    text = decode_text(data)
    if looks_binary(text):
        return ReadFile(kind, (), (Problem(0, UNREADABLE),))
    if not text.strip():
        return ReadFile(kind, (), (Problem(0, NO_CONTACTS),))
    if kind == VCF:
        return read_vcf(text, region=region, today=today)
    return read_csv(text, region=region, today=today)
