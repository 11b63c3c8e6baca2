"""Contact queries: create with history, whitelisted edits, paging, and duplicate hints."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Interaction
from storage.queries import contacts
from storage.queries.contacts import (
    count_contacts,
    create_contact,
    delete_contact,
    find_similar_by_name,
    get_contact,
    list_contacts,
    update_contact,
)
from storage.queries.interactions import add_interaction
from storage.queries.stages import stage_history
from storage.vocabulary import Answer, InteractionKind, Stage
from tests.factories import make_contact, make_seller


async def test_a_new_contact_is_a_lead_with_its_first_stage_recorded(session: AsyncSession) -> None:
    seller = await make_seller(session)

    contact = await create_contact(
        session, owner_id=seller.id, name="Kari Nordmann", company="Fjord AS", phone="+4791234567"
    )

    assert (contact.stage, contact.market_fit, contact.company) == (
        Stage.LEAD,
        Answer.UNKNOWN,
        "Fjord AS",
    )
    history = await stage_history(session, owner_id=seller.id, contact_id=contact.id)
    assert [(h.from_stage, h.to_stage, h.changed_at) for h in history] == [
        (None, Stage.LEAD, contact.created_at)
    ]


@pytest.mark.parametrize("field", ["stage", "last_contacted_at", "id", "created_at"])
async def test_fields_outside_the_whitelist_cannot_be_set_by_update(
    session: AsyncSession, field: str
) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)

    with pytest.raises(ValueError, match="not an editable contact field"):
        await update_contact(session, owner_id=seller.id, contact_id=contact.id, **{field: None})


async def test_create_rejects_unknown_fields(session: AsyncSession) -> None:
    seller = await make_seller(session)

    with pytest.raises(ValueError, match="not an editable contact field"):
        await create_contact(session, owner_id=seller.id, name="X", owner=seller.id)


async def test_update_changes_the_given_fields_only(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller, name="Kari", email="kari@example.no")

    updated = await update_contact(
        session, owner_id=seller.id, contact_id=contact.id, budget=Answer.YES, company="Fjord AS"
    )
    await session.commit()
    session.expunge_all()

    again = await get_contact(session, owner_id=seller.id, contact_id=contact.id)
    assert updated is not None and again is not None
    assert (again.name, again.email, again.budget, again.company) == (
        "Kari",
        "kari@example.no",
        Answer.YES,
        "Fjord AS",
    )


async def test_delete_removes_the_contact(session: AsyncSession) -> None:
    seller = await make_seller(session)
    contact = await make_contact(session, owner=seller)

    assert await delete_contact(session, owner_id=seller.id, contact_id=contact.id)
    assert await get_contact(session, owner_id=seller.id, contact_id=contact.id) is None
    assert not await delete_contact(session, owner_id=seller.id, contact_id=contact.id)


async def test_contacts_are_listed_by_name_in_pages_and_by_stage(session: AsyncSession) -> None:
    seller = await make_seller(session)
    for name, stage in [
        ("bjørn", Stage.PROSPECT),
        ("Anne", Stage.LEAD),
        ("Carl", Stage.PROSPECT),
        ("anders", Stage.CUSTOMER),
    ]:
        await make_contact(session, owner=seller, name=name, stage=stage)

    first = await list_contacts(session, owner_id=seller.id, limit=3)
    rest = await list_contacts(session, owner_id=seller.id, limit=3, offset=3)
    prospects = await list_contacts(session, owner_id=seller.id, stage=Stage.PROSPECT)

    assert [c.name for c in first] == ["anders", "Anne", "bjørn"]
    assert [c.name for c in rest] == ["Carl"]
    assert [c.name for c in prospects] == ["bjørn", "Carl"]
    assert await count_contacts(session, owner_id=seller.id) == 4
    assert await count_contacts(session, owner_id=seller.id, stage=Stage.PROSPECT) == 2
    assert await count_contacts(session, owner_id=seller.id, stage=Stage.REPEAT) == 0


async def test_similar_names_match_case_insensitively_with_prefix_matches_first(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    for name in ["Ola Hansen", "Hans Olsen", "Kari Hansen", "Per"]:
        await make_contact(session, owner=seller, name=name)

    found = await find_similar_by_name(session, owner_id=seller.id, name="hans")

    assert [c.name for c in found] == ["Hans Olsen", "Kari Hansen", "Ola Hansen"]


async def test_similar_names_treat_wildcards_literally_and_ignore_blank_input(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    await make_contact(session, owner=seller, name="Ola")
    await make_contact(session, owner=seller, name="100% Ola")

    assert [c.name for c in await find_similar_by_name(session, owner_id=seller.id, name="%")] == [
        "100% Ola"
    ]
    assert await find_similar_by_name(session, owner_id=seller.id, name="_la") == []
    assert await find_similar_by_name(session, owner_id=seller.id, name="  ") == []


async def test_a_deleted_contacts_id_is_never_given_to_a_new_one(session: AsyncSession) -> None:
    """An old button naming the deleted contact must not open the next new one."""
    seller = await make_seller(session)
    newest = await contacts.create_contact(session, owner_id=seller.id, name="Kari")
    await contacts.delete_contact(session, owner_id=seller.id, contact_id=newest.id)
    await session.commit()

    created = await contacts.create_contact(session, owner_id=seller.id, name="Ola")

    assert created.id != newest.id


async def test_what_a_database_refuses_is_cleaned_from_typed_text(session: AsyncSession) -> None:
    """NUL (PostgreSQL refuses it) and lone surrogates (no database encodes them) go; the
    rest of what was typed is kept, on both databases."""
    seller = await make_seller(session)
    contact = await create_contact(
        session, owner_id=seller.id, name="Kari\x00 Nord\ud800mann", company="A\x00B"
    )
    note = await add_interaction(
        session,
        owner_id=seller.id,
        contact_id=contact.id,
        kind=InteractionKind.NOTE,
        text="demo\x00 for fem",
    )
    await session.commit()
    session.expunge_all()

    stored = await get_contact(session, owner_id=seller.id, contact_id=contact.id)
    assert stored is not None and note is not None
    assert (stored.name, stored.company) == ("Kari Nordmann", "AB")
    assert await session.scalar(select(Interaction.text).where(Interaction.id == note.id)) == (
        "demo for fem"
    )
