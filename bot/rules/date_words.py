"""Whether a phrase can be a date at all, asked before dateparser is.

A note typed at the follow-up question is searched for a date phrase inside it
(`bot.rules.replies`): a dozen phrases for a short note, each a dateparser call of about a
millisecond. A date needs a number or a date word (a month, a weekday, "week", "noon",
"i morgen"), so a phrase with neither is no date and dateparser need not be asked. The words
come from dateparser's own English and Bokmål data, so they cannot fall behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

LANGUAGES = ("en", "nb")
NOT_DATE_WORDS = ("skip", "pertain")  # fillers dateparser passes over ("the", "at", "kl")
NOT_WORDS = ("name", "date_order", "sentence_splitter_group")
WORD = re.compile(r"[^\W\d_]{2,}")
ESCAPE = re.compile(r"\\[A-Za-z]")  # \b, \d, \s in dateparser's patterns are no letters


def may_be_a_date(phrase: str) -> bool:
    """False when `phrase` has no digit and no word dateparser reads as part of a date."""
    if any(character.isdigit() for character in phrase):
        return True
    words = _date_words()
    return any(word in words or _plain(word) in words for word in WORD.findall(phrase.lower()))


@cache
def _date_words() -> frozenset[str]:
    from dateparser.languages.loader import default_loader

    words: set[str] = set()
    fillers: set[str] = set()
    for code in LANGUAGES:
        for key, value in default_loader.get_locale(code).info.items():
            if key in NOT_WORDS:
                continue
            found = {word.lower() for text in _strings(value) for word in WORD.findall(text)}
            (fillers if key in NOT_DATE_WORDS else words).update(found)
    words -= fillers - words  # a filler that is also a date word stays
    return frozenset(words | {_plain(word) for word in words})


def _strings(value: Any) -> Iterator[str]:
    """Every text in dateparser's nested lists and dicts, keys included (its simplification
    patterns are keys), with regex escapes taken out."""
    if isinstance(value, str):
        yield ESCAPE.sub(" ", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _plain(word: str) -> str:
    """The word as dateparser compares it (accents taken off: "lørdag" as "lordag")."""
    from dateparser.utils import normalize_unicode

    return str(normalize_unicode(word))
