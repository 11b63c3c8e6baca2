"""/meet, path by path, as a seller in a car park meets it, in English and Norwegian.

Each test says what the seller sees and checks the database as a second opinion: the stage
and its recorded history, the answers, the outcome, and the follow-up reminder's time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage, PhoneUser

OSLO = ZoneInfo("Europe/Oslo")  # the default zone of a new seller; digest hour 08:00
KARI = "Kari Nordmann, Acme AS"
KARI_BUTTON = "Kari Nordmann · Acme AS"
LANGUAGES = ["en", "nb"]

# The seller's words, exactly as in bot/locales/*/LC_MESSAGES/messages.po.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "yes": "✅ Yes",
        "no": "❌ No",
        "unsure": "🤷 Not sure",
        "market_fit": "Market fit",
        "budget": "Budget",
        "authority": "Decision-maker",
        "q_market_fit": "Does {name} fit your target market?",
        "q_budget": "Can {name} afford it?",
        "q_authority": "Can {name} make the purchase decision?",
        "prospect": "Prospect — meets all three",
        "lead_unknown_no": "Lead — budget unknown, not the decision-maker",
        "customer": "Customer",
        "repeat": "Repeat buyer",
        "similar": "You already have contacts like “{name}”. Is it one of them?",
        "same_person": "You already have {who}. Is it the same person?",
        "yes_same": "✅ Yes, same person",
        "someone_new": "➕ No, someone new",
        "create": "\N{HEAVY PLUS SIGN} New contact: {name}",
        "known": "What you know about {name} so far:\n{criteria}\nKeep these answers?",
        "keep": "👍 Keep",
        "change": "✏️ Change",
        "how": "How did it go with {name}?",
        "interested": "🔥 Interested",
        "not_ready": "⏳ Not ready",
        "said_no": "🙅 Said no",
        "bought": "💰 Bought",
        "ask_not_ready": "Not ready yet: when will you follow up?",
        "ask_nurture": "When should you check in again?",
        "permission": ("{name} said no. Did you get permission to get back in touch later?"),
        "keep_in_touch": "✅ Yes, check in again in 3 months",
        "keep_in_touch_6": "✅ Yes, in 6 months",
        "do_not_contact": "🚫 No, do not contact",
        "dnc_ask": "No reminders for {name}. Tap Done when you have finished your notes.",
        "done": "Done",
        "back": "‹ Back",
        "tomorrow": "Tomorrow",
        "next_week": "Next week",
        "2_weeks": "In 2 weeks",
        "month": "In a month",
        "3_months": "In 3 months",
        "6_months": "In 6 months",
        "pick": "📅 Pick a date",
        "no_follow": "No follow-up",
        "ask_date": "Pick a day, or type a date: friday, 14.03, in 2 weeks, tomorrow at 9.",
        "next_friday": "next friday",
        "follow_set": "✅ Follow-up with {name}: {when}",
        "birthday": "When is {name}'s birthday? For example 14.03 or 14 March 1985.",
        "skip": "Skip",
        "card_follow": "⏰ Next follow-up: {when}",
        "card_no_follow": "⏰ No follow-up planned",
        "card_in_stage": "⏳ In this stage since today",
        "card_recent": "Latest activities",
        "card_meeting": "🤝 {day} · Meeting",
        "card_note": "📝 {day} · Note: {text}",
        "card_dnc": "🚫 Do not contact",
    },
    "nb": {
        "yes": "✅ Ja",
        "no": "❌ Nei",
        "unsure": "🤷 Vet ikke",
        "market_fit": "Målgruppe",
        "budget": "Budsjett",
        "authority": "Beslutter",
        "q_market_fit": "Er {name} i målgruppen din?",
        "q_budget": "Har {name} råd?",
        "q_authority": "Kan {name} ta kjøpsbeslutningen?",
        "prospect": "Prospekt — oppfyller alle tre",
        "lead_unknown_no": "Lead — budsjett ukjent, er ikke beslutter",
        "customer": "Kunde",
        "repeat": "Fast kunde",
        "similar": "Du har allerede kontakter som ligner på «{name}». Er det en av disse?",
        "same_person": "Du har allerede {who}. Er det samme person?",
        "yes_same": "✅ Ja, samme person",
        "someone_new": "➕ Nei, en ny kontakt",
        "create": "\N{HEAVY PLUS SIGN} Ny kontakt: {name}",
        "known": "Dette vet du om {name} fra før:\n{criteria}\nBeholde svarene?",
        "keep": "👍 Behold",
        "change": "✏️ Endre",
        "how": "Hvordan gikk det med {name}?",
        "interested": "🔥 Interessert",
        "not_ready": "⏳ Ikke klar",
        "said_no": "🙅 Sa nei",
        "bought": "💰 Kjøpte",
        "ask_not_ready": "Ikke klar ennå: når skal du følge opp?",
        "ask_nurture": "Når skal du ta kontakt igjen?",
        "permission": ("{name} sa nei. Fikk du lov til å ta kontakt igjen senere?"),
        "keep_in_touch": "✅ Ja, ta kontakt igjen om 3 måneder",
        "keep_in_touch_6": "✅ Ja, om 6 måneder",
        "do_not_contact": "🚫 Nei, ikke ta kontakt",
        "dnc_ask": "Ingen påminnelser om {name}. Trykk Ferdig når du er ferdig med notatene.",
        "done": "Ferdig",
        "back": "‹ Tilbake",
        "tomorrow": "I morgen",
        "next_week": "Neste uke",
        "2_weeks": "Om 2 uker",
        "month": "Om en måned",
        "3_months": "Om 3 måneder",
        "6_months": "Om 6 måneder",
        "pick": "📅 Velg dato",
        "no_follow": "Ingen oppfølging",
        "ask_date": "Velg en dag, eller skriv en dato: fredag, 14.03, om 2 uker, i morgen kl 9.",
        "next_friday": "neste fredag",
        "follow_set": "✅ Oppfølging av {name}: {when}",
        "birthday": "Når har {name} bursdag? For eksempel 14.03 eller 14. mars 1985.",
        "skip": "Hopp over",
        "card_follow": "⏰ Neste oppfølging: {when}",
        "card_no_follow": "⏰ Ingen oppfølging planlagt",
        "card_in_stage": "⏳ I denne fasen siden i dag",
        "card_recent": "Siste aktiviteter",
        "card_meeting": "🤝 {day} · Møte",
        "card_note": "📝 {day} · Notat: {text}",
        "card_dnc": "🚫 Skal ikke kontaktes",
    },
}

WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
}
# fmt: off
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"],
}
# fmt: on


# --- the calendar, computed independently of the bot ------------------------------------


def today_in_oslo() -> date:
    return datetime.now(OSLO).date()


def preset_day(days: int) -> date:
    """The local day a follow-up preset lands on: presets beyond tomorrow skip the weekend."""
    day = today_in_oslo() + timedelta(days=days)
    if days > 1 and day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def next_week_friday() -> date:
    """ "next friday" / "neste fredag": the Friday of next calendar week."""
    today = today_in_oslo()
    return today + timedelta(days=7 - today.weekday() + 4)


def at_digest_hour(day: date) -> datetime:
    """08:00 in Oslo on `day`, as the UTC instant the reminder row must hold."""
    return datetime.combine(day, time(8), OSLO).astimezone(UTC)


def in_words(day: date, language: str) -> str:
    """ "Friday 4 December 2026, 08:00" / "fredag 4. desember 2026, 08:00"."""
    weekday, month = WEEKDAYS[language][day.weekday()], MONTHS[language][day.month - 1]
    dot = "." if language == "nb" else ""
    return f"{weekday} {day.day}{dot} {month} {day.year}, 08:00"


def short_today(language: str) -> str:
    """Today as the card dates its latest interactions: "2 Dec 2026" / "2. des. 2026"."""
    pattern = "d MMM y" if language == "en" else "d. MMM y"
    return str(format_date(today_in_oslo(), pattern, locale="en_GB" if language == "en" else "nb"))


def criteria(w: dict[str, str], market_fit: str, budget: str, authority: str) -> str:
    marks = {"yes": "✅", "no": "❌", "unknown": "❔"}
    return " · ".join(
        f"{marks[answer]} {w[name]}"
        for name, answer in (
            ("market_fit", market_fit),
            ("budget", budget),
            ("authority", authority),
        )
    )


# --- the database -----------------------------------------------------------------------


def utc(stored: str) -> datetime:
    value = datetime.fromisoformat(stored)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def contact_row(bot: Prospekt) -> tuple[object, ...]:
    [row] = bot.rows(
        "SELECT name, company, stage, market_fit, budget, authority, outcome, do_not_contact,"
        " last_contacted_at FROM contact"
    )
    return row


def pending_follow_ups(bot: Prospekt) -> list[datetime]:
    rows = bot.rows(
        "SELECT due_at FROM reminder WHERE kind = 'follow_up' AND status = 'pending' ORDER BY id"
    )
    return [utc(due) for (due,) in rows]


def stage_moves(bot: Prospekt) -> list[tuple[str | None, str]]:
    rows = bot.rows("SELECT from_stage, to_stage FROM stage_change ORDER BY changed_at, id")
    return [(before, after) for before, after in rows]


# --- the seller's gestures --------------------------------------------------------------


async def meet_new(user: PhoneUser, w: dict[str, str], *answers: str) -> BotMessage:
    """/meet, type Kari's name and company, answer the three questions; the last screen."""
    await user.send("/meet")
    await user.send(KARI)
    screen: list[BotMessage] = []
    for answer in answers:
        screen = await user.press(w[answer])
    [last] = screen
    return last


