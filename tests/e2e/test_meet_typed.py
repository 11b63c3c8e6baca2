"""A capture typed the way a hurried seller types: answers, dates, "ja", "hopp over", æøå.

The bot runs on a fixed clock: Wednesday 2 December 2026, noon in Oslo, so "next friday" is
11 December and "1.12" is a day just gone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.queries import sellers
from tests.e2e.clock import Clock
from tests.e2e.harness import Prospekt
from tests.e2e.reading import said
from tests.factories import run
from tests.fakeapi import BotMessage, PhoneUser

NOW = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 12:00 in Oslo
W = {
    "en": {
        "yes": "✅ Yes",
        "no": "❌ No",
        "q1": "1/3 Does {name} fit your target market?",
        "q2": "2/3 Can {name} afford it?",
        "q3": "3/3 Can {name} make the purchase decision?",
        "note_saved": "📝 Note saved on {name}.",
        "concern_saved": "❓ Open question saved on {name}.",
        "follow_set": "✅ Follow-up with {name}: {when}",
        "friday_10": "Friday 11 December 2026, 10:00",
        "next_friday_10am": "next friday 10am",
        "ask_birthday": "When is {name}'s birthday?",
        "skip": "skip",
        "card_follow": "⏰ Next follow-up: {when}",
        "not_ready": "not ready",
        "ask_not_ready": "Not ready yet: when will you follow up?",
        "in_3_weeks": "in 3 weeks",
        "date_in_note": (
            "Is that when to follow up with {name}? What you typed is saved as a note either way."
        ),
        "follow_on": "📅 Follow-up on {when}",
        "just_note": "📝 Just the note",
        "date_in_question": "Is that when to follow up with {name}? What you typed is saved as"
        " an open question either way.",
        "passed": "1 December has passed. Did you mean {when}? Or type another date.",
        "weekend": "⚠️ Sunday 6 December is on a weekend.",
        "move": "➡️ Move to Monday 7 December",
        "holiday": "⚠️ Friday 25 December is a public holiday: Christmas Day.",
        "pick": "📅 Pick a date",
        "same": "You already have {who}. Is it the same person?",
        "yes_same": "✅ Yes, same person",
        "no_letters": "“12345” has no letters in it. Who did you meet?",
        "ask_at": "Who at Acme AS did you meet? Type the name.",
    },
    "nb": {
        "yes": "✅ Ja",
        "no": "❌ Nei",
        "q1": "1/3 Er {name} i målgruppen din?",
        "q2": "2/3 Har {name} råd?",
        "q3": "3/3 Kan {name} ta kjøpsbeslutningen?",
        "note_saved": "📝 Notat lagret på {name}.",
        "concern_saved": "❓ Åpent spørsmål lagret på {name}.",
        "follow_set": "✅ Oppfølging av {name}: {when}",
        "friday_10": "fredag 11. desember 2026, 10:00",
        "next_friday_10am": "neste fredag kl 10",
        "ask_birthday": "Når har {name} bursdag?",
        "skip": "hopp over",
        "card_follow": "⏰ Neste oppfølging: {when}",
        "not_ready": "ikke klar",
        "ask_not_ready": "Ikke klar ennå: når skal du følge opp?",
        "in_3_weeks": "om 3 uker",
        "date_in_note": (
            "Er det da du skal følge opp {name}? Det du skrev lagres som notat uansett."
        ),
        "follow_on": "📅 Oppfølging {when}",
        "just_note": "📝 Bare notatet",
        "date_in_question": "Er det da du skal følge opp {name}? Det du skrev lagres som åpent"
        " spørsmål uansett.",
        "passed": "1. desember har allerede vært. Mente du {when}? Eller skriv en annen dato.",
        "weekend": "⚠️ søndag 6. desember er i helgen.",
        "move": "➡️ Flytt til mandag 7. desember",
        "holiday": "⚠️ fredag 25. desember er en helligdag: Første juledag.",
        "pick": "📅 Velg dato",
        "same": "Du har allerede {who}. Er det samme person?",
        "yes_same": "✅ Ja, samme person",
        "no_letters": "«12345» har ingen bokstaver. Hvem møtte du?",
        "ask_at": "Hvem hos Acme AS møtte du? Skriv navnet.",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "nb"])
ASE = "Åse Kjærstad-Øvrebø"
DEMO = {
    "en": "wants a demo for the team, call her next friday at 10",
    "nb": "vil ha demo for teamet, ring henne neste fredag kl 10",
}  # a note that names a day


@pytest.fixture
def now() -> datetime:
    return NOW


def notes(bot: Prospekt) -> list[str]:
    return [text for (text,) in bot.rows("SELECT text FROM interaction WHERE kind = 'note'")]


def follow_ups(bot: Prospekt) -> list[tuple[str, int]]:
    """Pending follow-ups as (UTC instant as stored, exact time?)."""
    return bot.rows(
        "SELECT due_at, exact_time FROM reminder WHERE kind = 'follow_up' AND status = 'pending'"
    )


async def three_yes(seller: PhoneUser, language: str) -> BotMessage:
    for _ in range(3):
        [last] = await seller.press(W[language]["yes"])
    return last


async def at_follow_up(bot: Prospekt, language: str, name: str = "Kari Nordmann") -> PhoneUser:
    """A seller of `language` at the follow-up question of a meeting with `name`."""
    seller = bot.user(1001, language_code=language)
    await seller.send(f"/meet {name}")
    await three_yes(seller, language)
    return seller


# --- a whole capture, typed ----------------------------------------------------------------


@LANGUAGES
async def test_a_hurried_seller_types_the_whole_capture(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = bot.user(1001, language_code=language)

    await seller.send(f"/meet {ASE}, Bøker & Blomster AS")
    await three_yes(seller, language)
    saved = said(await seller.send("Vil ha demo for 5 personer"))
    dated = said(await seller.send(w["next_friday_10am"]))
    card = said(await seller.send(w["skip"]))

    assert saved.text.startswith(w["note_saved"].format(name=ASE))
    assert dated.text.startswith(w["follow_set"].format(name=ASE, when=w["friday_10"]))
    assert w["ask_birthday"].format(name=ASE) in dated.text
    assert card.text.splitlines()[0] == f"{ASE} · Bøker & Blomster AS"
    assert w["card_follow"].format(when=w["friday_10"]) in card.text.splitlines()
    assert notes(bot) == ["Vil ha demo for 5 personer"], "no stray note from the date or skip"
    assert follow_ups(bot) == [("2026-12-11 09:00:00.000000", 1)]
    assert len(seller.messages) == 4, "a new message per typed text, the taps edit"


@LANGUAGES
async def test_a_typed_question_becomes_an_open_concern(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann, Acme AS")
    await three_yes(seller, language)

    concern = said(await seller.send("?Er prisen inkl. opplæring"))
    await seller.send(w["next_friday_10am"])
    card = said(await seller.send(w["skip"]))

    assert concern.text.startswith(w["concern_saved"].format(name="Kari Nordmann"))
    assert "• Er prisen inkl. opplæring" in card.text.splitlines()
    assert bot.rows("SELECT text, status FROM concern") == [("Er prisen inkl. opplæring", "open")]
    assert notes(bot) == []


@pytest.mark.parametrize(
    ("language", "answers", "stored"),
    [
        ("en", ["yes", "No!", "not sure"], ("yes", "no", "unknown")),
        ("en", ["y", "👍", "n"], ("yes", "yes", "no")),
        ("nb", ["ja", "Nei", "vet ikke"], ("yes", "no", "unknown")),
        ("nb", ["j", "hopp over", "👎"], ("yes", "unknown", "no")),
    ],
)
async def test_criteria_answered_by_typing(
    bot: Prospekt, language: str, answers: list[str], stored: tuple[str, str, str]
) -> None:
    seller = bot.user(1001, language_code=language)
    await seller.send("/meet Kari Nordmann")

    replies = [said(await seller.send(answer)) for answer in answers]

    assert replies[0].text.endswith(W[language]["q2"].format(name="Kari Nordmann"))
    assert replies[1].text.endswith(W[language]["q3"].format(name="Kari Nordmann"))
    assert bot.rows("SELECT market_fit, budget, authority FROM contact") == [stored]
    assert notes(bot) == []


@LANGUAGES
async def test_how_it_went_typed_on_the_follow_up_screen(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)

    asked = said(await seller.send(w["not_ready"]))
    dated = said(await seller.send(w["in_3_weeks"]))

    assert asked.text.endswith(w["ask_not_ready"])
    assert dated.text.startswith(w["follow_set"].format(name="Kari Nordmann", when=""))
    assert bot.rows("SELECT outcome FROM contact") == [("not_ready",)]
    assert follow_ups(bot) == [("2026-12-23 07:00:00.000000", 0)]
    assert notes(bot) == []


# --- a text that may be a date or a note -------------------------------------------------


@LANGUAGES
async def test_a_note_that_names_a_day_is_asked_about_once(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)
    text = {"en": "call her next friday at 10", "nb": "ring henne neste fredag kl 10"}[language]

    question = said(await seller.send(text))
    as_note = said(await seller.press(w["just_note"]))

    assert question.text == w["date_in_note"].format(name="Kari Nordmann")
    assert question.labels == [w["follow_on"].format(when=w["friday_10"]), w["just_note"]]
    assert as_note.text.startswith(w["note_saved"].format(name="Kari Nordmann"))
    assert notes(bot) == [text]
    assert follow_ups(bot) == []


@LANGUAGES
async def test_taking_the_date_keeps_the_text_as_a_note_too(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language, ASE)
    text = DEMO[language]

    await seller.send(text)
    dated = said(await seller.press(w["follow_on"].format(when=w["friday_10"])))

    assert dated.text.splitlines()[:2] == [
        w["note_saved"].format(name=ASE),
        w["follow_set"].format(name=ASE, when=w["friday_10"]),
    ]
    assert follow_ups(bot) == [("2026-12-11 09:00:00.000000", 1)]
    assert notes(bot) == [text], "the demo the seller typed is not lost with the date taken"


@LANGUAGES
async def test_an_open_question_that_names_a_day_stays_an_open_question(
    bot: Prospekt, language: str
) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language, ASE)
    text = {"en": "worried about the price, call her next friday at 10",
            "nb": "redd for prisen, ring henne neste fredag kl 10"}[language]  # fmt: skip

    question = said(await seller.send(f"?{text}"))
    dated = said(await seller.press(w["follow_on"].format(when=w["friday_10"])))

    assert question.text == w["date_in_question"].format(name=ASE)
    assert dated.text.startswith(w["concern_saved"].format(name=ASE))
    assert bot.rows("SELECT text, status FROM concern") == [(text, "open")]
    assert notes(bot) == []


@LANGUAGES
async def test_a_date_typed_past_the_question_keeps_the_text_as_a_note(
    bot: Prospekt, language: str
) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language, ASE)
    text = DEMO[language]

    question = said(await seller.send(text))
    dated = said(await seller.send(w["in_3_weeks"]))

    assert question.text == w["date_in_note"].format(name=ASE)
    assert dated.text.startswith(w["note_saved"].format(name=ASE))
    assert w["follow_set"].format(name=ASE, when="") in dated.text
    assert notes(bot) == [text]  # the seller went on: what they typed was a note
    assert len(follow_ups(bot)) == 1


@LANGUAGES
@pytest.mark.parametrize("typed", ["yes", "no"])
async def test_yes_or_no_typed_to_is_that_when_answers_it(
    bot: Prospekt, language: str, typed: str
) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language, ASE)
    said(await seller.send(DEMO[language]))

    answered = said(await seller.send({"yes": w["yes"], "no": w["no"]}[typed][2:]))

    assert answered.text.startswith(w["note_saved"].format(name=ASE))
    assert notes(bot) == [DEMO[language]], f"{typed!r} answered the question, it is no note"
    if typed == "yes":
        assert w["follow_set"].format(name=ASE, when=w["friday_10"]) in answered.text
        assert follow_ups(bot) == [("2026-12-11 09:00:00.000000", 1)]
    else:
        assert follow_ups(bot) == [], "no: the note only, and the follow-up still to set"
        assert w["pick"] in answered.labels


# --- days gone, weekends and holidays ------------------------------------------------------


@LANGUAGES
async def test_a_day_just_gone_is_offered_next_year(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)

    question = said(await seller.send("1.12"))
    when = {"en": "Wednesday 1 December 2027, 08:00", "nb": "onsdag 1. desember 2027, 08:00"}
    assert question.text == w["passed"].format(when=when[language])
    assert follow_ups(bot) == [], "nothing saved before the seller says which"
    dated = said(await seller.press(w["follow_on"].format(when=when[language])))

    assert dated.text.startswith(w["follow_set"].format(name="Kari Nordmann", when=when[language]))
    assert follow_ups(bot) == [("2027-12-01 07:00:00.000000", 0)]


@LANGUAGES
async def test_a_sunday_is_flagged_with_a_one_tap_move(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)

    flagged = said(await seller.send("6.12"))
    assert w["weekend"] in flagged.text.splitlines()
    assert follow_ups(bot) == [("2026-12-06 07:00:00.000000", 0)], "accepted as typed"
    moved = said(await seller.press(w["move"]))

    assert follow_ups(bot) == [("2026-12-07 07:00:00.000000", 0)]
    assert w["move"] not in moved.labels


@LANGUAGES
async def test_christmas_day_is_flagged_as_a_public_holiday(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)

    flagged = said(await seller.send("25.12"))

    assert w["holiday"] in flagged.text.splitlines()
    assert any(label.startswith("➡️") for label in flagged.labels)


# --- the calendar --------------------------------------------------------------------------


@LANGUAGES
async def test_the_calendar_picks_a_day_in_the_next_month(bot: Prospekt, language: str) -> None:
    w = W[language]
    seller = await at_follow_up(bot, language)

    calendar = said(await seller.press(w["pick"]))
    month = {"en": "December 2026", "nb": "desember 2026"}[language]
    assert calendar.labels[0] == month
    assert "1" not in calendar.labels and "·" in calendar.labels, "days gone cannot be picked"
    following = said(await seller.press(next(x for x in calendar.labels if x.endswith("›"))))
    assert following.labels[0] == {"en": "January 2027", "nb": "januar 2027"}[language]
    dated = said(await seller.press("12", message=following))

    assert dated.text.startswith(w["follow_set"].format(name="Kari Nordmann", when=""))
    assert follow_ups(bot) == [("2027-01-12 07:00:00.000000", 0)]


# --- who it is -------------------------------------------------------------------------------


async def existing(seller: PhoneUser, name: str) -> None:
    await seller.send(f"/meet {name}")
    await seller.send("/cancel")


@LANGUAGES
async def test_a_name_typed_without_norwegian_letters_finds_her(
    bot: Prospekt, language: str
) -> None:
    w = W[language]
    seller = bot.user(1001, language_code=language)
    await existing(seller, f"{ASE}, Bøker & Blomster AS")

    offer = said(await seller.send("/meet ase kjaerstad"))
    question = said(await seller.press(w["yes_same"]))

    assert offer.text == w["same"].format(who=f"{ASE} · Bøker & Blomster AS")
    assert question.text.endswith(w["q1"].format(name=ASE))
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]


async def test_typed_yes_takes_the_offered_contact(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="nb")
    await existing(seller, f"{ASE}, Bøker & Blomster AS")

    await seller.send("/meet ase kjærstad")
    question = said(await seller.send("ja"))

    assert question.text.endswith(W["nb"]["q1"].format(name=ASE))
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]


SIMILAR = {
    "en": "You already have contacts like “{name}”. Is it one of them?",
    "nb": "Du har allerede kontakter som ligner på «{name}». Er det en av disse?",
}


@LANGUAGES
async def test_typed_yes_to_one_look_alike_takes_it_and_no_makes_a_new_contact(
    bot: Prospekt, language: str
) -> None:
    w = W[language]
    seller = bot.user(1001, language_code=language)
    await existing(seller, "Åse Ødegård 1")

    asked = said(await seller.send("/meet Åse Ødegård 2"))
    took = said(await seller.send(w["yes"].split()[-1].lower()))
    await seller.send("/cancel")
    said(await seller.send("/meet Åse Ødegård 3"))
    made = said(await seller.send({"en": "no", "nb": "nei"}[language]))

    assert asked.text == SIMILAR[language].format(name="Åse Ødegård 2")
    assert took.text.endswith(w["q1"].format(name="Åse Ødegård 1")), "not a contact named yes"
    assert made.text.endswith(w["q1"].format(name="Åse Ødegård 3"))
    assert bot.rows("SELECT name FROM contact ORDER BY id") == [
        ("Åse Ødegård 1",),
        ("Åse Ødegård 3",),
    ]


async def test_a_second_forward_from_the_same_person_is_matched_by_their_id(
    bot: Prospekt,
) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.forward_from("Hi!", first_name="Ola", last_name="Hansen", user_id=777)
    await seller.send("/cancel")

    offer = said(await seller.forward_from("Price?", first_name="O.", user_id=777))

    assert offer.text == W["en"]["same"].format(who="Ola Hansen")
    await seller.press(W["en"]["yes_same"])
    assert bot.rows("SELECT telegram_user_id FROM contact") == [(777,)]
    messages = bot.rows("SELECT text FROM interaction WHERE kind = 'message' ORDER BY id")
    assert messages == [("Hi!",), ("Price?",)]


async def test_a_shared_contact_is_matched_by_phone(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.share_contact("+47 912 34 567", "Kari", "Nordmann")
    await seller.send("/cancel")

    offer = said(await seller.share_contact("91234567", "K.", "N."))

    assert offer.text == W["en"]["same"].format(who="Kari Nordmann")


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nordmann;Kari;;;\r\nFN:Kari Nordmann\r\n"
    "ORG:Acme AS;Salg\r\nTEL;TYPE=CELL:+47 912 34 567\r\nEMAIL;TYPE=WORK:kari@acme.no\r\n"
    "END:VCARD\r\n"
)


async def test_a_shared_contact_keeps_its_company_and_e_mail(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")

    question = said(await seller.share_contact("+4791234567", "Kari", "Nordmann", vcard=VCARD))

    assert question.text.endswith(W["en"]["q1"].format(name="Kari Nordmann"))
    assert bot.rows("SELECT name, company, phone, email FROM contact") == [
        ("Kari Nordmann", "Acme AS", "+4791234567", "kari@acme.no")
    ]


async def test_a_shared_contact_is_matched_by_e_mail(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    await seller.share_contact("+4791234567", "Kari", "Nordmann", vcard=VCARD)
    await seller.send("/cancel")
    other_phone = VCARD.replace("+47 912 34 567", "+47 400 00 000").replace("Kari Nordmann", "KN")

    offer = said(await seller.share_contact("+4740000000", "K", vcard=other_phone))

    assert offer.text == W["en"]["same"].format(who="Kari Nordmann · Acme AS")


@LANGUAGES
async def test_a_name_without_letters_gets_a_question(bot: Prospekt, language: str) -> None:
    seller = bot.user(1001, language_code=language)

    asked = said(await seller.send("/meet 12345"))
    question = said(await seller.send("Kari Nordmann"))

    assert asked.text.startswith(W[language]["no_letters"])
    assert question.text.endswith(W[language]["q1"].format(name="Kari Nordmann"))
    assert bot.rows("SELECT name FROM contact") == [("Kari Nordmann",)]


@LANGUAGES
async def test_a_company_without_a_name_is_kept_while_the_name_is_asked(
    bot: Prospekt, language: str
) -> None:
    seller = bot.user(1001, language_code=language)

    asked = said(await seller.send("/meet , Acme AS"))
    await seller.send("Kari Nordmann")

    assert asked.text == W[language]["ask_at"]
    assert bot.rows("SELECT name, company FROM contact") == [("Kari Nordmann", "Acme AS")]


async def test_cancel_takes_the_buttons_off_the_question_it_stops(bot: Prospekt) -> None:
    seller = bot.user(1001, language_code="en")
    question = said(await seller.send("/meet Kari Nordmann"))

    replies = await seller.send("/cancel")

    edited = [reply for reply in replies if reply.edited]
    assert [(reply.message_id, reply.labels) for reply in edited] == [(question.message_id, [])]


async def test_a_sunday_set_from_the_card_can_be_moved_from_the_card(bot: Prospekt) -> None:
    w = W["en"]
    seller = await at_follow_up(bot, "en")
    await seller.send("next friday 10am")
    card = said(await seller.send("skip"))

    await seller.press("✏️ Follow-up", message=card)
    flagged = said(await seller.send("6.12"))
    moved = said(await seller.press(w["move"], message=flagged))

    assert flagged.text.splitlines()[1] == w["weekend"]
    assert flagged.text.split("\n\n")[1].startswith("Kari Nordmann"), "the card, with the notice"
    assert follow_ups(bot) == [("2026-12-07 07:00:00.000000", 0)]
    assert moved.edited and w["move"] not in moved.labels


@pytest.mark.parametrize(
    ("zone", "first_pickable"), [("Europe/Oslo", "3"), ("America/New_York", "2")]
)
async def test_the_calendar_knows_today_in_the_sellers_time_zone(
    bot: Prospekt, clock: Clock, zone: str, first_pickable: str
) -> None:
    """23:30 UTC on 2 December is already the 3rd in Oslo, still the 2nd in New York."""
    seller = bot.user(1001, language_code="en")
    await seller.send("/help")
    await run(bot, lambda s: sellers.update_seller(s, seller_id=1001, timezone=zone))
    clock.now = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    await seller.send("/meet Kari Nordmann")
    await three_yes(seller, "en")

    calendar = said(await seller.press(W["en"]["pick"]))

    days = [label.rstrip("*") for label in calendar.labels if label.rstrip("*").isdigit()]
    assert days[0] == first_pickable
