"""Writing a contacts file's people in batches, on SQLite and PostgreSQL: new leads with
their first stage, notes and birthday nudges; look-alikes merged without overwriting."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.records.imports import Choice, matcher, write_batch
from storage.models import Contact, Interaction, Reminder, StageChange
from storage.queries import conversations
from storage.queries.imports import NewContact
from storage.vocabulary import ReminderKind, Stage
from tests.factories import T0, make_contact, make_seller

ASE = NewContact(
    name="Åse Kjærstad",
    company="Fjord AS",
    phone="+4791234567",
    email="ase@fjord.no",
    birth_day=20,
    birth_month=3,
    birth_year=1985,
    note="Met at the fair",
)


async def count(session: AsyncSession, model: type[object], **where: object) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return (await session.scalar(query)) or 0


async def test_new_people_become_leads_with_a_stage_a_note_and_birthday_nudges(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    other = await make_seller(session)

    written = await write_batch(
        session,
        seller=seller,
        people=[(ASE, None), (NewContact(name="Ola"), None)],
        choice=Choice.SKIP,
        source="import:vcf",
        now=T0,
    )
    await session.commit()

    assert (written.added, written.merged) == (2, 0)
    ase = await session.scalar(select(Contact).where(Contact.name == "Åse Kjærstad"))
    assert ase is not None and ase.owner_id == seller.id
    assert (ase.stage, ase.source, ase.phone, ase.last_contacted_at) == (
        Stage.LEAD,
        "import:vcf",
        "+4791234567",
        None,
    )
    assert "ase kjaerstad" in ase.search_key
    assert await count(session, StageChange, contact_id=ase.id, to_stage=Stage.LEAD) == 1
    assert await count(session, Interaction, contact_id=ase.id, text="Met at the fair") == 1
    kinds = await session.scalars(select(Reminder.kind).where(Reminder.contact_id == ase.id))
    assert sorted(kinds) == [ReminderKind.BIRTHDAY, ReminderKind.BIRTHDAY_CARD]
    assert await count(session, Contact, owner_id=other.id) == 0


async def test_merge_fills_only_empty_fields_and_skip_and_add_do_as_they_say(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    typed = await make_contact(session, owner=seller, name="Ase Kjaerstad", company="Typed AS")
    found = await matcher(session, seller.id)
    same = found.match(ASE.name, [ASE.phone or ""], [])
    assert same == typed.id

    skipped = await write_batch(
        session, seller=seller, people=[(ASE, same)], choice=Choice.SKIP, source="x", now=T0
    )
    merged = await write_batch(
        session, seller=seller, people=[(ASE, same)], choice=Choice.MERGE, source="x", now=T0
    )
    await session.commit()
    session.expunge_all()

    assert (skipped.added, skipped.merged, merged.added, merged.merged) == (0, 0, 0, 1)
    kept = await session.get(Contact, typed.id)
    assert kept is not None
    assert (kept.name, kept.company, kept.phone, kept.email, kept.birth_year) == (
        "Ase Kjaerstad",
        "Typed AS",
        "+4791234567",
        "ase@fjord.no",
        1985,
    )
    assert await count(session, Interaction, contact_id=typed.id) == 1
    assert await count(session, Reminder, contact_id=typed.id) == 2

    added = await write_batch(
        session, seller=seller, people=[(ASE, same)], choice=Choice.ADD, source="x", now=T0
    )
    assert (added.added, added.merged) == (1, 0)
    assert await count(session, Contact, owner_id=seller.id) == 2


async def test_the_same_person_by_phone_email_or_whole_folded_name_only(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    kari = await make_contact(session, owner=seller, name="Kari Nordmann", email="KARI@acme.no")
    other = await make_seller(session)
    await make_contact(session, owner=other, name="Ola Olsen", phone="+4798765432")

    found = await matcher(session, seller.id)

    assert found.match("K. N.", [], ["kari@ACME.no"]) == kari.id
    assert found.match("kari  nordmann", [], []) == kari.id
    assert found.match("Kari", [], []) is None
    assert found.match("Ola Olsen", ["+4798765432"], []) is None  # another seller's


async def test_a_step_moves_on_only_from_where_it_is_and_only_for_its_seller(
    session: AsyncSession,
) -> None:
    seller = await make_seller(session)
    other = await make_seller(session)
    await conversations.set_state(
        session, seller_id=seller.id, flow="import", step="starting", data={"file_id": "f"}
    )
    await session.commit()

    wrong_step = await conversations.move_step(
        session, seller_id=seller.id, flow="import", from_steps=("preview",), to_step="running"
    )
    not_theirs = await conversations.move_step(
        session, seller_id=other.id, flow="import", from_steps=("starting",), to_step="running"
    )
    taken = await conversations.move_step(
        session,
        seller_id=seller.id,
        flow="import",
        from_steps=("starting",),
        to_step="running",
        data={"file_id": "f", "done": 500},
    )
    await session.commit()

    assert (wrong_step, not_theirs) == (None, None)
    assert taken is not None and (taken.step, taken.data["done"]) == ("running", 500)
    running = await conversations.in_step(session, flow="import", step="running")
    assert [state.seller_id for state in running] == [seller.id]
