"""The pre-check in front of dateparser: it may let a non-date through, never stop a date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules import date_phrases
from bot.rules.date_words import may_be_a_date

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Europe/Oslo"))
# Words sellers put in notes, and the words dates are made of, in both languages.
NOTE_WORDS = ["wants", "demo", "team", "pris", "tilbud", "kari's", "lisens", "send", "call",
              "ring", "henne", "about", "the", "for", "contract", "møte", "Ørjan", "Bækkelund",
              "og"]  # fmt: skip
DATE_WORDS = ["noon", "midnight", "tonight", "tomorrow", "i", "morgen", "neste", "uke", "om",
              "to", "dager", "in", "a", "fortnight", "week", "fredag", "friday", "lørdag",
              "ettermiddag", "evening", "next", "month", "måned", "siden", "ago", "at", "kl",
              "3pm", "10", "14.", "mars", "desember", "en", "two", "hours", "years"]  # fmt: skip


def dateparser_reads(phrase: str) -> bool:
    """What dateparser itself makes of the phrase, the pre-check bypassed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(date_phrases, "may_be_a_date", lambda _phrase: True)
        return date_phrases.parse_fallback(phrase, NOW, "en") is not None


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(NOTE_WORDS + DATE_WORDS), min_size=1, max_size=4))
def test_no_phrase_dateparser_reads_is_stopped(words: list[str]) -> None:
    phrase = " ".join(words)
    if dateparser_reads(phrase) and not only_an_article_among_fillers(words):
        assert may_be_a_date(phrase), phrase


ARTICLES = {"a", "an"}
FILLERS = {"about", "the", "at", "in", "on", "of", "for"}


def only_an_article_among_fillers(words: list[str]) -> bool:
    """ "about a": dateparser reads the "a" as 1, the 1st of the month. No seller means a
    day by that, and letting every "a" through would send every English note to dateparser,
    so such phrases are stopped on purpose."""
    return bool(ARTICLES & set(words)) and set(words) <= ARTICLES | FILLERS


def test_an_article_among_fillers_is_no_date() -> None:
    assert dateparser_reads("about a")  # what the pre-check saves the seller from
    assert not may_be_a_date("about a")
    assert not may_be_a_date("Wants a demo for the team")


READ_BY_DATEPARSER = ["noon", "tonight", "in a fortnight", "the day after tomorrow",
                      "3 hours later", "in two weeks", "om 2 uker"]  # fmt: skip


@pytest.mark.parametrize("phrase", READ_BY_DATEPARSER)
def test_what_dateparser_reads_passes(phrase: str) -> None:
    assert dateparser_reads(phrase)
    assert may_be_a_date(phrase)


@pytest.mark.parametrize("phrase", ["Wants a demo", "Kari's team", "send tilbud", "Ørjan"])
def test_words_of_a_note_are_no_date(phrase: str) -> None:
    assert not may_be_a_date(phrase)
    assert not dateparser_reads(phrase)
