"""What a typed reply means at each question of the meeting, before it may become a note.

Pure: the step asking, the text, and "now" in; a `Reading` out. The meeting acts on it
(`bot.meeting.typed`). A text the date parser accepts is never read as a note at the
follow-up question: it is the date, or (when it reads like more than a date) a question.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.rules.dates import When, parse_when
from bot.rules.typed_answers import (
    is_done,
    is_skip,
    looks_like_just_a_date,
    read_answer,
    read_outcome,
)
from storage.vocabulary import Answer, Outcome


class Asked(enum.Enum):
    """The question the reply answers."""

    CRITERION = "criterion"  # yes / no / not sure
    KNOWN = "known"  # keep the known answers?
    OUTCOME = "outcome"  # how did it go?
    PERMISSION = "permission"  # after a no: may you keep in touch?
    FOLLOW_UP = "follow_up"  # when will you follow up? (notes welcome)
    DATE = "date"  # the date itself
    BIRTHDAY = "birthday"
    COMPANY = "company"
    VALUE = "value"  # what a sale was worth


class Meaning(enum.Enum):
    ANSWER = "answer"  # `answer` holds it
    OUTCOME = "outcome"  # `outcome` holds it
    SKIP = "skip"
    DONE = "done"
    DATE = "date"  # `when` holds it (None: a date was asked for and could not be read)
    DATE_OR_NOTE = "date_or_note"  # `when` holds the date it may be
    TEXT = "text"  # the text itself: a note, a birthday, a company, as the question wants


@dataclass(frozen=True)
class Reading:
    meaning: Meaning
    answer: Answer | None = None
    outcome: Outcome | None = None
    when: When | None = None


TEXT = Reading(Meaning.TEXT)


def read_reply(asked: Asked, text: str, *, now: datetime, zone: ZoneInfo, language: str) -> Reading:
    """What `text` means as the answer to `asked`; `TEXT` when it is not an answer."""
    if is_done(text):
        return Reading(Meaning.DONE)
    if asked in (Asked.CRITERION, Asked.KNOWN, Asked.PERMISSION):
        answer = read_answer(text)
        if asked is Asked.CRITERION and answer is None and is_skip(text):
            answer = Answer.UNKNOWN
        if answer is None or (asked is not Asked.CRITERION and answer is Answer.UNKNOWN):
            return TEXT
        return Reading(Meaning.ANSWER, answer=answer)
    if asked in (Asked.OUTCOME, Asked.FOLLOW_UP):
        outcome = read_outcome(text)
        if outcome is not None:
            return Reading(Meaning.OUTCOME, outcome=outcome)
    if is_skip(text):
        return Reading(Meaning.SKIP)
    if asked is Asked.DATE:
        return Reading(Meaning.DATE, when=parse_when(text, now=now, zone=zone, language=language))
    if asked is Asked.FOLLOW_UP:
        when = parse_when(text, now=now, zone=zone, language=language)
        if when is not None:
            meaning = Meaning.DATE if looks_like_just_a_date(text) else Meaning.DATE_OR_NOTE
            return Reading(meaning, when=when)
        when = _date_within(text, now=now, zone=zone, language=language)
        if when is not None:
            return Reading(Meaning.DATE_OR_NOTE, when=when)
    return TEXT


PHRASE_WORDS = 6  # the longest date phrase looked for inside a longer text
NOTE_WORDS = 20  # a text longer than this is a note, whatever days it mentions


def _date_within(text: str, *, now: datetime, zone: ZoneInfo, language: str) -> When | None:
    """A date phrase inside a longer text ("call her in 2 days about the contract", "i
    morgen: send tilbud"), longest first. A single word counts only at either end, and a bare
    number never, so "met 5 people" is no date."""
    words = [word.strip(",.;:!?") for word in text.split()]
    if not 2 <= len(words) <= NOTE_WORDS or "\n" in text:
        return None
    for size in range(min(PHRASE_WORDS, len(words) - 1), 0, -1):
        starts = range(len(words) - size + 1) if size > 1 else (0, len(words) - 1)
        for start in starts:
            phrase = " ".join(words[start : start + size])
            if not phrase or phrase.replace(" ", "").isdigit():
                continue
            when = parse_when(phrase, now=now, zone=zone, language=language)
            if when is not None:
                return when
    return None
