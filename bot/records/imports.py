"""People from a contacts file written into a seller's book: who is already there, and one
batch at a time, with the same effects as one contact typed in (a first stage, a note, the
birthday's nudges).

"Already there" is the same person as /meet finds them (`bot.records.look_alikes`): the same
phone, else the same e-mail (ignoring case), else the same name, letters folded ("Ase
Kjaerstad" is "Åse Kjærstad"). Only a whole name counts here, not a part of one: a file
of thousands cannot ask "Is it Kari Nordmann?" about every "Kari".
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.records.planning import birthday_of, plan_new_birthdays
from bot.rules.birthdays import Birthday
from bot.rules.search import name_words
from storage.models import Seller
from storage.queries import imports
from storage.queries.imports import ExistingKey, NewContact


class Choice(enum.StrEnum):
    """What to do with people who look like contacts the seller has."""

    MERGE = "merge"  # fill in their empty fields, add the note
    SKIP = "skip"  # leave them out
    ADD = "add"  # add them anyway, as new contacts


@dataclass(frozen=True)
class Written:
    added: int
    merged: int


class Matcher:
    """Finds the seller's contact a person from the file already is, from one read."""

    def __init__(self, keys: Sequence[ExistingKey]) -> None:
        self._by_phone: dict[str, int] = {}
        self._by_email: dict[str, int] = {}
        self._by_name: dict[frozenset[str], int] = {}
        self._names = {key.id: key.name for key in keys}
        for key in keys:  # the oldest contact wins, as in `same_person`
            if key.phone:
                self._by_phone.setdefault(key.phone, key.id)
            if key.email:
                self._by_email.setdefault(key.email.strip().lower(), key.id)
            words = name_words(key.name)
            if words:
                self._by_name.setdefault(words, key.id)

    def name_of(self, contact_id: int) -> str:
        return self._names.get(contact_id, "")

    def match(self, name: str, phones: Sequence[str], emails: Sequence[str]) -> int | None:
        for phone in phones:
            if phone in self._by_phone:
                return self._by_phone[phone]
        for email in emails:
            if email.strip().lower() in self._by_email:
                return self._by_email[email.strip().lower()]
        return self._by_name.get(name_words(name))


async def matcher(session: AsyncSession, owner_id: int) -> Matcher:
    return Matcher(await imports.existing_keys(session, owner_id=owner_id))


async def write_batch(
    session: AsyncSession,
    *,
    seller: Seller,
    people: Sequence[tuple[NewContact, int | None]],
    choice: Choice,
    source: str,
    now: datetime,
) -> Written:
    """One batch: each person with the id of the contact they look like (or None)."""
    new = [person for person, same in people if same is None or choice is Choice.ADD]
    same = [(same, person) for person, same in people if same is not None]
    ids = await imports.add_contacts(
        session, owner_id=seller.id, people=new, source=source, now=now
    )
    birthdays = [
        (contact_id, birthday)
        for contact_id, person in zip(ids, new, strict=True)
        if (birthday := _birthday(person)) is not None
    ]
    merged = 0
    if choice is Choice.MERGE and same:
        merged, filled = await imports.fill_in(session, owner_id=seller.id, people=same, now=now)
        birthdays += [
            (contact.id, birthday)
            for contact in filled
            if not contact.do_not_contact and (birthday := birthday_of(contact)) is not None
        ]
    await plan_new_birthdays(session, seller=seller, birthdays=birthdays, now=now)
    return Written(added=len(new), merged=merged)


def _birthday(person: NewContact) -> Birthday | None:
    if person.birth_day is None or person.birth_month is None:
        return None
    try:
        return Birthday(person.birth_day, person.birth_month, person.birth_year)
    except ValueError:
        return None