def typed_reply(replies: list[BotMessage]) -> BotMessage:
    """The one new message answering typed text; the question before it loses its buttons."""
    [new] = [reply for reply in replies if not reply.edited]
    assert all(reply.labels == [] for reply in replies if reply.edited)
    return new


async def next_week_then_skip_birthday(user: PhoneUser, w: dict[str, str]) -> BotMessage:
    await user.press(w["next_week"])
    [card] = await user.press(w["skip"])
    return card


def card_lines(message: BotMessage) -> list[str]:
    """The card's own lines, below what the last tap did ("✅ Follow-up with …")."""
    return message.text.split("\n\n", 1)[1].splitlines()


async def next_week_to_card(user: PhoneUser, w: dict[str, str]) -> BotMessage:
    """A later meeting: the birthday skipped at the first is not asked again, the card comes."""
    [card] = await user.press(w["next_week"])
    assert w["skip"] not in card.labels
    return card


async def qualified_prospect(user: PhoneUser, w: dict[str, str]) -> BotMessage:
    """A first meeting that makes Kari a prospect with a follow-up next week; the card."""
    await meet_new(user, w, "yes", "yes", "yes")
    return await next_week_then_skip_birthday(user, w)


async def meet_kari_again(user: PhoneUser) -> BotMessage:
    """/meet Kari, and say yes to the one existing Kari offered first."""
    [offer] = await user.send("/meet Kari")
    assert offer.text.startswith(
        "You already have Kari Nordmann · Acme AS."
    ) or offer.text.startswith("Du har allerede Kari Nordmann · Acme AS.")
    [screen] = await user.press(offer.labels[0])
    return screen


