"""/status: whether reminders are on, and the next ones scheduled, in the seller's own time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from storage.models import Seller
from storage.vocabulary import ReminderKind
from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import add_contact, run, schedule_reminder

NOW = datetime(2027, 3, 12, 12, 0, tzinfo=UTC)  # Friday 13:00 in Oslo
SELLER = 1001

EXPECTED = {
    "en": (
        "🔔 Your reminders\n"
        "Reminders are on: morning digest at 08:00, quiet hours 21:00–08:00, "
        "time zone Europe/Oslo.\n"
        "🎂 Birthday card reminders come 5 days ahead.\n"
        "\n"
        "Coming up:\n"
        "• Saturday 13 March 2027, 08:00: 🔔 follow up with Kari Nordmann (Acme AS)\n"
        "• Monday 15 March 2027, 14:30: 🔔 follow up with Ola Hansen\n"
        "• Tuesday 16 March 2027, 08:00: ✉️ send a birthday card to Per Berg\n"
        "• Sunday 21 March 2027, 08:00: 🎂 birthday of Per Berg"
    ),
    "nb": (
        "🔔 Påminnelsene dine\n"
        "Påminnelser er på: morgenoversikt kl. 08:00, stilletid 21:00–08:00, "
        "tidssone Europe/Oslo.\n"
        "🎂 Påminnelse om bursdagskort kommer 5 dager før.\n"
        "\n"
        "Neste:\n"
        "• lørdag 13. mars 2027, 08:00: 🔔 følg opp Kari Nordmann (Acme AS)\n"
        "• mandag 15. mars 2027, 14:30: 🔔 følg opp Ola Hansen\n"
        "• tirsdag 16. mars 2027, 08:00: ✉️ send bursdagskort til Per Berg\n"
        "• søndag 21. mars 2027, 08:00: 🎂 bursdagen til Per Berg"
    ),
}
NOTHING = {
    "en": "Nothing scheduled yet. After your next meeting (/meet), pick a follow-up",
    "nb": "Ingenting planlagt ennå. Etter neste møte (/meet) velger du en oppfølging",
}
PAUSED = {
    "en": "⏸ Reminders are paused: Telegram told me the bot was blocked.",
    "nb": "⏸ Påminnelser er satt på pause: Telegram sa at boten var blokkert.",
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])


@pytest.fixture
def now() -> datetime:
    return NOW


def oslo(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2027 in Oslo (CET, UTC+1, until the 28th)."""
    return datetime(2027, 3, day, hour - 1, minute, tzinfo=UTC)


async def schedule(bot: Prospekt, contact_id: int, kind: ReminderKind, due: datetime) -> None:
    await schedule_reminder(bot, SELLER, contact_id, due, kind=kind, exact=due.minute != 0)


@LANGUAGES
async def test_status_lists_the_next_reminders_in_local_time(bot: Prospekt, language: str) -> None:
    seller = bot.user(SELLER, language_code=language)
    await seller.send("/help")
    kari = await add_contact(bot, SELLER, "Kari Nordmann", company="Acme AS")
    ola = await add_contact(bot, SELLER, "Ola Hansen")
    per = await add_contact(bot, SELLER, "Per Berg")
    await schedule(bot, per, ReminderKind.BIRTHDAY, oslo(21, 8))
    await schedule(bot, ola, ReminderKind.FOLLOW_UP, oslo(15, 14, 30))
    await schedule(bot, kari, ReminderKind.FOLLOW_UP, oslo(13, 8))
    await schedule(bot, per, ReminderKind.BIRTHDAY_CARD, oslo(16, 8))

    status = said(await seller.send("/status"))

    assert status.text == EXPECTED[language]


@LANGUAGES
async def test_status_with_nothing_scheduled_says_how_to_get_reminders(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(SELLER, language_code=language)

    status = said(await seller.send("/status"))

    assert NOTHING[language] in status.text


@LANGUAGES
async def test_status_says_when_reminders_are_paused_and_how_to_resume(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(SELLER, language_code=language)
    await seller.send("/help")
    await run(bot, lambda s: s.execute(update(Seller).values(active=False)))

    status = said(await seller.send("/status"))

    assert (
        status.text.splitlines()[1]
        == PAUSED[language]
        + {
            "en": " Send /start to turn them back on; nothing due was lost.",
            "nb": " Send /start for å slå dem på igjen; ingenting som skulle komme, er tapt.",
        }[language]
    )
    await seller.send("/start")
    assert "⏸" not in said(await seller.send("/status")).text


async def test_status_in_quiet_hours_says_when_they_end(bot: Prospekt, clock: Clock) -> None:
    seller = bot.user(SELLER, language_code="en")
    clock.now = oslo(12, 23)

    status = said(await seller.send("/status"))

    assert "🌙 It's quiet hours now: reminders wait until 08:00." in status.text.splitlines()


async def test_status_shows_a_card_lead_of_zero_as_off(bot: Prospekt) -> None:
    seller = bot.user(SELLER, language_code="en")
    await seller.send("/help")
    await run(bot, lambda s: s.execute(update(Seller).values(birthday_lead_days=0)))

    status = said(await seller.send("/status"))

    assert "🎂 Birthday card reminders are off (you still hear on the day)." in status.text
