"""The contact card: what it shows (in both languages, escaped, within Telegram's limit) and
what each of its buttons does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from storage.vocabulary import Answer, InteractionKind, Outcome, Stage
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import (
    add_concern,
    add_contact,
    add_interaction,
    backdate_stage,
    schedule_reminder,
)
from tests.fakeapi import BotMessage, PhoneUser, utf16_len

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
OSLO = ZoneInfo("Europe/Oslo")
FULL_CARD = {
    "en": """Kari Nordmann · Acme AS
Lead — decision-maker unknown
⏳ In this stage for 3 weeks, since {since}
✅ Market fit · ✅ Budget · ❔ Decision-maker

Open questions
• Is it too expensive?
• Delivery before summer?

Latest activities
📝 14 Mar 2025 · Note: Wants a demo <b>soon</b> & cheap
📞 10 Mar 2025 · Call
🤝 1 Mar 2025 · Meeting: Met at the fair

⏰ Next follow-up: Friday 15 March 2030, 08:00
🎂 Birthday: 14 March 1985
📞 +4791234567
✉️ kari@acme.no""",
    "nb": """Kari Nordmann · Acme AS
Lead — beslutter ukjent
⏳ I denne fasen i 3 uker, siden {since}
✅ Målgruppe · ✅ Budsjett · ❔ Beslutter

Åpne spørsmål
• Is it too expensive?
• Delivery before summer?

Siste aktiviteter
📝 14. mars 2025 · Notat: Wants a demo <b>soon</b> & cheap
📞 10. mars 2025 · Telefon
🤝 1. mars 2025 · Møte: Met at the fair

