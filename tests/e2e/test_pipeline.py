"""/pipeline end to end: the funnel picture, the counts, conversion and who is stuck."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from storage.vocabulary import Stage
from tests.e2e.harness import Prospekt
from tests.factories import DAY, database, now, oslo_days_ago, seed_contact, seed_seller
from tests.fakeapi import BotMessage, FakeTelegramServer

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
LEAD, PROSPECT, CUSTOMER, REPEAT = Stage.LEAD, Stage.PROSPECT, Stage.CUSTOMER, Stage.REPEAT
HOSTILE = '<b>&"'

NOW_IN_STAGE = {
    "en": "Now in each stage (everyone you may contact):",
    "nb": "Nå i hver fase (alle du kan kontakte):",
}
COUNTS = {
    "en": [
        "Leads: 1",
        "Prospects: 1",
        "Customers: 2",
        "Repeat buyers: 0",
        "🚫 Do not contact: 1 (in no stage)",
    ],
    "nb": [
        "Leads: 1",
        "Prospekter: 1",
        "Kunder: 2",
        "Faste kunder: 0",
        "🚫 Skal ikke kontaktes: 1 (i ingen fase)",
    ],
}
TEXT = {
    "en": {
        "title": "📊 Your pipeline",
        "lead_rate": "Lead → prospect: 75% (3 of 4)",
        "prospect_rate": "Prospect → customer: 33% (1 of 3)",
        "stuck": "⏳ Stuck: 2 (no contact for longer than their stage's keep-in-touch period)",
        "first": f"1. {HOSTILE} · Customer · 70 days since last contact (keep in touch: 60 days)",
        "second": "2. Åse Øvrebø · Prospect · 20 days since last contact (keep in touch: 14 days)",
        "caption": "📊 Your funnel, ",
        "empty": "No contacts yet",
        "none_stuck": "✅ Nobody is stuck",
    },
    "nb": {
        "title": "📊 Salgstrakten din",
        "lead_rate": "Lead → prospekt: 75\xa0% (3 av 4)",
        "prospect_rate": "Prospekt → kunde: 33\xa0% (1 av 3)",
        "stuck": "⏳ Står fast: 2 (ingen kontakt på lenger enn «Hold kontakten»-tiden for fasen)",
        "first": f"1. {HOSTILE} · Kunde · 70 dager siden siste kontakt (hold kontakten: 60 dager)",
        "second": "2. Åse Øvrebø · Prospekt · 20 dager siden siste kontakt "
        "(hold kontakten: 14 dager)",
        "caption": "📊 Salgstrakten din, ",
        "empty": "Du har ingen kontakter ennå",
        "none_stuck": "✅ Ingen står fast",
    },
}


def png_of(message: BotMessage) -> Image.Image:
    """The photo the bot sent, opened as the image it claims to be."""
    assert message.kind == "photo"
    assert message.file is not None
    image = Image.open(io.BytesIO(message.file.data))
    image.verify()
    return Image.open(io.BytesIO(message.file.data))


@LANGUAGES
async def test_pipeline_sends_the_funnel_picture_then_counts_conversion_and_stuck_buttons(
    bot: Prospekt, telegram: FakeTelegramServer, language: str
) -> None:
    words = TEXT[language]
    long_ago, recently = oslo_days_ago(70), oslo_days_ago(2)
    async with database(bot) as session:
        await seed_seller(session, 1001, language)
        await seed_seller(session, 2002, "en")
        await seed_contact(session, 1001, "Lise Lead", last_contact=recently)
        ase = await seed_contact(
            session, 1001, "Åse Øvrebø", path=(LEAD, PROSPECT), last_contact=oslo_days_ago(20)
        )
        await seed_contact(session, 1001, "Kari Kunde", path=(LEAD, PROSPECT, CUSTOMER))
        hostile = await seed_contact(
            session, 1001, HOSTILE, path=(CUSTOMER,), last_contact=long_ago
        )
        await seed_contact(
            session,
            1001,
            "Never Again",
            path=(LEAD, PROSPECT),
            last_contact=long_ago,
            do_not_contact=True,
        )
        await seed_contact(session, 2002, "Someone Else's", path=(PROSPECT,), last_contact=long_ago)
    seller_ = bot.user(1001, language_code=language)

    photo, summary = await seller_.send("/pipeline")

    image = png_of(photo)
    assert image.format == "PNG"
    assert image.width >= 600
    assert photo.text.startswith(words["caption"])
    lines = summary.text.splitlines()
    assert lines[0] == words["title"]
    assert lines[1] == NOW_IN_STAGE[language], "the counts say what they count"
    assert lines[2:7] == COUNTS[language], "the do-not-contact prospect counts in no stage"
    assert words["lead_rate"] in lines
    assert words["prospect_rate"] in lines
    stuck = lines.index(words["stuck"])
    assert lines[stuck + 1 : stuck + 3] == [words["first"], words["second"]]
    assert summary.callback_data == {f"1. {HOSTILE}": f"c:{hostile}", "2. Åse Øvrebø": f"c:{ase}"}
    assert "&lt;b&gt;&amp;" in summary.raw_text  # escaped on the way out, shown as typed
    assert "Someone Else" not in summary.text
    assert "Never Again" not in summary.text
    telegram.assert_no_errors()


@LANGUAGES
async def test_pipeline_without_contacts_points_to_meet(bot: Prospekt, language: str) -> None:
    [reply] = await bot.user(1001, language_code=language).send("/pipeline")
    assert reply.kind == "text"
    assert reply.text.startswith(TEXT[language]["empty"])
    assert "/meet" in reply.text


async def test_nobody_stuck_is_said_and_leaves_no_buttons(bot: Prospekt) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, "en")
        await seed_contact(session, 1001, "Fresh Prospect", path=(PROSPECT,), last_contact=now())
    _photo, summary = await bot.user(1001, language_code="en").send("/pipeline")
    assert TEXT["en"]["none_stuck"] in summary.text
    assert "Prospect → customer: 0% (0 of 1)" in summary.text
    assert "Lead → prospect: no leads yet" in summary.text
    assert summary.labels == []


async def test_the_stuck_list_shows_five_and_counts_the_rest(bot: Prospekt) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, "en")
        for n in range(8):
            await seed_contact(
                session, 1001, f"Quiet {n}", path=(REPEAT,), last_contact=now() - (100 + n) * DAY
            )
    _photo, summary = await bot.user(1001, language_code="en").send("/pipeline")
    assert "⏳ Stuck: 8" in summary.text
    assert "…and 3 more." in summary.text
    assert summary.labels == [f"{n}. Quiet {8 - n}" for n in range(1, 6)]


async def test_another_sellers_pipeline_is_their_own(bot: Prospekt) -> None:
    async with database(bot) as session:
        await seed_seller(session, 1001, "en")
        await seed_seller(session, 2002, "en")
        await seed_contact(session, 1001, "Mine", path=(PROSPECT,), last_contact=now() - 30 * DAY)
    [empty] = await bot.user(2002, language_code="en").send("/pipeline")
    assert empty.text.startswith("No contacts yet")
