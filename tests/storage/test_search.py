"""Search reads: the seller's own contacts only, and notes and open concerns matched by
folded text."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries.concerns import add_concern, resolve_concern
from storage.queries.contacts import create_contact, update_contact
from storage.queries.interactions import add_interaction
from storage.queries.search import (
    SearchKey,
    contacts_with_concerns_containing,
    contacts_with_notes_containing,
    search_keys,
)
from storage.vocabulary import InteractionKind
from tests.factories import T0, make_seller


async def test_search_keys_are_the_sellers_own_contacts_with_folded_keys(
    session: AsyncSession,
) -> None:
    mine, theirs = await make_seller(session), await make_seller(session)
    kare = await create_contact(
        session,
        owner_id=mine.id,
        name="Kåre Ødegård",
        company="Fjord AS",
        email="Kare@Fjord.no",
        phone="+4791234567",
    )
    await create_contact(session, owner_id=theirs.id, name="Kåre Other")

    keys = await search_keys(session, owner_id=mine.id)

    assert keys == [
        SearchKey(
            kare.id, "Kåre Ødegård", "Fjord AS", "kare odegard fjord as kare@fjord.no +4791234567"
        )
    ]


async def test_search_keys_follow_edits(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await create_contact(session, owner_id=seller.id, name="Kari")

    await update_contact(session, owner_id=seller.id, contact_id=contact.id, company="Bølge AS")

    [key] = await search_keys(session, owner_id=seller.id)
    assert key.key == "kari bolge as"


async def _note(
    session: AsyncSession, owner_id: int, contact_id: int, text: str, days: int
) -> None:
    await add_interaction(
        session,
        owner_id=owner_id,
        contact_id=contact_id,
        kind=InteractionKind.NOTE,
        text=text,
        occurred_at=T0 + timedelta(days=days),
    )


async def test_notes_match_folded_text_once_per_contact_and_stop_at_the_limit(
    session: AsyncSession,
) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    kari = await create_contact(session, owner_id=seller.id, name="Kari")
    ola = await create_contact(session, owner_id=seller.id, name="Ola")
    per = await create_contact(session, owner_id=seller.id, name="Per")
    stranger = await create_contact(session, owner_id=other.id, name="Stranger")
    await _note(session, seller.id, kari.id, "Bekymret for PRISEN på lisens", days=1)
    await _note(session, seller.id, kari.id, "Prisen igjen", days=2)
    await _note(session, seller.id, ola.id, "Spurte om prisen og på Årsavtale", days=5)
    await _note(session, seller.id, per.id, "Wants a demo", days=9)
    await _note(session, other.id, stranger.id, "prisen", days=9)

    found = await contacts_with_notes_containing(session, owner_id=seller.id, text="Prisen")

    assert sorted(found) == sorted([ola.id, kari.id])
    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="arsavtale") == [
        ola.id
    ]
    limited = await contacts_with_notes_containing(session, owner_id=seller.id, text="Pri", limit=1)
    assert len(limited) == 1
    assert limited[0] in {ola.id, kari.id}


async def test_note_search_takes_wildcards_literally_and_ignores_very_short_text(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    kari = await create_contact(session, owner_id=seller.id, name="Kari")
    await _note(session, seller.id, kari.id, "Discount 100% off_season", days=1)
    ola = await create_contact(session, owner_id=seller.id, name="Ola")
    await _note(session, seller.id, ola.id, "Discount 1000 offxseason", days=2)

    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="0%") == []
    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="100%") == [
        kari.id
    ]
    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="off_s") == [
        kari.id
    ]
    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="  a ") == []
    per = await create_contact(session, owner_id=seller.id, name="Per")
    await _note(session, seller.id, per.id, "Sendt tilbud 2/3 av lisensene", days=3)
    assert await contacts_with_notes_containing(session, owner_id=seller.id, text="2/3") == [
        per.id
    ]  # the escape character of the LIKE, itself taken literally


async def _concern(session: AsyncSession, owner_id: int, contact_id: int, text: str) -> int:
    concern = await add_concern(session, owner_id=owner_id, contact_id=contact_id, text=text)
    assert concern is not None
    return concern.id


async def test_open_concerns_match_folded_text_once_per_contact_and_only_the_sellers_own(
    session: AsyncSession,
) -> None:
    seller, other = await make_seller(session), await make_seller(session)
    kari = await create_contact(session, owner_id=seller.id, name="Kari")
    ola = await create_contact(session, owner_id=seller.id, name="Ola")
    per = await create_contact(session, owner_id=seller.id, name="Per")
    stranger = await create_contact(session, owner_id=other.id, name="Stranger")
    await _concern(session, seller.id, ola.id, "Må ha  GODKJENNING fra styret i Ålesund")
    await _concern(session, seller.id, kari.id, "Styret  møtes i mai")
    await _concern(session, seller.id, kari.id, "Hva sier styret?")
    await _concern(session, seller.id, per.id, "Is it too expensive?")
    await _concern(session, other.id, stranger.id, "styret")

    found = await contacts_with_concerns_containing(session, owner_id=seller.id, text="STYRET")

    assert found == [ola.id, kari.id]  # each once, in the order their concerns were raised
    assert await contacts_with_concerns_containing(
        session, owner_id=seller.id, text="godkjenning fra styret i alesund"
    ) == [ola.id]
    assert await contacts_with_concerns_containing(
        session, owner_id=seller.id, text="styret motes"
    ) == [kari.id]
    assert await contacts_with_concerns_containing(
        session, owner_id=seller.id, text="styret", limit=1
    ) == [ola.id]
    assert await contacts_with_concerns_containing(session, owner_id=other.id, text="styret") == [
        stranger.id
    ]


async def test_answered_concerns_are_not_searched_and_short_text_finds_nothing(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    kari = await create_contact(session, owner_id=seller.id, name="Kari")
    answered = await _concern(session, seller.id, kari.id, "Needs board approval")
    await _concern(session, seller.id, kari.id, "Discount 100% off_season")

    await resolve_concern(session, owner_id=seller.id, concern_id=answered)

    assert await contacts_with_concerns_containing(session, owner_id=seller.id, text="board") == []
    assert await contacts_with_concerns_containing(session, owner_id=seller.id, text="100%") == [
        kari.id
    ]
    assert await contacts_with_concerns_containing(session, owner_id=seller.id, text="off_s") == [
        kari.id
    ]
    assert await contacts_with_concerns_containing(session, owner_id=seller.id, text=" a ") == []
