"""A .vcf file of many cards, as phones and Google export it (vCard 2.1, 3.0 and 4.0).

Each card is read by `bot.rules.vcard` (quoted-printable, folded lines, charsets), on its
own, so one bad card costs that card only.
"""

from __future__ import annotations

from datetime import date

from bot.rules.imported import (
    BAD_DATE,
    BAD_PHONE,
    EMPTY_CARD,
    NAME_MAX,
    NO_CONTACTS,
    NO_NAME,
    ImportedContact,
    Problem,
    ReadFile,
    clean,
    is_empty_date,
    note_of,
    read_birthday,
    shown,
)
from bot.rules.typed_answers import has_letters
from bot.rules.vcard import SharedCard, read_vcards


def read_vcf(text: str, *, region: str, today: date) -> ReadFile:
    """Every card in `text`: a contact each, or a problem saying why not."""
    contacts: list[ImportedContact] = []
    problems: list[Problem] = []
    cards = 0
    for number, card in read_vcards(text, region=region):
        cards += 1
        if card is None:
            problems.append(Problem(number, EMPTY_CARD))
            continue
        contact = _contact(number, card, today, problems)
        if contact is not None:
            contacts.append(contact)
    if not cards:
        problems.append(Problem(0, NO_CONTACTS))
    return ReadFile("vcf", tuple(contacts), tuple(problems))


def _contact(
    number: int, card: SharedCard, today: date, problems: list[Problem]
) -> ImportedContact | None:
    name = clean(card.name, NAME_MAX) or clean(card.company, NAME_MAX)
    if name is None or not has_letters(name):
        seen = card.name or ", ".join([*card.phones, *card.emails])
        problems.append(Problem(number, NO_NAME, shown(seen)))
        return None
    extra: list[str] = []
    for raw in card.unread_phones:
        problems.append(Problem(number, BAD_PHONE, shown(raw), skipped=False))
        extra.append(f"TEL: {raw}")
    birthday = None
    if card.birthday and not is_empty_date(card.birthday):
        birthday = read_birthday(card.birthday, today=today)
        if birthday is None:
            problems.append(Problem(number, BAD_DATE, shown(card.birthday), skipped=False))
            extra.append(f"BDAY: {card.birthday}")
    return ImportedContact(
        row=number,
        name=name,
        company=clean(card.company, NAME_MAX),
        title=clean(card.title, NAME_MAX),
        phones=card.phones,
        emails=card.emails,
        birthday=birthday,
        note=note_of([card.note or "", *extra]),
    )