def seller(bot: Prospekt, language: str) -> tuple[PhoneUser, dict[str, str]]:
    return bot.user(1001, first_name="Siri", language_code=language), WORDS[language]


# --- 1. a new prospect ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_new_contact_meeting_all_three_becomes_a_prospect_with_a_follow_up_next_week(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)

    status = await meet_new(siri, w, "yes", "yes", "yes")
    assert status.text.startswith(f"Kari Nordmann: {w['prospect']}\n")
    assert w["no_follow"] in status.labels  # a qualified lead may go without a follow-up

    [follow_up_set] = await siri.press(w["next_week"])
    day = preset_day(7)
    assert follow_up_set.edited
    assert follow_up_set.text == "\n\n".join(
        [
            w["follow_set"].format(name="Kari Nordmann", when=in_words(day, language)),
            w["birthday"].format(name="Kari Nordmann"),
        ]
    )

    [card] = await siri.press(w["skip"])
    assert card.edited
    assert card.text.splitlines() == [
        "Kari Nordmann · Acme AS",
        w["prospect"],
        w["card_in_stage"],
        criteria(w, "yes", "yes", "yes"),
        "",
        w["card_recent"],
        w["card_meeting"].format(day=short_today(language)),
        "",
        w["card_follow"].format(when=in_words(day, language)),
    ]

    name, company, stage, *answers, outcome, dnc, last_contacted = contact_row(bot)
    assert (name, company, stage, answers, outcome, dnc) == (
        "Kari Nordmann",
        "Acme AS",
        "prospect",
        ["yes", "yes", "yes"],
        None,
        0,
    )
    assert isinstance(last_contacted, str)
    assert datetime.now(UTC) - utc(last_contacted) < timedelta(minutes=1)
    assert pending_follow_ups(bot) == [at_digest_hour(day)]
    assert stage_moves(bot) == [(None, "lead"), ("lead", "prospect")]


