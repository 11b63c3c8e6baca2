"""Who a contact is beyond the name: Telegram user id, phone and e-mail, and finding the
seller's contacts that are already this person (a duplicate about to be recorded)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, Seller
from storage.queries.contacts import (
    SAME_PERSON_MAX,
    create_contact,
    get_contact,
    same_person,
    update_contact,
)
from tests.factories import T0, make_contact, make_seller

KARI_TELEGRAM_ID = 7_000_000_123  # beyond 32 bits, as Telegram's newer user ids are


async def _ids(
    session: AsyncSession,
    seller: Seller,
    *,
    telegram_user_id: int | None = None,
    phones: Collection[str] = (),
    emails: Collection[str] = (),
) -> list[int]:
    """The ids `same_person` finds for `seller`, in its order."""
    found = await same_person(
        session,
        owner_id=seller.id,
        telegram_user_id=telegram_user_id,
        phones=phones,
        emails=emails,
    )
    return [contact.id for contact in found]


async def test_create_keeps_the_telegram_user_id_and_email(session: AsyncSession) -> None:
    seller = await make_seller(session)

    made = await create_contact(
        session,
        owner_id=seller.id,
        name="Kari",
        telegram_user_id=KARI_TELEGRAM_ID,
        email="kari@example.no",
    )
    await session.commit()
    session.expunge_all()

    again = await get_contact(session, owner_id=seller.id, contact_id=made.id)
    assert again is not None
    assert (again.telegram_user_id, again.email) == (KARI_TELEGRAM_ID, "kari@example.no")
    assert "kari@example.no" in again.search_key


async def test_the_telegram_id_and_the_skipped_birthday_are_editable(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)
    skipped = T0 + timedelta(hours=3)

    await update_contact(
        session,
        owner_id=seller.id,
        contact_id=contact.id,
        telegram_user_id=KARI_TELEGRAM_ID,
        birthday_skipped_at=skipped,
    )
    await session.commit()
    session.expunge_all()

    again = await get_contact(session, owner_id=seller.id, contact_id=contact.id)
    assert again is not None
    assert (again.telegram_user_id, again.birthday_skipped_at) == (KARI_TELEGRAM_ID, skipped)
    assert again.birthday_skipped_at is not None and again.birthday_skipped_at.utcoffset() == (
        timedelta(0)
    )


async def test_the_telegram_user_id_finds_the_contact(session: AsyncSession) -> None:
    seller = await make_seller(session)
    kari = await make_contact(session, owner=seller, telegram_user_id=KARI_TELEGRAM_ID)
    await make_contact(session, owner=seller, telegram_user_id=KARI_TELEGRAM_ID + 1)
    await make_contact(session, owner=seller)

    assert await _ids(session, seller, telegram_user_id=KARI_TELEGRAM_ID) == [kari.id]


async def test_any_of_the_phones_finds_the_contact_by_exact_e164(session: AsyncSession) -> None:
    seller = await make_seller(session)
    kari = await make_contact(session, owner=seller, phone="+4791234567")
    ola = await make_contact(session, owner=seller, phone="+4722334455")
    await make_contact(session, owner=seller, phone="+4791234568")

    assert await _ids(session, seller, phones=["+4791234567"]) == [kari.id]
    assert await _ids(session, seller, phones={"+4722334455", "+4791234567"}) == [
        kari.id,
        ola.id,
    ]
    assert await _ids(session, seller, phones=["91234567", ""]) == []


async def test_any_of_the_emails_finds_the_contact_ignoring_case(session: AsyncSession) -> None:
    seller = await make_seller(session)
    kari = await make_contact(session, owner=seller, email="Kari.Nordmann@Example.no")
    await make_contact(session, owner=seller, email="kari@example.no.evil")

    assert await _ids(session, seller, emails=["kari.nordmann@example.NO"]) == [kari.id]
    assert await _ids(session, seller, emails=(" KARI.NORDMANN@EXAMPLE.NO ", "x@y.z")) == [kari.id]


async def test_best_evidence_comes_first_and_each_contact_once(session: AsyncSession) -> None:
    seller = await make_seller(session)
    by_email = await make_contact(session, owner=seller, email="kari@example.no")
    by_phone = await make_contact(session, owner=seller, phone="+4791234567")
    by_everything = await make_contact(
        session,
        owner=seller,
        telegram_user_id=KARI_TELEGRAM_ID,
        phone="+4791234567",
        email="KARI@example.no",
    )
    by_telegram = await make_contact(session, owner=seller, telegram_user_id=KARI_TELEGRAM_ID)

    found = await _ids(
        session,
        seller,
        telegram_user_id=KARI_TELEGRAM_ID,
        phones=["+4791234567"],
        emails=["kari@example.no"],
    )

    assert found == [by_everything.id, by_telegram.id, by_phone.id, by_email.id]


async def test_at_most_five_are_found(session: AsyncSession) -> None:
    seller = await make_seller(session)
    same: list[Contact] = [
        await make_contact(session, owner=seller, phone="+4791234567") for _ in range(7)
    ]

    found = await _ids(session, seller, phones=["+4791234567"])

    assert SAME_PERSON_MAX == 5
    assert found == [contact.id for contact in same[:5]]


async def test_another_sellers_contact_never_matches(session: AsyncSession) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    await make_contact(
        session,
        owner=other,
        telegram_user_id=KARI_TELEGRAM_ID,
        phone="+4791234567",
        email="kari@example.no",
    )
    mine = await make_contact(session, owner=seller, email="kari@example.no")

    for asking, expected in ((seller, [mine.id]), (await make_seller(session), [])):
        found = await _ids(
            session,
            asking,
            telegram_user_id=KARI_TELEGRAM_ID,
            phones=["+4791234567"],
            emails=["kari@example.no"],
        )
        assert found == expected


async def test_nothing_to_go_by_finds_nothing(session: AsyncSession) -> None:
    seller = await make_seller(session)
    await make_contact(session, owner=seller)  # no Telegram id, phone or e-mail: all NULL
    await make_contact(session, owner=seller, phone="", email="")

    assert await same_person(session, owner_id=seller.id) == []
    assert await _ids(session, seller, telegram_user_id=None, phones=[], emails=[]) == []
    assert await _ids(session, seller, phones=[""], emails=["", "  "]) == []
