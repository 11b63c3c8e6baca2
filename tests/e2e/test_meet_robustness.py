"""/meet when things go sideways: /cancel, a restart, an abandoned draft, bad dates and
birthdays, over-long input, and buttons that are stale or were never this seller's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries import contacts, conversations
from tests.e2e.conftest import MakeBot
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import Person, add_people, run
from tests.fakeapi import BotMessage, FakeTelegramServer, PhoneUser

PLUS = "\N{HEAVY PLUS SIGN}"  # the label prefix of "New meeting" / "New contact"

OSLO = ZoneInfo("Europe/Oslo")  # a new seller's zone until they change it
STALE = "That button is no longer available."
LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])

LABELS = {
    "en": {
        "yes": "✅ Yes",
        "no": "❌ No",
        "pick": "📅 Pick a date",
        "none": "No follow-up",
        "skip": "Skip",
        "continue": "▶️ Continue",
        "new": "🆕 New meeting",
        "notes": "📝 All notes",
    },
    "nb": {
        "yes": "✅ Ja",
        "no": "❌ Nei",
        "pick": "📅 Velg dato",
        "none": "Ingen oppfølging",
        "skip": "Hopp over",
        "continue": "▶️ Fortsett",
        "new": "🆕 Nytt møte",
        "notes": "📝 Alle notater",
    },
}
TEXTS = {
    "en": {
        "stopped": "Stopped. Everything you saved before is kept.",
        "unmatched": "No contact matches “{typed}”. /meet adds someone new; "
        "/help lists what I can do.",
        "resume": "Continue the meeting with {name}?",
        "closed": "The previous meeting is closed, and everything in it is saved.",
        "q2": "2/3 Can {name} afford it?",
        "q3": "3/3 Can {name} make the purchase decision?",
        "status": "{name}: Prospect — meets all three",
        "note_saved": "📝 Note saved on Kari Nordmann.",
        "bad_date": "I can't tell which date “{typed}” is. Try friday, 14.03 or in 2 weeks.",
        "past": "{day} has already passed. Which day should you follow up?",
        "follow": "✅ Follow-up with Kari Nordmann: {when}",
        "ask_name": "Who did you meet?",
        "parked": "The meeting with {name} is still open: just carry on typing.",
        "ask_birthday": "When is {name}'s birthday? For example 14.03 or 14 March 1985.",
        "bad_birthday": "I can't tell which day “{typed}” is. Try 14.03 or 14 March 1985, or skip.",
        "birthday": "🎂 Birthday: 29 February",
        "shortened": "✂️ That was {count} characters, more than the 128 there is room for, "
        "so I shortened it. The whole text is saved as a note.",
        "note_long": "📝 Note saved on Kari Nordmann. It is a long note (4050 characters): "
        "it is kept whole and shown in parts.",
        "notes_part": "📝 Notes about {name} ({part}/{parts})",
    },
    "nb": {
        "stopped": "Avbrutt. Alt du har lagret fra før, er tatt vare på.",
        "unmatched": "Ingen kontakter passer til «{typed}». Med /meet legger du til en ny; "
        "/help viser hva jeg kan.",
        "resume": "Fortsette møtet med {name}?",
        "closed": "Det forrige møtet er avsluttet, og alt i det er lagret.",
        "q2": "2/3 Har {name} råd?",
        "q3": "3/3 Kan {name} ta kjøpsbeslutningen?",
        "status": "{name}: Prospekt — oppfyller alle tre",
        "note_saved": "📝 Notat lagret på Kari Nordmann.",
        "bad_date": "Jeg skjønner ikke hvilken dato «{typed}» er. "
        "Prøv fredag, 14.03 eller om 2 uker.",
        "past": "{day} har allerede vært. Hvilken dag skal du følge opp?",
        "follow": "✅ Oppfølging av Kari Nordmann: {when}",
        "ask_name": "Hvem møtte du?",
        "parked": "Møtet med {name} er fortsatt åpent: bare skriv videre.",
        "ask_birthday": "Når har {name} bursdag? For eksempel 14.03 eller 14. mars 1985.",
        "bad_birthday": "Jeg skjønner ikke hvilken dag «{typed}» er. "
        "Prøv 14.03 eller 14. mars 1985, eller hopp over.",
        "birthday": "🎂 Bursdag: 29. februar",
        "shortened": "✂️ Det var {count} tegn, mer enn de 128 det er plass til, "
        "så jeg kortet det ned. Hele teksten er lagret som notat.",
        "note_long": "📝 Notat lagret på Kari Nordmann. Notatet er langt (4050 tegn): "
        "alt blir lagret, og det vises i flere deler.",
        "notes_part": "📝 Notater om {name} ({part}/{parts})",
    },
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"],
}  # fmt: skip


# --- helpers -----------------------------------------------------------------------------
def in_words(day: date, language: str) -> str:
    """ "Friday 4 December 2026" / "fredag 4. desember 2026"."""
    weekday, month = WEEKDAYS[language][day.weekday()], MONTHS[language][day.month - 1]
    dot = "." if language == "nb" else ""
    return f"{weekday} {day.day}{dot} {month} {day.year}"


def today() -> date:
    return datetime.now(UTC).astimezone(OSLO).date()


def next_occurrence(day: int, month: int) -> date:
    """The next `day`.`month`, today included."""
    this_year = date(today().year, month, day)
    return this_year if this_year >= today() else date(today().year + 1, month, day)


def contact_id(bot: Prospekt, name: str) -> int:
    [(found,)] = bot.rows("SELECT id FROM contact WHERE name = ?", name)
    return int(found)


def contact_row(bot: Prospekt, name: str) -> tuple[Any, ...]:
    [row] = bot.rows(
        "SELECT name, company, stage, market_fit, budget, authority FROM contact WHERE name = ?",
        name,
    )
    return row


def everything(bot: Prospekt) -> dict[str, list[tuple[Any, ...]]]:
    """Every CRM row, to prove that a press changed nothing."""
    tables = ["contact", "interaction", "concern", "reminder", "stage_change"]
    return {table: bot.rows(f"SELECT * FROM {table} ORDER BY id") for table in tables}  # noqa: S608


async def backdate_draft(bot: Prospekt, seller_id: int) -> None:
    """Make the open meeting look abandoned hours ago (as if the seller walked away)."""
    hours_ago = datetime.now(UTC) - timedelta(hours=5)

    async def backdate(session: AsyncSession) -> dict[str, Any]:
        state = await conversations.get_state(session, seller_id=seller_id)
        assert state is not None, "a meeting is open"
        state.data = {**state.data, "updated": hours_ago.isoformat()}
        state.updated_at = hours_ago
        return dict(state.data)

    data = await run(bot, backdate)
    assert datetime.fromisoformat(data["updated"]) < datetime.now(UTC) - timedelta(hours=4)


async def delete_contact(bot: Prospekt, owner_id: int, contact: int) -> None:
    """Remove a contact with everything about it, as the card's Delete does."""
    await run(bot, lambda s: contacts.delete_contact(s, owner_id=owner_id, contact_id=contact))
    assert bot.rows("SELECT count(*) FROM interaction WHERE contact_id = ?", contact) == [(0,)]