# --- 2. a lead with unknowns ------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_lead_with_unknowns_is_told_why_it_is_still_a_lead(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)

    status = await meet_new(siri, w, "yes", "unsure", "no")
    assert status.text.startswith(f"Kari Nordmann: {w['lead_unknown_no']}\n")
    assert w["how"].format(name="Kari Nordmann") not in status.text  # a new lead: no "how"

    await siri.press(w["no_follow"])
    [card] = await siri.press(w["skip"])

    assert card.text.splitlines() == [
        "Kari Nordmann · Acme AS",
        w["lead_unknown_no"],
        w["card_in_stage"],
        criteria(w, "yes", "unknown", "no"),
        "",
        w["card_recent"],
        w["card_meeting"].format(day=short_today(language)),
        "",
        w["card_no_follow"],
    ]
    _, _, stage, *answers, _, _, _ = contact_row(bot)
    assert (stage, answers) == ("lead", ["yes", "unknown", "no"])
    assert stage_moves(bot) == [(None, "lead")]
    assert pending_follow_ups(bot) == []


# --- 3. re-qualifying an existing contact -----------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_meeting_a_known_contact_again_asks_only_what_is_still_unknown(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await meet_new(siri, w, "yes", "unsure", "yes")
    await next_week_then_skip_birthday(siri, w)
    first_contacted = contact_row(bot)[-1]

    [offer] = await siri.send("/meet Kari")
    assert offer.text == w["same_person"].format(who=KARI_BUTTON)
    assert offer.labels == [w["yes_same"], w["someone_new"]]

    [question] = await siri.press(w["yes_same"])
    assert question.edited
    assert question.text == (
        f"{criteria(w, 'yes', 'unknown', 'yes')}\n\n"
        f"1/1 {w['q_budget'].format(name='Kari Nordmann')}"
    )

    [status] = await siri.press(w["yes"])
    assert status.text.startswith(f"Kari Nordmann: {w['prospect']}\n")
    await next_week_to_card(siri, w)

    second_meeting = siri.transcript().split("/meet Kari", 1)[1]
    for asked_before in ("q_market_fit", "q_authority"):
        assert w[asked_before].format(name="Kari Nordmann") not in second_meeting
    _, _, stage, *answers, _, _, last_contacted = contact_row(bot)
    assert (stage, answers) == ("prospect", ["yes", "yes", "yes"])
    assert isinstance(last_contacted, str) and isinstance(first_contacted, str)
    assert utc(last_contacted) > utc(first_contacted)  # the second meeting counts as contact
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'meeting'") == [(2,)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_contact_with_all_three_known_keeps_them_in_one_tap(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await qualified_prospect(siri, w)

    known = await meet_kari_again(siri)
    assert known.text == w["known"].format(
        name="Kari Nordmann", criteria=criteria(w, "yes", "yes", "yes")
    )
    [outcome] = await siri.press(w["keep"])

    assert outcome.text == w["how"].format(name="Kari Nordmann")
    assert outcome.labels[:4] == [w["interested"], w["not_ready"], w["said_no"], w["bought"]]
    _, _, stage, *answers, _, _, _ = contact_row(bot)
    assert (stage, answers) == ("prospect", ["yes", "yes", "yes"])


