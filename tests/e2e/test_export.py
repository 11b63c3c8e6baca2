"""/export over the fake Bot API: three documents whose bytes open as a spreadsheet and an
address book would read them, in the seller's time zone and language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import vobject
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Sale
from storage.vocabulary import Answer, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import latest, shown
from tests.factories import Person, add_people, run
from tests.fakeapi import BotMessage, PhoneUser

FOLLOW_UP = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # 10:00 in Oslo


def documents(seller: PhoneUser) -> dict[str, BotMessage]:
    return {
        m.file.file_name or "": m
        for m in seller.messages
        if m.kind == "document" and m.file is not None
    }


def table(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads æøå"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def seed(bot: Prospekt, language: str) -> dict[str, int]:
    ids = await add_people(
        bot,
        1001,
        language,
        Person(
            "Kåre Ørn",
            fields={
                "company": '=HYPERLINK("http://x")',
                "phone": "+4791234567",
                "email": "kare@example.no",
                "birth_day": 14,
                "birth_month": 3,
                "market_fit": Answer.YES,
                "budget": Answer.YES,
                "authority": Answer.YES,
            },
            notes=[("Wants a demo, soon", datetime(2026, 11, 30, 13, 0, tzinfo=UTC))],
            concerns=["Too expensive?", "Needs the boss"],
            follow_up=FOLLOW_UP,
            stage=Stage.CUSTOMER,
        ),
        Person("Ola Hansen"),
    )
    await run(bot, lambda session: _sale(session, ids["Kåre Ørn"]))
    return ids


async def _sale(session: AsyncSession, contact_id: int) -> None:
    session.add(
        Sale(
            owner_id=1001,
            contact_id=contact_id,
            amount=Decimal("12500.50"),
            currency="NOK",
            sold_at=datetime(2026, 11, 30, tzinfo=UTC),
        )
    )


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_export_sends_contacts_activities_and_cards_as_files(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/help")
    ids = await seed(bot, language)
    await bot.user(2002).send("/help")  # another seller's book stays out of it
    await add_people(bot, 2002, "en", Person("Not Yours"))

    await seller.send("/export")

    files = documents(seller)
    assert sorted(files) == ["contacts.csv", "contacts.vcf", "interactions.csv"]
    assert files["contacts.csv"].file is not None
    contacts = table(files["contacts.csv"].file.data)
    assert [row["name"] for row in contacts] == ["Kåre Ørn", "Ola Hansen"]
    kare = contacts[0]
    assert kare == {
        "contact_id": str(ids["Kåre Ørn"]),
        "name": "Kåre Ørn",
        "company": '\'=HYPERLINK("http://x")',
        "phone": "'+4791234567",
        "email": "kare@example.no",
        "stage": "customer",
        "market_fit": "yes",
        "budget": "yes",
        "authority": "yes",
        "do_not_contact": "no",
        "birthday": "'--03-14",  # a no-year birthday starts with -, so it is neutralised
        "last_contacted": kare["last_contacted"],
        "next_follow_up": "2027-01-11T10:00+01:00",
        "open_concerns": "Too expensive?\nNeeds the boss",
        "sales_value": "12500.50 NOK",
        "source": "",
        "interactions": "1",
        "created": kare["created"],
    }
    assert files["interactions.csv"].file is not None
    activities = table(files["interactions.csv"].file.data)
    assert activities == [
        {
            "contact_id": str(ids["Kåre Ørn"]),
            "contact": "Kåre Ørn",
            "kind": "note",
            "when": "2026-11-30T14:00+01:00",
            "text": "Wants a demo, soon",
        }
    ]
    assert files["contacts.vcf"].file is not None
    cards = list(vobject.readComponents(files["contacts.vcf"].file.data.decode()))
    assert [card.fn.value for card in cards] == ["Kåre Ørn", "Ola Hansen"]
    assert cards[0].tel.value == "+4791234567"
    assert cards[0].version.value == "3.0"
    caption = files["contacts.csv"].text
    assert ("Contacts: 2" if language == "en" else "Kontakter: 2") in caption


async def test_export_with_no_contacts_says_so_and_sends_no_file(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="nb")
    replies = await seller.send("/export")

    assert [m.text for m in replies if m.kind == "text"] == [
        "Du har ingen kontakter ennå, så det er ingenting å eksportere."
    ]
    assert documents(seller) == {}


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_an_export_sent_back_as_a_file_brings_everyone_back_in_their_stage(
    bot: Prospekt, language: str
) -> None:
    """A seller moving to a new account (here: another Telegram user) sends the old
    account's contacts.csv and types the choice; the people, their details, stages and
    answers are as they were, the formula-looking company without its guard quote."""
    old = bot.user(1001, language_code=language)
    await old.send("/help")
    await seed(bot, language)
    await old.send("/export")
    exported = documents(old)["contacts.csv"].file
    assert exported is not None

    new = bot.user(2002, language_code=language)
    await new.send("/help")
    await new.send_document(exported.data, "contacts.csv", "text/csv")
    preview = await shown(new, lambda: latest(new, "📇"), "📇")
    assert "2" in preview.text
    await new.send("import" if language == "en" else "hent inn")
    await shown(new, lambda: latest(new, "✅"), "✅")

    book = (
        "SELECT name, company, phone, email, birth_day, birth_month, stage, market_fit, budget "
        "FROM contact WHERE owner_id = ? ORDER BY name"
    )
    moved, kept = bot.rows(book, 2002), bot.rows(book, 1001)
    assert len(moved) == 2
    assert moved == kept
