"""Reading a typed reply against the question it answers (`bot.rules.replies`)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.rules.dates import parse_when
from bot.rules.replies import Asked, Meaning, read_reply
from bot.rules.typed_answers import (
    has_letters,
    is_done,
    is_export,
    is_skip,
    looks_like_just_a_date,
    open_question,
    read_answer,
    read_outcome,
)
from storage.vocabulary import Answer, Outcome

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 12, 2, 11, tzinfo=UTC)
DAYS = [
    "tomorrow", "friday", "next friday", "in 3 weeks", "in 2 days", "14.03", "14 March",
    "i morgen", "i overmorgen", "fredag", "neste fredag", "om 3 uker", "om en uke", "14. mars",
    "5.1", "30.06.2027",
]  # fmt: skip
TIMES = ["", " at 9", " 10am", " kl 10", " kl 14:30", " 15:00"]
WORDS = st.sampled_from(["call", "her", "about", "the", "price", "ring", "om", "demo", "Kari"])


def read(asked: Asked, text: str, language: str = "en") -> Meaning:
    return read_reply(asked, text, now=NOW, zone=OSLO, language=language).meaning


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", Answer.YES), ("Yes!", Answer.YES), ("ja", Answer.YES), ("J", Answer.YES),
        ("👍", Answer.YES), ("no", Answer.NO), ("Nei.", Answer.NO), ("👎", Answer.NO),
        ("not sure", Answer.UNKNOWN), ("vet ikke", Answer.UNKNOWN), ("Veit ikke", Answer.UNKNOWN),
        ("🤷", Answer.UNKNOWN), ("yes please call me", None), ("janne", None), ("", None),
    ],
)  # fmt: skip
def test_yes_no_and_not_sure_in_both_languages(text: str, answer: Answer | None) -> None:
    assert read_answer(text) == answer


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("interested", Outcome.INTERESTED), ("Interessert", Outcome.INTERESTED),
        ("not ready", Outcome.NOT_READY), ("ikke klar", Outcome.NOT_READY),
        ("said no", Outcome.SAID_NO), ("sa nei", Outcome.SAID_NO),
        ("bought", Outcome.BOUGHT), ("kjøpte", Outcome.BOUGHT), ("kjopte!", Outcome.BOUGHT),
        ("she bought a car", None),
    ],
)  # fmt: skip
def test_how_it_went_in_both_languages(text: str, outcome: Outcome | None) -> None:
    assert read_outcome(text) == outcome


def test_skip_done_and_names() -> None:
    assert all(is_skip(t) for t in ["skip", "Skip.", "hopp over", "Hopp over!", "nei takk"])
    assert not is_skip("skip the intro next time")
    assert all(is_done(t) for t in ["done", "ferdig", "Ferdig!"])
    assert not has_letters("12345") and not has_letters("...") and has_letters("Åse")
    assert looks_like_just_a_date("neste fredag kl 10")
    assert not looks_like_just_a_date("ring henne neste fredag kl 10 om prisen")


def test_a_leading_question_mark_makes_an_open_question() -> None:
    assert open_question("?for dyrt, ring om 2 uker") == "for dyrt, ring om 2 uker"
    assert open_question("? Worried about the price ") == "Worried about the price"
    assert open_question("?") is None, "a lone ? says not sure"
    assert open_question("Is the price too high?") is None, "only a leading ? counts"


def test_asking_for_a_copy_first_in_both_languages() -> None:
    assert all(is_export(t) for t in ["export", "Export first", "eksporter", "Eksporter først!"])
    assert all(is_export(t) for t in ["eksporter forst", "📦"])
    assert not is_export("export my contacts to excel please")


def test_each_question_reads_its_own_answers() -> None:
    assert read(Asked.CRITERION, "ja", "nb") is Meaning.ANSWER
    assert read(Asked.CRITERION, "hopp over", "nb") is Meaning.ANSWER
    assert read(Asked.CRITERION, "Wants a demo") is Meaning.TEXT
    assert read(Asked.OUTCOME, "kjøpte", "nb") is Meaning.OUTCOME
    assert read(Asked.PERMISSION, "not sure") is Meaning.TEXT
    assert read(Asked.FOLLOW_UP, "ikke klar", "nb") is Meaning.OUTCOME
    assert read(Asked.FOLLOW_UP, "neste fredag kl 10", "nb") is Meaning.DATE
    assert read(Asked.FOLLOW_UP, "call her next friday at 10") is Meaning.DATE_OR_NOTE
    assert read(Asked.FOLLOW_UP, "Wants a demo for 5 people") is Meaning.TEXT
    assert read(Asked.BIRTHDAY, "hopp over", "nb") is Meaning.SKIP
    assert read(Asked.BIRTHDAY, "14.03") is Meaning.TEXT
    assert read(Asked.DATE, "banana") is Meaning.DATE
    assert read(Asked.COMPANY, "ferdig", "nb") is Meaning.DONE


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(DAYS),
    st.sampled_from(TIMES),
    st.lists(WORDS, max_size=4),
    st.lists(WORDS, max_size=4),
    st.sampled_from(["en", "nb"]),
)
def test_a_text_the_date_parser_accepts_is_never_a_note_at_the_follow_up(
    day: str, time: str, before: list[str], after: list[str], language: str
) -> None:
    text = " ".join([*before, day + time, *after])
    assume(parse_when(text, now=NOW, zone=OSLO, language=language) is not None)

    assert read(Asked.FOLLOW_UP, text, language) is not Meaning.TEXT


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.sampled_from(list(Asked)), st.sampled_from(["en", "nb"]))
def test_no_text_makes_any_question_raise(text: str, asked: Asked, language: str) -> None:
    reading = read_reply(asked, text, now=NOW, zone=OSLO, language=language)

    if asked is Asked.FOLLOW_UP and parse_when(text, now=NOW, zone=OSLO, language=language):
        assert reading.meaning is not Meaning.TEXT
