"""`contacts.vcf`: one vCard 3.0 per contact, written with vobject, for any address book.

A birthday without a year is written as iPhones write it (`1604-03-14` with
`X-APPLE-OMIT-YEAR=1604`): vCard 3.0 has no form of its own for it, and Apple's and Google's
address books read this one. The stage goes in CATEGORIES, open concerns in NOTE.
"""

from __future__ import annotations

from collections.abc import Sequence

import vobject

from bot.rules.export_rows import ContactFacts

NO_YEAR = 1604  # Apple's placeholder year: a leap year, so 29 February fits


def vcard(contact: ContactFacts, stage_name: str) -> str:
    """The contact's card, CRLF line ends and folded lines as vCard asks."""
    card = vobject.vCard()
    card.add("fn").value = contact.name
    given, family = _split(contact.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.company:
        card.add("org").value = [contact.company]
    if contact.phone:
        tel = card.add("tel")
        tel.value, tel.type_param = contact.phone, "CELL"
    if contact.email:
        email = card.add("email")
        email.value, email.type_param = contact.email, "INTERNET"
    if contact.birth_day and contact.birth_month:
        bday = card.add("bday")
        year = contact.birth_year or NO_YEAR
        bday.value = f"{year:04d}-{contact.birth_month:02d}-{contact.birth_day:02d}"
        if not contact.birth_year:
            bday.x_apple_omit_year_param = str(NO_YEAR)
    card.add("categories").value = [stage_name]
    if contact.open_concerns:
        card.add("note").value = _note(contact.open_concerns)
    card.add("uid").value = f"prospekt-contact-{contact.contact_id}"
    return str(card.serialize())


def _split(name: str) -> tuple[str, str]:
    """Given names and the family name, as a Norwegian name is written: the last word is
    the family name ("Kari Nordmann"); a one-word name is a given name."""
    given, _, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def _note(concerns: Sequence[str]) -> str:
    return "\n".join(f"? {concern}" for concern in concerns)
