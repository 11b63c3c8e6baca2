"""Contacts: the seller's people, always read and written through the owner's id."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, StageChange
from storage.types import utcnow
from storage.vocabulary import Criterion, Stage, fold

# What a handler may set directly. `stage` moves go through queries.stages so history is kept;
# `last_contacted_at` follows from queries.interactions.
EDITABLE = frozenset(
    {
        "name",
        "company",
        "phone",
        "email",
        "telegram_user_id",
        "birth_day",
        "birth_month",
        "birth_year",
        "birthday_skipped_at",
        *(criterion.value for criterion in Criterion),  # a column per criterion
        "outcome",
        "source",
        "do_not_contact",
    }
)


def search_key_of(*parts: str | None) -> str:
    """What search compares: name, company, e-mail and phone, folded."""
    return fold(" ".join(part for part in parts if part))[:1024]


def _refresh_search_key(contact: Contact) -> None:
    contact.search_key = search_key_of(contact.name, contact.company, contact.email, contact.phone)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"not an editable contact field: {sorted(unknown)}")


async def create_contact(
    session: AsyncSession,
    *,
    owner_id: int,
    name: str,
    stage: Stage = Stage.LEAD,
    telegram_user_id: int | None = None,
    email: str | None = None,
    **fields: Any,
) -> Contact:
    """A new contact, with its first stage recorded so 'in this stage since' is always known."""
    _check_fields(fields)
    now = utcnow()
    contact = Contact(
        owner_id=owner_id,
        name=name,
        stage=stage,
        telegram_user_id=telegram_user_id,
        email=email,
        created_at=now,
        updated_at=now,
        **fields,
    )
    _refresh_search_key(contact)
    session.add(contact)
    await session.flush()
    session.add(
        StageChange(
            owner_id=owner_id,
            contact_id=contact.id,
            from_stage=None,
            to_stage=stage,
            changed_at=now,
        )
    )
    await session.flush()
    return contact


async def get_contact(session: AsyncSession, *, owner_id: int, contact_id: int) -> Contact | None:
    """The contact if it is this seller's; read once per session (the identity map)."""
    contact = await session.get(Contact, contact_id)
    return contact if contact is not None and contact.owner_id == owner_id else None


async def update_contact(
    session: AsyncSession, *, owner_id: int, contact_id: int, **fields: Any
) -> Contact | None:
    """Change the given fields; None when the contact is not this seller's."""
    _check_fields(fields)
    contact = await get_contact(session, owner_id=owner_id, contact_id=contact_id)
    if contact is None:
        return None
    for name, value in fields.items():
        setattr(contact, name, value)
    _refresh_search_key(contact)
    return contact  # written with the session's next query, or at its commit


async def delete_contact(session: AsyncSession, *, owner_id: int, contact_id: int) -> bool:
    """Delete the contact; its interactions, concerns, stage history and reminders cascade."""
    contact = await get_contact(session, owner_id=owner_id, contact_id=contact_id)
    if contact is None:
        return False
    await session.delete(contact)
    await session.flush()
    return True


async def list_contacts(
    session: AsyncSession,
    *,
    owner_id: int,
    stage: Stage | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Sequence[Contact]:
    """One page of the seller's contacts by name, optionally in one stage."""
    query = select(Contact).where(Contact.owner_id == owner_id)
    if stage is not None:
        query = query.where(Contact.stage == stage)
    query = query.order_by(func.lower(Contact.name), Contact.id).limit(limit).offset(offset)
    return (await session.scalars(query)).all()


async def count_contacts(
    session: AsyncSession, *, owner_id: int, stage: Stage | None = None
) -> int:
    query = select(func.count()).select_from(Contact).where(Contact.owner_id == owner_id)
    if stage is not None:
        query = query.where(Contact.stage == stage)
    return (await session.scalar(query)) or 0


async def find_similar_by_name(
    session: AsyncSession, *, owner_id: int, name: str, limit: int = 5
) -> Sequence[Contact]:
    """Contacts whose name contains `name`, prefix matches first, to warn about duplicates.

    Case-insensitive for ASCII only on SQLite (its lower() leaves Æ/Ø/Å alone); a later
    search issue replaces this with real matching.
    """
    needle = name.strip()
    if not needle:
        return []
    prefix_first = case((Contact.name.istartswith(needle, autoescape=True), 0), else_=1)
    query = (
        select(Contact)
        .where(Contact.owner_id == owner_id, Contact.name.icontains(needle, autoescape=True))
        .order_by(prefix_first, func.lower(Contact.name), Contact.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


SAME_PERSON_MAX = 5


async def same_person(
    session: AsyncSession,
    *,
    owner_id: int,
    telegram_user_id: int | None = None,
    phones: Collection[str] = (),
    emails: Collection[str] = (),
) -> list[Contact]:
    """The seller's contacts that are this person by Telegram id, phone or e-mail.

    Best evidence first (Telegram id, then phone, then e-mail), each contact once, at most
    `SAME_PERSON_MAX`. Phones match as E.164 strings; e-mails ignoring case (ASCII case on
    SQLite, whose lower() leaves other letters alone). Nothing to go by: [].
    """
    wanted_phones = sorted({phone for phone in phones if phone})
    wanted_emails = sorted({email.strip().lower() for email in emails if email.strip()})
    matches: list[tuple[ColumnElement[bool], int]] = []
    if telegram_user_id is not None:
        matches.append((Contact.telegram_user_id == telegram_user_id, 0))
    if wanted_phones:
        matches.append((Contact.phone.in_(wanted_phones), 1))
    if wanted_emails:
        matches.append((func.lower(Contact.email).in_(wanted_emails), 2))
    if not matches:
        return []
    evidence = case(*matches)  # every row found matches one of them
    query = (
        select(Contact)
        .where(Contact.owner_id == owner_id, or_(*(match for match, _ in matches)))
        .order_by(evidence, Contact.id)
        .limit(SAME_PERSON_MAX)
    )
    return list((await session.scalars(query)).all())
