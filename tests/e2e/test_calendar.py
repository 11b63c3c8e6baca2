"""/calendar: an .ics file of follow-ups and birthdays that a calendar app imports again
without doubling anything."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import vobject

from tests.e2e.harness import Prospekt
from tests.factories import Person, add_people, schedule_reminder
from tests.fakeapi import PhoneUser

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


def events(seller: PhoneUser) -> dict[str, object]:
    [message] = [m for m in seller.messages if m.kind == "document"][-1:]
    assert message.file is not None and message.file.file_name == "prospekt.ics"
    calendar = vobject.readOne(message.file.data.decode())
    return {e.uid.value: (e.summary.value, e.dtstart.value) for e in calendar.vevent_list}


@pytest.mark.parametrize(
    ("language", "follow_up", "birthday"),
    [("en", "Follow up with Kari Nordmann", "🎂 Ola Hansen's birthday"),
     ("nb", "Følg opp Kari Nordmann", "🎂 Bursdagen til Ola Hansen")],
)  # fmt: skip
async def test_calendar_has_follow_ups_and_birthdays_with_stable_uids(
    bot: Prospekt, language: str, follow_up: str, birthday: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/help")
    ids = await add_people(
        bot,
        1001,
        language,
        Person("Kari Nordmann", follow_up=datetime(2026, 12, 10, 23, 30, tzinfo=UTC)),
        Person("Ola Hansen", fields={"birth_day": 14, "birth_month": 3}),
    )
    exact = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    await schedule_reminder(bot, 1001, ids["Ola Hansen"], exact, exact=True)

    await seller.send("/calendar")
    first = events(seller)
    await seller.send("/calendar")
    again = events(seller)

    assert sorted(first.values(), key=str) == sorted(
        [
            (follow_up, date(2026, 12, 11)),  # 23:30 UTC is the 11th in Oslo: a day's follow-up
            (follow_up.replace("Kari Nordmann", "Ola Hansen"), exact),
            (birthday, date(2027, 3, 14)),
        ],
        key=str,
    )
    assert again == first, "the same UIDs each time: importing again updates, never doubles"
    assert all(uid.endswith("-1001@prospekt") for uid in first)


async def test_with_only_another_sellers_follow_ups_there_is_no_calendar(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/help")
    await bot.user(2002).send("/help")
    await add_people(bot, 2002, "en", Person("Theirs", follow_up=NOW + timedelta(days=3)))

    [reply] = await seller.send("/calendar")

    assert reply.text == "You have no follow-ups or birthdays planned yet, so no calendar to send."
    assert not [m for m in seller.messages if m.kind == "document"]


async def test_without_a_webhook_there_is_no_calendar_link_to_make(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    [menu] = await seller.send("/settings")

    await seller.press_data("set:cal:new", message=menu)  # forged: no such button here

    assert "📅 Calendar link" not in menu.labels
    assert seller.last_callback_answer is not None
    assert seller.last_callback_answer.text == "That button is no longer available."
    assert bot.rows("SELECT count(*) FROM seller WHERE calendar_token IS NOT NULL") == [(0,)]