# --- 4. not ready, with a typed date ----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_not_ready_requires_a_follow_up_and_a_typed_day_is_echoed_in_words(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await qualified_prospect(siri, w)
    await meet_kari_again(siri)
    await siri.press(w["keep"])

    [when] = await siri.press(w["not_ready"])
    assert when.text.endswith(w["ask_not_ready"])
    assert w["no_follow"] not in when.labels  # required: no way to skip it
    presets = {w["tomorrow"], w["next_week"], w["2_weeks"], w["month"], w["3_months"], w["pick"]}
    assert presets <= set(when.labels)
    [contact_id] = bot.rows("SELECT id FROM contact")[0]
    assert await siri.press_data(f"m:f:{contact_id}:none") == []  # nor by a forged press
    assert siri.last_callback_answer is not None and siri.last_callback_answer.show_alert

    [ask] = await siri.press(w["pick"])
    assert ask.text == w["ask_date"]
    replies = await siri.send(w["next_friday"])
    [card] = [reply for reply in replies if not reply.edited]
    assert [reply.labels for reply in replies if reply.edited] == [[]], "old buttons removed"

    friday = next_week_friday()
    assert not card.edited  # typed text is answered with a new message
    assert card.text.startswith(
        w["follow_set"].format(name="Kari Nordmann", when=in_words(friday, language)) + "\n"
    )
    assert pending_follow_ups(bot) == [at_digest_hour(friday)]  # last week's one replaced
    assert w["card_follow"].format(when=in_words(friday, language)) in card.text.splitlines()
    assert bot.rows("SELECT outcome, stage FROM contact") == [("not_ready", "prospect")]


