"""Importing contacts by sending a file: the preview, the choice (tapped or typed, in
English and Norwegian), the background import and its summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.texts import Texts
from storage.queries import conversations
from tests.e2e.backend import sqlite_only
from tests.e2e.harness import Prospekt
from tests.e2e.reading import alerted, everything, latest, shown
from tests.factories import Person, add_people, run
from tests.fakeapi import BotMessage, FakeTelegramServer, PhoneUser

DATA = Path(__file__).resolve().parents[1] / "data"
SELLER, OTHER = 1001, 2002
VCARD = "text/x-vcard"
STALE = {
    "en": Texts("en").plain("common.stale"),
    "nb": Texts("nb").plain("common.stale"),
}
WORDS = {
    "en": {
        "merge": "🔗 Merge",
        "import": "📥 Import",
        "cancel": "✖️ Cancel",
        "typed merge": "merge",
        "typed cancel": "cancel",
        "done": "imported",
    },
    "nb": {
        "merge": "🔗 Slå sammen",
        "import": "📥 Hent inn",
        "cancel": "✖️ Avbryt",
        "typed merge": "slå sammen",
        "typed cancel": "avbryt",
        "done": "hentet inn",
    },
}


async def send_file(seller: PhoneUser, name: str, mime: str = VCARD) -> BotMessage:
    """Send one of the sample files; the preview it gets, once the file has been read."""
    replies = await seller.send_document((DATA / name).read_bytes(), name, mime)
    [reading] = [reply for reply in replies if not reply.edited]
    return await shown(seller, lambda: seller.chat.find(reading.message_id), "📇")


async def summary(seller: PhoneUser) -> BotMessage:
    """The import's summary, once the background import has sent it."""
    return await shown(seller, lambda: latest(seller, "✅"), "✅")