⏰ Neste oppfølging: fredag 15. mars 2030, 08:00
🎂 Bursdag: 14. mars 1985
📞 +4791234567
✉️ kari@acme.no""",
}
CARD_BUTTONS = {
    "en": [
        ["🤝 Log meeting", "✍️ Add note"],
        ["❓ Open questions (2)", "🔀 Move stage"],
        ["⏰ Set follow-up", "✏️ Edit"],
        ["📝 All notes", "🗑 Delete"],
    ],
    "nb": [
        ["🤝 Logg møte", "✍️ Legg til notat"],
        ["❓ Åpne spørsmål (2)", "🔀 Endre fase"],
        ["⏰ Sett oppfølging", "✏️ Endre"],
        ["📝 Alle notater", "🗑 Slett"],
    ],
}


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


async def kari(bot: Prospekt, owner: int = 1001) -> int:
    """Kari with something in every part of the card."""
    kari_id = await add_contact(
        bot,
        owner,
        "Kari Nordmann",
        company="Acme AS",
        phone="+4791234567",
        email="kari@acme.no",
        birth_day=14,
        birth_month=3,
        birth_year=1985,
        market_fit=Answer.YES,
        budget=Answer.YES,
    )
    await backdate_stage(bot, kari_id, datetime.now(UTC) - timedelta(days=22))
    for kind, text, when in [
        (InteractionKind.MEETING, "First hello", at(2025, 2, 1)),  # older than the three shown
        (InteractionKind.MEETING, "Met at the fair", at(2025, 3, 1)),
        (InteractionKind.CALL, None, at(2025, 3, 10)),
        (InteractionKind.NOTE, "Wants a demo <b>soon</b> & cheap", at(2025, 3, 14)),
    ]:
        await add_interaction(bot, owner, kari_id, kind, text, when)
    resolved = await add_concern(bot, owner, kari_id, "Answered already")
    bot.rows("UPDATE concern SET status = 'resolved' WHERE id = ?", resolved)
    await add_concern(bot, owner, kari_id, "Is it too expensive?")
    await add_concern(bot, owner, kari_id, "Delivery before summer?")
    await schedule_reminder(bot, owner, kari_id, datetime(2030, 3, 15, 7, tzinfo=UTC))
    return kari_id


async def open_card(seller: PhoneUser, contact_id: int) -> BotMessage:
    """The card as a search result or /today opens it: `c:<id>` on any message with buttons."""
    if not any(message.inline_keyboard for message in seller.messages):
        await seller.send("/contacts")
    return said(await seller.press_data(f"c:{contact_id}"))


async def a_seller(bot: Prospekt, language: str = "en") -> PhoneUser:
    seller = bot.user(1001, language_code=language)
    await seller.send("/contacts")
    return seller


# --- what the card shows -----------------------------------------------------------------


@LANGUAGES
async def test_the_card_shows_everything_about_the_contact(bot: Prospekt, language: str) -> None:
    seller = await a_seller(bot, language)
    kari_id = await kari(bot)

    card = await open_card(seller, kari_id)

    since = (datetime.now(UTC) - timedelta(days=22)).astimezone(OSLO).date()
    pattern = {"en": "d MMM y", "nb": "d. MMM y"}[language]
    day = format_date(since, pattern, locale={"en": "en_GB", "nb": "nb"}[language])
    assert card.text == FULL_CARD[language].format(since=day)
    assert card.buttons == CARD_BUTTONS[language]
    assert not card.edited, "a new message: the list or search results stay above it"


async def test_the_card_of_a_new_contact_is_short(bot: Prospekt) -> None:
    seller = await a_seller(bot, "nb")
    ola = await add_contact(bot, 1001, "Ola")

    card = await open_card(seller, ola)

    assert card.text == (
        "Ola\n"
        "Lead — målgruppe ukjent, budsjett ukjent, beslutter ukjent\n"
        "⏳ I denne fasen siden i dag\n"
        "❔ Målgruppe · ❔ Budsjett · ❔ Beslutter\n"
        "\n"
        "⏰ Ingen oppfølging planlagt"
    )
    assert card.labels[2] == "❓ Åpne spørsmål"


async def test_the_card_says_how_the_last_meeting_went_and_not_to_contact(bot: Prospekt) -> None:
    seller = await a_seller(bot)
    per = await add_contact(
        bot, 1001, "Per", stage=Stage.PROSPECT, outcome=Outcome.SAID_NO, do_not_contact=True
    )

    card = await open_card(seller, per)

    assert card.text.splitlines()[4:] == ["Last meeting: said no", "🚫 Do not contact"]


@LANGUAGES
async def test_a_name_with_html_characters_shows_exactly_as_typed(
    bot: Prospekt, language: str
) -> None:
    seller = await a_seller(bot, language)
    odd = await add_contact(bot, 1001, '<b>&"', company="<i>Ø&Co</i>", email="a&b@c.no")
    await add_interaction(bot, 1001, odd, InteractionKind.NOTE, "</b> & <script>", at(2025, 3, 1))

    await seller.send("/contacts")
    page = said(await seller.press_data("l:all:0"))
    card = await open_card(seller, odd)

    assert page.labels[0] == '<b>&" · <i>Ø&Co</i>'
    lines = card.text.splitlines()
    assert lines[0] == '<b>&" · <i>Ø&Co</i>'
    assert lines[-1] == "✉️ a&b@c.no"
    assert lines[-4].endswith(": </b> & <script>")
    assert "&lt;b&gt;&amp;" in card.raw_text, "escaped for Telegram's HTML"


@LANGUAGES
async def test_norwegian_letters_show_everywhere(bot: Prospekt, language: str) -> None:
    seller = await a_seller(bot, language)
    ase = await add_contact(bot, 1001, "Åse Ødegård", company="Bæreposer & Blåbær AS")

    await seller.send("/contacts")
    page = said(await seller.press_data("l:ld:0"))
    card = said(await seller.press("Åse Ødegård · Bæreposer & Blåbær AS", message=page))
    confirm = said(await seller.press(CARD_BUTTONS[language][3][1]))

    assert card.text.startswith("Åse Ødegård · Bæreposer & Blåbær AS\n")
    assert "Åse Ødegård" in confirm.text
    assert bot.rows("SELECT name FROM contact WHERE id = ?", ase) == [("Åse Ødegård",)]


async def test_the_card_fits_one_message_with_the_longest_data(bot: Prospekt) -> None:
    seller = await a_seller(bot)
    long_name = "😀" * 128  # two UTF-16 units each
    long_id = await add_contact(
        bot, 1001, long_name, company="<&>" * 42, email="e" * 240 + "@example.no"
    )
    for n in range(30):
        await add_concern(bot, 1001, long_id, f"{n} " + "Ø<&>😀 " * 800)
    for n in range(5):
        await add_interaction(
            bot,
            1001,
            long_id,
            InteractionKind.NOTE,
            "Lang <b>note</b> 😀 " * 400,
            at(2025, 3, n + 1),
        )

    card = await open_card(seller, long_id)
    concerns = said(await seller.press("❓ Open questions (30)"))

    assert utf16_len(card.text) <= 4096
    assert utf16_len(concerns.text) <= 4096
    assert "…and 25 more" in card.text.splitlines()
    assert "…and 20 more" in concerns.text.splitlines()