# --- 5. said no, with and without permission --------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_said_no_with_permission_offers_a_check_in_months_out(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await qualified_prospect(siri, w)
    await meet_kari_again(siri)
    await siri.press(w["keep"])

    [permission] = await siri.press(w["said_no"])
    assert permission.text == w["permission"].format(name="Kari Nordmann")
    assert permission.labels[:3] == [w["keep_in_touch"], w["keep_in_touch_6"], w["do_not_contact"]]
    [card] = await siri.press(w["keep_in_touch"])  # one tap: yes, and when

    day = preset_day(91)
    assert pending_follow_ups(bot) == [at_digest_hour(day)]
    assert w["card_follow"].format(when=in_words(day, language)) in card.text.splitlines()
    assert w["card_dnc"] not in card.text
    assert bot.rows("SELECT outcome, do_not_contact FROM contact") == [("said_no", 0)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_said_no_without_permission_means_do_not_contact_and_no_reminders(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await qualified_prospect(siri, w)
    assert len(pending_follow_ups(bot)) == 1  # next week's, set at the first meeting
    await meet_kari_again(siri)
    await siri.press(w["keep"])
    await siri.press(w["said_no"])

    [notes_only] = await siri.press(w["do_not_contact"])
    assert notes_only.text.endswith(w["dnc_ask"].format(name="Kari Nordmann"))
    assert notes_only.labels == [w["done"], w["back"]]
    [card] = await siri.press(w["done"])  # no birthday question: no cards for them either

    lines = card.text.splitlines()
    assert w["card_dnc"] in lines
    assert not any(line.startswith("⏰") for line in lines)
    assert bot.rows("SELECT outcome, do_not_contact FROM contact") == [("said_no", 1)]
    assert bot.rows("SELECT count(*) FROM reminder WHERE status = 'pending'") == [(0,)]
    assert bot.rows("SELECT status FROM reminder") == [("cancelled",)]


async def test_do_not_contact_tapped_by_mistake_can_be_taken_back(bot: Prospekt) -> None:
    siri, w = seller(bot, "en")
    await qualified_prospect(siri, w)
    await meet_kari_again(siri)
    await siri.press(w["keep"])
    await siri.press(w["said_no"])

    [notes_only] = await siri.press(w["do_not_contact"])
    assert "‹ Back" in notes_only.labels  # every step has Back
    [permission] = await siri.press("‹ Back")
    assert permission.text == w["permission"].format(name="Kari Nordmann")
    [card] = await siri.press(w["keep_in_touch"])

    assert w["card_dnc"] not in card.text
    assert bot.rows("SELECT do_not_contact FROM contact") == [(0,)]
    assert pending_follow_ups(bot) == [at_digest_hour(preset_day(91))]


async def test_permission_given_later_lifts_do_not_contact(bot: Prospekt) -> None:
    siri, w = seller(bot, "en")
    await qualified_prospect(siri, w)
    await meet_kari_again(siri)
    await siri.press(w["keep"])
    await siri.press(w["said_no"])
    await siri.press(w["do_not_contact"])
    await siri.press(w["done"])

    await meet_kari_again(siri)  # months later Kari says no again, but "call me next year"
    await siri.press(w["keep"])
    await siri.press(w["said_no"])
    await siri.press(w["keep_in_touch_6"])

    assert bot.rows("SELECT do_not_contact FROM contact") == [(0,)]
    assert pending_follow_ups(bot) == [at_digest_hour(preset_day(182))]


# --- 6. bought, and bought again --------------------------------------------------------


async def buy(user: PhoneUser, w: dict[str, str]) -> BotMessage:
    """Meet Kari again, keep the answers, record a purchase worth 12 500; the summary card."""
    await meet_kari_again(user)
    await user.press(w["keep"])
    [worth] = await user.press(w["bought"])
    assert worth.text.startswith("💰 ")
    typed = await user.send("12 500")
    assert any("Kari Nordmann: " in message.text for message in typed)
    return await next_week_to_card(user, w)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_purchase_makes_a_customer_and_a_second_one_a_repeat_buyer(
    bot: Prospekt, language: str
) -> None:
    siri, w = seller(bot, language)
    await qualified_prospect(siri, w)

    first = await buy(siri, w)
    assert card_lines(first)[1] == w["customer"]
    assert bot.rows("SELECT stage, outcome FROM contact") == [("customer", "bought")]

    second = await buy(siri, w)
    assert card_lines(second)[1] == w["repeat"]
    assert bot.rows("SELECT stage FROM contact") == [("repeat",)]
    assert bot.rows("SELECT amount, currency FROM sale") == [(12500, "NOK"), (12500, "NOK")]

    history = bot.rows("SELECT from_stage, to_stage, changed_at FROM stage_change ORDER BY id")
    assert [(before, after) for before, after, _ in history] == [
        (None, "lead"),
        ("lead", "prospect"),
        ("prospect", "customer"),
        ("customer", "repeat"),
    ]
    times = [utc(at) for _, _, at in history]
    assert times == sorted(times)
    assert datetime.now(UTC) - times[0] < timedelta(minutes=1)


async def test_bought_tapped_by_mistake_and_taken_back_leaves_no_sale(bot: Prospekt) -> None:
    siri, w = seller(bot, "en")
    await qualified_prospect(siri, w)
    await meet_kari_again(siri)
    await siri.press(w["keep"])

    [worth] = await siri.press(w["bought"])
    assert worth.text.startswith("💰 What was the sale to Kari Nordmann worth?")
    await siri.send("9 900")
    await siri.press("‹ Back")  # from the follow-up question to the value question
    [outcome] = await siri.press("‹ Back")
    assert outcome.text == w["how"].format(name="Kari Nordmann")
    [status] = await siri.press(w["interested"])

    assert status.text.startswith(f"Kari Nordmann: {w['prospect']}\n")
    assert bot.rows("SELECT stage, outcome FROM contact") == [("prospect", "interested")]
    assert bot.rows("SELECT count(*) FROM sale") == [(0,)], "the sale went with its Bought"
    assert stage_moves(bot)[-1][1] == "prospect"


async def test_a_customer_answering_no_stays_a_customer(bot: Prospekt) -> None:
    siri, w = seller(bot, "en")
    await qualified_prospect(siri, w)
    await buy(siri, w)

    await meet_kari_again(siri)
    [first_question] = await siri.press(w["change"])
    assert first_question.text.endswith(f"1/3 {w['q_market_fit'].format(name='Kari Nordmann')}")
    await siri.press(w["no"])
    await siri.press(w["yes"])
    [outcome] = await siri.press(w["yes"])
    assert outcome.text == w["how"].format(name="Kari Nordmann")
    [status] = await siri.press(w["interested"])

    assert status.text.startswith(f"Kari Nordmann: {w['customer']}\n")
    assert bot.rows("SELECT stage, market_fit, outcome FROM contact") == [
        ("customer", "no", "interested")
    ]
    assert stage_moves(bot)[-1] == ("prospect", "customer")


# --- 7. HTML specials and emoji ---------------------------------------------------------

ODD_NAME = '<b>&"Kari</b> 🦄'
ODD_COMPANY = "A&B <Ltd>"
ODD_NOTE = 'if x < 3 && y > 2 "quote"'


async def test_names_companies_and_notes_with_html_specials_show_exactly_as_typed(
    bot: Prospekt,
) -> None:
    siri, w = seller(bot, "en")
    await siri.send("/meet")

    [question] = await siri.send(f"{ODD_NAME}, {ODD_COMPANY}")
    assert question.text.endswith(f"1/3 {w['q_market_fit'].format(name=ODD_NAME)}")
    await siri.press(w["yes"])
    await siri.press(w["yes"])
    [status] = await siri.press(w["yes"])
    assert status.text.startswith(f"{ODD_NAME}: {w['prospect']}\n")

    saved = typed_reply(await siri.send(ODD_NOTE))
    assert saved.text.startswith(f"📝 Note saved on {ODD_NAME}.\n\n")
    [birthday] = await siri.press(w["next_week"])
    assert birthday.text.endswith(w["birthday"].format(name=ODD_NAME))
    [card] = await siri.press(w["skip"])
    assert card.text.splitlines()[0] == f"{ODD_NAME} · {ODD_COMPANY}"
    assert f"· Note: {ODD_NOTE}" in card.text, "the note, on the card exactly as typed"

    [all_notes] = await siri.press("📝 All notes")
    assert all_notes.text == f"📝 Notes about {ODD_NAME} (1/1)\n{ODD_NOTE}"

    first_word = ODD_NAME.split()[0]
    [offer] = await siri.send(f"/meet {first_word}")
    assert offer.text == w["same_person"].format(who=f"{ODD_NAME} · {ODD_COMPANY}")
    assert offer.labels == [w["yes_same"], w["someone_new"]]
    [known] = await siri.press(w["yes_same"])
    assert known.text.startswith(f"What you know about {ODD_NAME} so far:\n")

    assert bot.rows("SELECT name, company FROM contact") == [(ODD_NAME, ODD_COMPANY)]
    assert bot.rows("SELECT text FROM interaction WHERE kind = 'note'") == [(ODD_NOTE,)]


# --- 8. notes and concerns --------------------------------------------------------------


async def test_notes_pile_up_and_questions_become_open_concerns_listed_first(
    bot: Prospekt,
) -> None:
    siri, w = seller(bot, "en")
    await meet_new(siri, w, "yes", "yes", "yes")

    first = typed_reply(await siri.send("Wants a demo for 5 people"))
    assert first.text.startswith("📝 Note saved on Kari Nordmann.\n\n")
    assert first.labels[0] == "❓ Save as open question"
    await siri.send("Asked whether the price includes training")
    [converted] = await siri.press("❓ Save as open question")
    assert converted.edited
    assert converted.text.startswith("❓ Open question saved on Kari Nordmann.\n\n")
    assert "❓ Save as open question" not in converted.labels
    question = typed_reply(await siri.send("?Worried about the price"))
    assert question.text.startswith("❓ Open question saved on Kari Nordmann.\n\n")
    assert "❓ Save as open question" not in question.labels
    card = await next_week_then_skip_birthday(siri, w)

    lines = card.text.splitlines()
    concerns_at, notes_at = lines.index("Open questions"), lines.index(w["card_recent"])
    assert concerns_at < notes_at
    assert lines[concerns_at + 1 : notes_at] == [
        "• Asked whether the price includes training",
        "• Worried about the price",
        "",
    ]
    note = w["card_note"].format(day=short_today("en"), text="Wants a demo for 5 people")
    assert lines[notes_at + 1] == note
    assert bot.rows("SELECT text, status FROM concern ORDER BY id") == [
        ("Asked whether the price includes training", "open"),
        ("Worried about the price", "open"),
    ]
    assert bot.rows("SELECT text FROM interaction WHERE kind = 'note'") == [
        ("Wants a demo for 5 people",)
    ]


async def test_changing_the_follow_up_from_a_card_keeps_the_card_and_asks_below(
    bot: Prospekt,
) -> None:
    siri, w = seller(bot, "en")
    card = await qualified_prospect(siri, w)

    [question] = await siri.press("✏️ Follow-up", message=card)
    [updated] = await siri.press(w["tomorrow"])

    assert not question.edited, "the card (or /today list) it came from stays in the chat"
    assert siri.chat.find(card.message_id) is not None
    assert question.text.endswith("When will you follow up?")
    assert updated.text.startswith("✅ Follow-up with Kari Nordmann:")
    assert len(pending_follow_ups(bot)) == 1, "the new date replaces the old one"