def contacts(bot: Prospekt, owner: int = SELLER) -> list[tuple[object, ...]]:
    return bot.rows(
        "SELECT name, company, phone, email, birth_day, birth_month, birth_year, stage, source "
        "FROM contact WHERE owner_id = ? ORDER BY id",
        owner,
    )


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_an_android_vcard_is_imported_with_its_norwegian_letters(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(SELLER, language_code=language)

    preview = await send_file(seller, "android-2.1.vcf")
    assert contacts(bot) == []  # nothing before the choice
    await seller.press(WORDS[language]["import"], message=preview)
    done = await summary(seller)

    assert contacts(bot) == [
        ("Åse Kjærstad-Øvrebø", "Fjord Økologi AS", "+4791234567", "ase@example.no", 14, 3, 1985,
         "lead", "import:vcf"),
        ("Bjørn Ødegård", None, "+4798765432", None, None, None, None, "lead", "import:vcf"),
        ("Per Hansen", None, "+4741234567", None, None, None, None, "lead", "import:vcf"),
    ]  # fmt: skip
    notes = bot.rows("SELECT text FROM interaction ORDER BY id")
    assert notes[0][0].startswith("Traff henne på messa i Lillestrøm, vil ha tilbud")
    assert notes[0][0].endswith("+4722334455")  # the second phone, kept in the note
    assert bot.rows("SELECT count(*) FROM reminder WHERE kind = 'birthday'") == [(1,)]
    assert WORDS[language]["done"] in done.text
    assert "3" in done.text.splitlines()[0]
    assert len(done.text.splitlines()) == 6  # the summary, a blank, a heading, 3 problems


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_a_duplicate_is_found_and_merged_typed(bot: Prospekt, language: str) -> None:
    await add_people(
        bot, SELLER, language, Person("Ase Kjaerstad-Ovrebo", {"company": "Typed by me AS"})
    )
    seller = bot.user(SELLER, language_code=language)

    preview = await send_file(seller, "android-2.1.vcf")
    assert "• Åse Kjærstad-Øvrebø = Ase Kjaerstad-Ovrebo" in preview.text
    assert WORDS[language]["merge"] in preview.labels
    await seller.send(WORDS[language]["typed merge"])
    await summary(seller)

    rows = contacts(bot)
    assert len(rows) == 3
    assert rows[0][:7] == (
        "Ase Kjaerstad-Ovrebo", "Typed by me AS", "+4791234567", "ase@example.no", 14, 3, 1985
    )  # fmt: skip
    shown = seller.chat.find(preview.message_id)
    assert shown is not None and shown.labels == []  # the typed answer took the buttons off


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_cancel_writes_nothing(bot: Prospekt, language: str) -> None:
    seller = bot.user(SELLER, language_code=language)
    await seller.send("/help")
    before = everything(bot)

    preview = await send_file(seller, "iphone-3.0.vcf")
    await seller.send(WORDS[language]["typed cancel"])
    await send_file(seller, "google-contacts.csv", "text/csv")
    await seller.press(WORDS[language]["cancel"])
    old_button = preview.callback_data[WORDS[language]["import"]]
    await seller.press_data(old_button, message=preview)  # pressed from a stale screen

    assert everything(bot) == before
    assert alerted(seller, STALE[language])


async def test_a_broken_file_says_which_rows_and_why(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")

    await send_file(seller, "broken-rows.csv", "text/csv")
    await seller.press("📥 Import")
    done = await summary(seller)

    assert done.text.splitlines() == [
        "✅ broken-rows.csv: imported 3, merged 0, skipped 0.",
        "",
        "5 rows could not be read in full:",
        "Row 3: no name, left out: +47 912 34 568, ingen@example.no",
        "Row 4: not a phone number (kept in the note): ring etter kl 16",
        "Row 4: birthday not understood (kept in the note): 31.02.1980",
        "Row 5: wrong number of columns, left out: Per Olsen,Olsen AS,+4741234567",
        "Row 6: unreadable characters, left out: ?Ÿ’ÿþJUNK??,?,?,?,?",
    ]


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("en", "I can import contacts from a vCard (.vcf) or CSV (.csv) file, but offer.pdf is "
               "neither. Nothing was saved."),
        ("nb", "Jeg kan hente inn kontakter fra en vCard-fil (.vcf) eller CSV-fil (.csv), men "
               "offer.pdf er ingen av delene. Ingenting er lagret."),
    ],
)  # fmt: skip
async def test_an_unknown_file_is_told_what_can_be_read(
    bot: Prospekt, language: str, reply: str
) -> None:
    seller = bot.user(SELLER, language_code=language)

    [answer] = await seller.send_document(b"%PDF-1.4", "offer.pdf", "application/pdf")

    assert answer.text == reply


async def test_a_file_over_20_mb_is_refused_before_download(
    bot: Prospekt, telegram: FakeTelegramServer
) -> None:
    seller = bot.user(SELLER, language_code="en")

    [answer] = await seller.send_document(b"x" * (21 * 1024 * 1024), "all.csv", "text/csv")

    assert answer.text == (
        "all.csv is 21 MB; Telegram lets me fetch files up to 20 MB. Split it in two and send "
        "each part."
    )
    assert contacts(bot) == []


async def test_the_preview_survives_a_restart(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="nb")
    await send_file(seller, "iphone-3.0.vcf")

    await bot.restart()
    await seller.press("📥 Hent inn")
    done = await summary(seller)

    assert done.text.startswith("✅ iphone-3.0.vcf: 2 hentet inn, 0 slått sammen")
    assert [row[0] for row in contacts(bot)] == ["Kari Nordmann", "Ola Olsen"]
    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]


async def test_another_sellers_contacts_are_not_look_alikes(bot: Prospekt) -> None:
    await add_people(bot, OTHER, "en", Person("Kari Nordmann", {"phone": "+4791234567"}))
    seller = bot.user(SELLER, language_code="en")

    preview = await send_file(seller, "iphone-3.0.vcf")

    assert "All of them are new to you." in preview.text
    assert preview.labels == ["📥 Import", "✖️ Cancel"]