def pending_follow_up(bot: Prospekt, name: str) -> tuple[datetime, int] | None:
    rows = bot.rows(
        "SELECT r.due_at, r.exact_time FROM reminder r JOIN contact c ON c.id = r.contact_id "
        "WHERE c.name = ? AND r.kind = 'follow_up' AND r.status = 'pending'",
        name,
    )
    if not rows:
        return None
    [(due, exact)] = rows
    return datetime.fromisoformat(due).replace(tzinfo=UTC).astimezone(OSLO), exact


async def to_next_step(seller: PhoneUser, language: str, name: str = "Kari Nordmann") -> None:
    """A new contact, Yes to all three: the notes and follow-up step."""
    await seller.send(f"/meet {name}")
    for _ in range(3):
        await seller.press(LABELS[language]["yes"])


async def to_date_step(seller: PhoneUser, language: str) -> None:
    await to_next_step(seller, language)
    await seller.press(LABELS[language]["pick"])


async def to_card(seller: PhoneUser, language: str, name: str = "Kari Nordmann") -> str:
    await to_next_step(seller, language, name)
    await seller.press(LABELS[language]["none"])
    card = said(await seller.press(LABELS[language]["skip"]))
    return card.text


def alerted_stale(seller: PhoneUser, text: str = STALE) -> bool:
    answer = seller.last_callback_answer
    return answer is not None and answer.show_alert and answer.text == text


# --- /cancel in the middle ---------------------------------------------------------------


