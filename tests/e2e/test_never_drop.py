"""No lead drops silently: a note after a nudge asks for the next step, a nudge not acted on
comes back in tomorrow's digest and stays on /today, and a lead with no next step is listed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from storage.vocabulary import Stage
from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.e2e.test_nudges import DIGEST, SELLER, WORDS, nudged
from tests.factories import add_contact

LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
ASK = {
    "en": "No next step with Kari Nordmann yet. When will you follow up?",
    "nb": "Ingen neste steg med Kari Nordmann ennå. Når skal du følge opp?",
}
USUAL = {"en": "⏰ In 14 days", "nb": "⏰ Om 14 dager"}  # a prospect's keep-in-touch period
NONE = {"en": "✖️ No next step", "nb": "✖️ Ikke noe neste steg"}
STILL_OPEN = {"en": "⏰ Still open from before", "nb": "⏰ Fortsatt åpent fra før"}
NO_NEXT_STEP = {"en": "🧭 No next step yet", "nb": "🧭 Uten neste steg"}


@pytest.fixture
def now() -> datetime:
    return DIGEST - timedelta(days=1)


def pending_follow_ups(bot: Prospekt) -> list[tuple[str]]:
    return bot.rows(
        "SELECT due_at FROM reminder WHERE kind = 'follow_up' AND status = 'pending' ORDER BY id"
    )


@LANGUAGES
async def test_a_note_after_a_nudge_asks_for_the_next_step(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, _, nudge = await nudged(bot, clock, language)
    await seller.press(WORDS[language]["note"], message=nudge)

    card = said(await seller.send("Called, she wants the price list first"))
    kept = said(await seller.press(USUAL[language], message=card))

    assert ASK[language] in card.text
    assert USUAL[language] in card.labels and NONE[language] in card.labels
    # 14 days on is Good Friday 26 March, and Easter Monday follows: Tuesday 30 March, 08:00.
    assert pending_follow_ups(bot) == [("2027-03-30 06:00:00.000000",)]
    assert USUAL[language] not in kept.labels


async def test_no_next_step_can_be_said_out_loud(bot: Prospekt, clock: Clock) -> None:
    seller, _, nudge = await nudged(bot, clock, "en")
    await seller.press(WORDS["en"]["note"], message=nudge)
    card = said(await seller.send("Not interested this year"))

    after = said(await seller.press(NONE["en"], message=card))

    assert NONE["en"] not in after.labels
    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.text == "No next step for Kari Nordmann."
    assert pending_follow_ups(bot) == []


@LANGUAGES
async def test_a_nudge_not_acted_on_comes_back_in_tomorrows_digest_and_stays_on_today(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, _, _ = await nudged(bot, clock, language)

    await clock.run_dispatcher(DIGEST + timedelta(days=1))
    digest = seller.last_message
    focus = said(await seller.send("/today"))

    assert digest is not None and STILL_OPEN[language] in digest.text
    assert "Kari Nordmann" in digest.text.split(STILL_OPEN[language])[1]
    assert "Kari Nordmann" in focus.text


async def test_a_nudge_acted_on_leaves_tomorrow_quiet(bot: Prospekt, clock: Clock) -> None:
    seller, _, nudge = await nudged(bot, clock, "en")
    await seller.press(WORDS["en"]["next_week"], message=nudge)
    sent_before = len(seller.messages)

    await clock.run_dispatcher(DIGEST + timedelta(days=1))

    assert len(seller.messages) == sent_before, "nothing open: the planned digest is not sent"
    assert bot.rows("SELECT status FROM reminder WHERE kind = 'digest'") == [("cancelled",)]


@LANGUAGES
async def test_a_lead_with_no_next_step_is_listed_in_the_digest(
    bot: Prospekt, clock: Clock, language: str
) -> None:
    seller, _, _ = await nudged(bot, clock, language)
    await add_contact(bot, SELLER, "Ola Uplanlagt", stage=Stage.LEAD)

    await clock.run_dispatcher(DIGEST + timedelta(days=1))
    digest = seller.last_message

    assert digest is not None and NO_NEXT_STEP[language] in digest.text
    assert "Ola Uplanlagt" in digest.text.split(NO_NEXT_STEP[language])[1]
    assert any(label.endswith("Ola Uplanlagt") for label in digest.labels)