async def test_many_problems_come_as_a_file_too(
    bot: Prospekt,
) -> None:
    seller = bot.user(SELLER, language_code="nb")
    rows = ["Navn;Telefon", "Kari Nordmann;912 34 567"] + [
        f";+47 4000 00{n:02d}" for n in range(12)
    ]
    data = "\r\n".join(rows).encode("cp1252")

    [reading] = await seller.send_document(data, "kontakter.csv", "text/csv")
    await shown(seller, lambda: seller.chat.find(reading.message_id), "📇")
    await seller.send("legg til")
    done = await summary(seller)
    await shown(seller, lambda: latest(seller, "Alle radene"), "Alle radene")

    assert done.text.splitlines()[:3] == [
        "✅ kontakter.csv: 1 hentet inn, 0 slått sammen, 0 hoppet over.",
        "",
        "12 rader kunne ikke leses helt:",
    ]
    assert done.text.splitlines()[-1] == "… og 2 til, alle i fila under."
    problems = seller.last_message
    assert problems is not None and problems.file is not None
    assert problems.file.data.decode().splitlines()[-1] == (
        "Rad 14: mangler navn, ikke tatt med: +47 4000 0011"
    )


@sqlite_only("an import resumes after a restart on SQLite only (on PostgreSQL: not yet)")
async def test_an_import_chosen_just_before_a_stop_runs_at_the_next_start(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")
    await send_file(seller, "iphone-3.0.vcf")
    await bot.stop()
    with sqlite3.connect(bot.db_path) as connection:  # pressed Import, then the power went
        connection.execute(
            "UPDATE conversation_state SET step = 'starting',"
            " data = json_set(data, '$.choice', 'add')"
        )

    await bot.start()
    done = await summary(seller)

    assert done.text.startswith("✅ iphone-3.0.vcf: imported 2, merged 0")
    assert [row[0] for row in contacts(bot)] == ["Kari Nordmann", "Ola Olsen"]


@pytest.mark.parametrize(("language", "typed"), [("en", "skip those"), ("nb", "hopp over")])
async def test_skip_those_leaves_the_look_alikes_as_they_were(
    bot: Prospekt, language: str, typed: str
) -> None:
    await add_people(bot, SELLER, language, Person("K. Nordmann", {"phone": "+4791234567"}))
    seller = bot.user(SELLER, language_code=language)

    preview = await send_file(seller, "iphone-3.0.vcf")
    await seller.send(typed)
    await summary(seller)

    assert "• Kari Nordmann = K. Nordmann" in preview.text
    assert [row[:4] for row in contacts(bot)] == [
        ("K. Nordmann", None, "+4791234567", None),
        ("Ola Olsen", None, "+4790011223", None),
    ]


async def test_a_file_sent_mid_meeting_takes_the_buttons_off_its_question(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")
    question = (await seller.send("/meet Kari Nordmann"))[-1]
    assert question.labels

    await send_file(seller, "iphone-3.0.vcf")

    asked = seller.chat.find(question.message_id)
    assert asked is not None and asked.labels == []


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("en", "⏳ Still importing: 500 of 2000. I will tell you when it is done; everything "
               "else works meanwhile."),
        ("nb", "⏳ Holder fortsatt på: 500 av 2000. Jeg sier fra når det er ferdig; alt annet "
               "virker i mellomtiden."),
    ],
)  # fmt: skip
async def test_text_typed_while_an_import_runs_is_told_how_far_it_is(
    bot: Prospekt, language: str, reply: str
) -> None:
    seller = bot.user(SELLER, language_code=language)
    await seller.send("/help")
    progress = {"name": "kontakter.vcf", "done": 500, "total": 2000}  # half a batch in
    await run(
        bot,
        lambda s: conversations.set_state(
            s, seller_id=SELLER, flow="import", step="running", data=progress
        ),
    )

    [answer] = await seller.send("Kari Nordmann")

    assert answer.text == reply