@LANGUAGES
async def test_cancel_mid_way_keeps_the_answers_already_given(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann, Acme AS")
    await seller.press(LABELS[language]["yes"])
    await seller.press(LABELS[language]["no"])

    stopped = said(await seller.send("/cancel"))
    pointer = said(await seller.send("Worried about the price"))

    assert stopped.text == TEXTS[language]["stopped"]
    assert pointer.text == TEXTS[language]["unmatched"].format(typed="Worried about the price"), (
        "searched, not taken as an answer or a note"
    )
    assert contact_row(bot, "Kari Nordmann") == (
        "Kari Nordmann",
        "Acme AS",
        "lead",
        "yes",
        "no",
        "unknown",
    )
    assert bot.rows("SELECT count(*) FROM interaction WHERE text IS NOT NULL") == [(0,)]
    assert bot.rows("SELECT flow FROM conversation_state") == [("kept_names",)], (
        "no conversation: only the name the search kept for its New meeting button"
    )


async def test_cancel_at_the_name_question_creates_nothing(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet")

    await seller.send("/cancel")
    pointer = said(await seller.send("Kari Nordmann"))

    assert pointer.text == TEXTS["en"]["unmatched"].format(typed="Kari Nordmann")
    assert bot.rows("SELECT count(*) FROM contact") == [(0,)]


async def test_criterion_button_pressed_after_cancel_changes_nothing(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")
    question = said(await seller.press("✅ Yes"))
    await seller.send("/cancel")
    before = everything(bot)

    assert await seller.press_data(question.callback_data["✅ Yes"], message=question) == []

    assert alerted_stale(seller)
    assert everything(bot) == before


# --- a restart in the middle -------------------------------------------------------------


async def test_a_restart_between_criteria_resumes_on_the_same_message(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="nb")
    await seller.send("/meet Kari Nordmann")
    await seller.press("✅ Ja")
    third = said(await seller.press("❌ Nei"))
    assert third.text.endswith(TEXTS["nb"]["q3"].format(name="Kari Nordmann"))

    await bot.restart()
    after = said(await seller.press("✅ Ja", message=third))

    assert after.edited and after.message_id == third.message_id
    assert after.text.startswith("Kari Nordmann: Lead — har ikke råd")
    assert "Ingen oppfølging" in after.labels
    assert contact_row(bot, "Kari Nordmann")[3:] == ("yes", "no", "yes")


async def test_a_restart_while_waiting_for_a_typed_date_loses_nothing(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await to_date_step(seller, "en")

    await bot.restart()
    saved = said(await seller.send("14.03"))

    when = next_occurrence(14, 3)
    assert saved.text.startswith(
        TEXTS["en"]["follow"].format(when=f"{in_words(when, 'en')}, 08:00")
    )
    assert pending_follow_up(bot, "Kari Nordmann") == (
        datetime(when.year, 3, 14, 8, tzinfo=OSLO),
        0,
    )


# --- an abandoned draft is offered back --------------------------------------------------


@LANGUAGES
async def test_a_new_meeting_closes_the_open_one_with_everything_saved(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann")
    await seller.press(LABELS[language]["yes"])

    replies = await seller.send("/meet")

    ask = said(replies)
    assert ask.text.startswith(TEXTS[language]["ask_name"])
    assert [reply.labels for reply in replies if reply.edited] == [[]], "old buttons removed"
    assert contact_row(bot, "Kari Nordmann")[3] == "yes", "the closed meeting's answer is kept"


@LANGUAGES
async def test_a_new_meeting_with_a_name_starts_at_once(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann")
    await seller.press(LABELS[language]["yes"])

    question = said(await seller.send("/meet Ola Hansen"))

    assert question.text.endswith(
        {"en": "1/3 Does Ola Hansen fit your target market?", "nb": "1/3 Er Ola Hansen i "
         "målgruppen din?"}[language]
    )  # fmt: skip
    assert contact_row(bot, "Kari Nordmann")[3] == "yes", "the closed meeting's answer is kept"
    assert bot.rows("SELECT name FROM contact ORDER BY id") == [("Kari Nordmann",), ("Ola Hansen",)]


async def test_any_other_command_also_closes_the_open_meeting(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")
    await seller.press("✅ Yes")

    replies = await seller.send("/today")
    after = said(await seller.send("Wants a demo"))

    assert [reply.labels for reply in replies if reply.edited] == [[]], "old buttons removed"
    assert not after.text.startswith("📝"), "a later text is no longer a note on Kari"
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'note'") == [(0,)]


async def test_a_shared_card_during_an_open_meeting_starts_its_own(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")

    question = said(await seller.share_contact("4791234567", "Ola", "Hansen"))

    assert question.text.endswith("1/3 Does Ola Hansen fit your target market?")
    assert bot.rows("SELECT phone FROM contact WHERE name = 'Ola Hansen'") == [("+4791234567",)]


async def test_continue_at_the_duplicate_choice_shows_the_choice_again(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.send("/meet Kari Nordmann")
    await seller.send("/cancel")
    choice = said(await seller.send("/meet Kari"))

    await seller.send("/meet")
    again = said(await seller.press("▶️ Continue"))

    assert again.text == choice.text == "You already have Kari Nordmann. Is it the same person?"
    assert again.labels == ["✅ Yes, same person", PLUS + " No, someone new"]


@pytest.mark.parametrize("language", ["nb"])
async def test_text_typed_to_an_abandoned_draft_is_offered_back_and_then_saved(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_next_step(seller, language)
    await backdate_draft(bot, 1001)

    offer = said(await seller.send("Wants a demo for five people"))
    assert offer.text == TEXTS[language]["resume"].format(name="Kari Nordmann")
    saved = said(await seller.press(LABELS[language]["continue"]))

    assert saved.text.startswith(TEXTS[language]["note_saved"])
    assert TEXTS[language]["status"].format(name="Kari Nordmann") in saved.text
    assert bot.rows("SELECT text FROM interaction WHERE kind = 'note'") == [
        ("Wants a demo for five people",)
    ]


@pytest.mark.parametrize("language", ["nb"])
async def test_a_date_typed_to_an_abandoned_date_question_is_used_as_the_date(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_date_step(seller, language)
    await backdate_draft(bot, 1001)

    offer = said(await seller.send("14.03"))
    assert offer.text == TEXTS[language]["resume"].format(name="Kari Nordmann")
    saved = said(await seller.press(LABELS[language]["continue"]))

    when = next_occurrence(14, 3)
    expected = TEXTS[language]["follow"].format(when=f"{in_words(when, language)}, 08:00")
    assert saved.text.startswith(expected), seller.transcript()
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'note'") == [(0,)]
    assert pending_follow_up(bot, "Kari Nordmann") is not None


async def test_typing_twice_to_an_abandoned_draft_loses_neither_text(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await to_next_step(seller, "en")
    await backdate_draft(bot, 1001)

    await seller.send("Wants a demo")
    await seller.send("Budget is approved for Q1")
    await seller.press("▶️ Continue")

    notes = bot.rows("SELECT text FROM interaction WHERE kind = 'note' ORDER BY id")
    assert notes == [("Wants a demo",), ("Budget is approved for Q1",)], seller.transcript()


# --- bad dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "nonsense", "yesterday"),
    [("en", "banana", "yesterday"), ("nb", "tull", "i går")],
)
async def test_unreadable_and_past_dates_are_re_asked_kindly(
    bot: Prospekt, language: str, nonsense: str, yesterday: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_date_step(seller, language)
    texts = TEXTS[language]

    unreadable = said(await seller.send(nonsense))
    passed = said(await seller.send(yesterday))
    long_ago = said(await seller.send("01.01.2020"))

    assert unreadable.text == texts["bad_date"].format(typed=nonsense)
    day = in_words(today() - timedelta(days=1), language)
    assert passed.text == texts["past"].format(day=day[0].upper() + day[1:])
    old = in_words(date(2020, 1, 1), language)
    assert long_ago.text == texts["past"].format(day=old[0].upper() + old[1:])
    assert pending_follow_up(bot, "Kari Nordmann") is None
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'note'") == [(0,)]
    saved = said(await seller.send("14.03"))
    assert saved.text.startswith(texts["follow"].split("{")[0]), "still waiting for the date"


@pytest.mark.parametrize(
    ("language", "typed", "days", "hour"),
    [
        ("nb", "i morgen kl 9", 1, 9),
        ("nb", "om 2 uker", 14, 8),
        ("en", "tomorrow at 9", 1, 9),
    ],
)
async def test_a_typed_date_is_echoed_in_words_with_its_time(
    bot: Prospekt, language: str, typed: str, days: int, hour: int
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_date_step(seller, language)

    saved = said(await seller.send(typed))

    day = today() + timedelta(days=days)
    expected = TEXTS[language]["follow"].format(when=f"{in_words(day, language)}, {hour:02}:00")
    assert saved.text.startswith(expected)
    assert TEXTS[language]["ask_birthday"].format(name="Kari Nordmann") in saved.text
    assert pending_follow_up(bot, "Kari Nordmann") == (
        datetime(day.year, day.month, day.day, hour, tzinfo=OSLO),
        int(hour != 8),
    )


@pytest.mark.parametrize(("language", "typed"), [("nb", "14. mars")])
async def test_a_day_without_a_time_lands_at_the_digest_hour(
    bot: Prospekt, language: str, typed: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_date_step(seller, language)

    saved = said(await seller.send(typed))

    when = next_occurrence(14, 3)
    expected = TEXTS[language]["follow"].format(when=f"{in_words(when, language)}, 08:00")
    assert saved.text.startswith(expected)


# --- bad birthdays -----------------------------------------------------------------------


@LANGUAGES
async def test_an_impossible_birthday_is_re_asked_and_29_february_is_kept(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_next_step(seller, language)
    ask = said(await seller.press(LABELS[language]["none"]))
    assert ask.text == TEXTS[language]["ask_birthday"].format(name="Kari Nordmann")

    again = said(await seller.send("31.02"))
    card = said(await seller.send("29.02"))

    assert again.text == TEXTS[language]["bad_birthday"].format(typed="31.02")
    assert TEXTS[language]["birthday"] in card.text.splitlines()
    assert bot.rows("SELECT birth_day, birth_month, birth_year FROM contact") == [(29, 2, None)]


# --- over-long input ---------------------------------------------------------------------


@LANGUAGES
async def test_a_name_or_company_over_128_characters_is_shortened_and_kept_whole_as_a_note(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    name = "Kari " + "Nordmann-Ødegård " * 8  # 141 characters
    company = "Åsgårdstrand " * 10 + "AS"  # 132

    await seller.send("/meet")
    replies = [m.text for m in await seller.send(f"{name}, {company}") if not m.edited]

    ((short_name, short_company),) = bot.rows("SELECT name, company FROM contact")
    for whole, short in ((name, short_name), (company, short_company)):
        assert short.endswith("…") and len(short) <= 128
        assert whole.startswith(short.removesuffix("…") + " "), "cut between words"
    assert replies[:2] == [
        TEXTS[language]["shortened"].format(count=len(name.strip())),
        TEXTS[language]["shortened"].format(count=len(company)),
    ]
    assert replies[2].endswith({"en": " fit your target market?",
                                "nb": " i målgruppen din?"}[language])  # fmt: skip
    notes = bot.rows("SELECT text FROM interaction WHERE kind = 'note' ORDER BY id")
    assert notes == [(name.strip(),), (company,)], "nothing typed is lost"


@LANGUAGES
async def test_a_forwarded_sender_with_a_129_character_name_is_recorded(
    bot: Prospekt, language: str
) -> None:
    """Telegram allows 64 + 64 characters for a first and last name, one more than fits."""
    seller = bot.user(1001, language_code=language)
    first, last = "Å" * 64, "Ø" * 64

    replies = await seller.forward_from("Ring meg", first_name=first, last_name=last)

    texts = [m.text for m in replies if not m.edited]
    assert texts[0] == TEXTS[language]["shortened"].format(count=129)
    assert "Ring meg" not in texts[0]
    assert bot.rows("SELECT name, source FROM contact") == [(f"{first}…", "forward")]
    assert bot.rows("SELECT kind, text FROM interaction ORDER BY id") == [
        ("meeting", None),
        ("message", "Ring meg"),
        ("note", f"{first} {last}"),
    ]


def long_note() -> str:
    """4050 characters that need escaping and have no natural break in the middle."""
    words = 'Price <b>list</b> & "terms" for 5 people, a demo next week; '
    text = (words * 80)[:4040]
    return text + " END-OF-NOTE"[: 4050 - len(text)]


@LANGUAGES
async def test_a_note_over_4000_characters_is_kept_whole_and_shown_in_parts(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    note = long_note()
    assert len(note) == 4050
    await to_next_step(seller, language)

    saved = said(await seller.send(note))
    await seller.press(LABELS[language]["none"])
    card = said(await seller.press(LABELS[language]["skip"]))
    parts = await seller.press(LABELS[language]["notes"], message=card)

    assert saved.text.startswith(TEXTS[language]["note_long"])
    assert bot.rows("SELECT length(text), text FROM interaction WHERE kind = 'note'") == [
        (4050, note)
    ]
    assert len(card.text) < 4096
    assert len(parts) >= 2
    bodies = []
    for number, part in enumerate(parts, start=1):
        header, _, body = part.text.partition("\n")
        assert header == TEXTS[language]["notes_part"].format(
            name="Kari Nordmann", part=number, parts=len(parts)
        )
        bodies.append(body)
    assert " ".join(bodies).split() == note.split(), "every word, in order, as typed"


@pytest.mark.parametrize(
    "notes", [["🙂" * 1800, "👍" * 1800], ["🙂" * 2040]], ids=["two-notes", "one-note"]
)
async def test_emoji_heavy_notes_are_shown_within_telegrams_limit(
    make_bot: MakeBot, telegram: FakeTelegramServer, notes: list[str]
) -> None:
    """Telegram counts UTF-16 units, and an emoji is two: each note here is one message a
    seller can send (at most 4096 units), so "All notes" must be able to show it."""
    bot = await make_bot()
    seller = bot.user(1001, language_code="en")
    await to_next_step(seller, "en")
    for note in notes:
        await seller.send(note)
    await seller.press("No follow-up")
    card = said(await seller.press("Skip"))

    parts = await seller.press("📝 All notes", message=card)

    telegram.assert_no_errors()
    bodies = [part.text.partition("\n")[2] for part in parts]
    # A note with no spaces is cut mid-run: compare the characters, not the words.
    assert "".join("".join(bodies).split()) == "".join(notes)


async def test_many_long_open_concerns_still_give_a_summary_card(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot()
    seller = bot.user(1001, language_code="en")
    await to_next_step(seller, "en")
    for number in range(16):
        await seller.send(f"?Concern {number}: " + "what about delivery times " * 16)
    await seller.press("No follow-up")

    replies = await seller.press("Skip")

    telegram.assert_no_errors()
    assert replies and replies[-1].text.startswith("Kari Nordmann")
    assert "✅ Done" in replies[-1].labels


# --- stale buttons -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb"])
async def test_a_summary_button_after_the_contact_was_deleted_only_says_no_longer_available(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    await to_card(seller, language)
    card = seller.last_message
    assert card is not None
    await delete_contact(bot, 1001, contact_id(bot, "Kari Nordmann"))
    stale = {"en": STALE, "nb": "Den knappen er ikke lenger tilgjengelig."}[language]

    for label in card.labels:
        assert await seller.press(label, message=card) == [], label
        assert alerted_stale(seller, stale), label

    assert bot.rows("SELECT count(*) FROM conversation_state") == [(0,)]
    assert bot.rows("SELECT count(*) FROM contact") == [(0,)]


async def test_another_sellers_replayed_buttons_show_and_change_nothing(bot: Prospekt) -> None:
    first = bot.user(1001, language_code="en")
    await to_next_step(first, "en")
    await first.send("Wants a demo")
    await first.press("No follow-up")
    await first.press("Skip")
    kari = contact_id(bot, "Kari Nordmann")
    [(note,)] = bot.rows("SELECT id FROM interaction WHERE kind = 'note'")
    second = bot.user(1002, language_code="en")
    await second.send("/meet Ola Hansen")
    ola = contact_id(bot, "Ola Hansen")
    before = everything(bot)
    replayed = [
        f"m:e:{kari}:name",
        f"m:e:{kari}:notes",
        f"m:e:{kari}:crit",
        f"m:e:{kari}:follow",
        f"m:e:{kari}:bday",
        f"m:e:{kari}:company",
        f"m:a:{kari}:m:y",
        f"m:a:{kari}:m:n",
        f"m:dup:{kari}",
        f"m:start:{kari}",
        f"m:done:{kari}",
        f"m:keep:{kari}",
        f"m:chg:{kari}",
        f"m:o:{kari}:b",
        f"m:p:{kari}:n",
        f"m:how:{kari}",
        f"m:f:{kari}:1w",
        f"m:f:{kari}:none",
        f"m:b:{kari}:skip",
        f"m:co:{kari}:skip",
        f"m:back:{kari}",
        f"m:res:{kari}:c",
        f"m:q:{kari}:{note}",
        f"m:q:{ola}:{note}",
    ]

    for data in replayed:
        assert await second.press_data(data) == [], data
        assert alerted_stale(second), data

    assert "Kari" not in second.transcript()
    assert "demo" not in second.transcript()
    assert everything(bot) == before
    next_question = said(await second.press("✅ Yes"))
    assert next_question.text.endswith("2/3 Can Ola Hansen afford it?"), "own meeting goes on"


async def test_an_old_criterion_button_after_the_conversation_moved_on_changes_nothing(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    question = said(await seller.send("/meet Kari Nordmann"))
    await seller.press("✅ Yes")
    kari = contact_id(bot, "Kari Nordmann")
    before = everything(bot)

    assert await seller.press_data(f"m:a:{kari}:m:n", message=question) == []
    assert alerted_stale(seller)
    assert await seller.press_data(f"m:a:{kari}:a:n", message=question) == []
    assert alerted_stale(seller)

    assert everything(bot) == before
    third = said(await seller.press("✅ Yes"))
    assert third.text.endswith("3/3 Can Kari Nordmann make the purchase decision?")


async def test_buttons_of_a_closed_draft_do_not_touch_the_new_meeting(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    old = said(await seller.send("/meet Kari Nordmann"))
    await seller.send("/meet Ola Hansen")
    before = everything(bot)

    assert await seller.press_data(old.callback_data["❌ No"], message=old) == []

    assert alerted_stale(seller)
    assert everything(bot) == before
    second = said(await seller.press("✅ Yes"))
    assert second.text.endswith("2/3 Can Ola Hansen afford it?")


async def test_a_forged_concern_button_cannot_delete_or_move_interactions(bot: Prospekt) -> None:
    """ "Make that a concern" names a note; pointing it at the meeting log or at another
    contact's note must change nothing."""
    seller = bot.user(1001, language_code="en")
    await to_next_step(seller, "en", "Kari Nordmann")
    await seller.send("Kari's own note")
    await seller.send("/cancel")
    await seller.send("/meet Ola Hansen")
    kari, ola = contact_id(bot, "Kari Nordmann"), contact_id(bot, "Ola Hansen")
    [(meeting,)] = bot.rows(
        "SELECT id FROM interaction WHERE kind = 'meeting' AND contact_id = ?", kari
    )
    [(note,)] = bot.rows("SELECT id FROM interaction WHERE kind = 'note'")
    before = everything(bot)

    await seller.press_data(f"m:q:{kari}:{meeting}")
    assert alerted_stale(seller)
    assert everything(bot) == before, "the meeting log must not go behind a stale alert"
    await seller.press_data(f"m:q:{ola}:{note}")
    assert alerted_stale(seller), "Kari's note is not Ola's to turn into a concern"
    assert everything(bot) == before


async def test_editing_an_old_card_mid_meeting_does_not_lose_that_meeting(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await to_card(seller, "en", "Kari Nordmann")
    card = seller.last_message
    assert card is not None
    await seller.send("/meet Ola Hansen")
    await seller.press("✅ Yes")

    await seller.press_data(card.callback_data["✏️ Name"], message=card)
    renamed = said(await seller.send("Kari Nordmann-Berg"))
    assert renamed.text.endswith(TEXTS["en"]["parked"].format(name="Ola Hansen"))
    question = said(await seller.send("yes"))

    assert question.text.endswith("3/3 Can Ola Hansen make the purchase decision?")
    assert contact_row(bot, "Ola Hansen")[3:5] == ("yes", "yes")


@LANGUAGES
async def test_a_double_tap_on_a_criterion_answers_one_question(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)
    question = said(await seller.send("/meet Kari Nordmann"))
    yes = question.callback_data[LABELS[language]["yes"]]

    await seller.press_data(yes, message=question)
    await seller.press_data(yes, message=question)  # the same tap, a moment later

    assert contact_row(bot, "Kari Nordmann")[3:6] == ("yes", "unknown", "unknown")
    assert seller.messages[-1].text.endswith(TEXTS[language]["q2"].format(name="Kari Nordmann"))
    assert not any(word in m.text for m in seller.messages for word in ("wrong", "galt"))


async def test_a_quick_double_tap_on_done_is_no_error(
    make_bot: MakeBot, telegram: FakeTelegramServer
) -> None:
    bot = await make_bot()
    seller = bot.user(1001, language_code="en")
    await to_card(seller, "en")
    card = seller.last_message
    assert card is not None
    done = card.callback_data["✅ Done"]

    first = await seller.press_data(done, message=card)
    second = await seller.press_data(done, message=card)  # the same tap, a moment later

    assert [message.labels for message in first] == [[]]
    assert all(message.edited for message in second), "no apology, no new message"
    assert not any("went wrong" in message.text for message in seller.messages)


async def park_ola_behind_karis_name_edit(
    bot: Prospekt, seller: PhoneUser
) -> tuple[BotMessage, int]:
    """Kari met earlier, her card opened from /contacts; a meeting with Ola, one answer in;
    then ✏️ Name on Kari's meeting card, which parks Ola's meeting. Returns Kari's contacts
    card (it has 🗑 Delete) and Ola's id."""
    await to_card(seller, "en", "Kari Nordmann")
    meeting_card = seller.last_message
    assert meeting_card is not None
    await seller.send("/contacts")
    [(kari,)] = bot.rows("SELECT id FROM contact WHERE name = 'Kari Nordmann'")
    contacts_card = said(await seller.press_data(f"c:{kari}"))
    await seller.send("/meet Ola Hansen")
    await seller.press("✅ Yes")
    await seller.press_data(meeting_card.callback_data["✏️ Name"], message=meeting_card)
    [(ola,)] = bot.rows("SELECT id FROM contact WHERE name = 'Ola Hansen'")
    return contacts_card, ola


async def delete_from_card(seller: PhoneUser, card: BotMessage) -> None:
    await seller.press_data(card.callback_data["🗑 Delete"], message=card)
    await seller.press("🗑 Yes, delete", message=card)


async def test_deleting_the_edited_card_resumes_the_parked_meeting_with_nothing_lost(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    kari_card, _ = await park_ola_behind_karis_name_edit(bot, seller)

    await delete_from_card(seller, kari_card)
    question = said(await seller.send("yes"))

    assert question.text.endswith(TEXTS["en"]["q3"].format(name="Ola Hansen"))
    assert contact_row(bot, "Ola Hansen")[3:5] == ("yes", "yes")
    assert bot.rows("SELECT name FROM contact") == [("Ola Hansen",)]
    assert not any("went wrong" in message.text for message in seller.messages)


async def test_deleting_the_parked_meetings_contact_drops_it_and_the_edit_still_lands(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    kari_card, ola = await park_ola_behind_karis_name_edit(bot, seller)
    ola_card = said(await seller.press_data(f"c:{ola}", message=kari_card))
    await delete_from_card(seller, ola_card)

    renamed = said(await seller.send("Kari Nordmann-Berg"))
    after = said(await seller.send("Met her at the fair, wants a demo"))

    assert "Ola Hansen" not in renamed.text, "no offer to go on with a deleted contact"
    assert bot.rows("SELECT name FROM contact") == [("Kari Nordmann-Berg",)]
    assert after.text, "what is typed next is answered"
    assert not any("went wrong" in message.text for message in seller.messages)


@LANGUAGES
async def test_nul_and_lone_surrogates_are_dropped_and_the_rest_is_kept(
    bot: Prospekt, language: str
) -> None:
    """Neither database can store them, nor can Python hash them; a phone can still send them
    (JSON escapes them as \\u0000 and \\ud800)."""
    seller = bot.user(1001, language_code=language)
    found = said(await seller.send("Åse\ud800 Ødegård\x00"))
    await seller.send("/meet Åse\udfff Øde\x00gård, Bæ\ud800 AS")

    assert "Åse Ødegård" in found.text, "the search read what is left"
    assert bot.rows("SELECT name, company FROM contact") == [("Åse Ødegård", "Bæ AS")]
    assert not any("\ufffd" in m.text or "went wrong" in m.text for m in seller.messages)


@LANGUAGES
async def test_a_nul_typed_to_a_seller_with_notes_is_dropped_from_the_search(
    bot: Prospekt, language: str
) -> None:
    """The search also looks through the notes, with what was typed as a parameter, which
    PostgreSQL refuses when it holds a NUL."""
    note = ("ringte om lisenser", datetime(2026, 11, 2, 9, tzinfo=UTC))
    await add_people(bot, 1001, language, Person("Åse Ødegård", notes=[note]))
    seller = bot.user(1001, language_code=language)

    found = said(await seller.send("Øde\x00gård"))

    assert found.text.splitlines()[0] == "Åse Ødegård", "the search read what is left"
