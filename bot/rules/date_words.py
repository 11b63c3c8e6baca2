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
NOT_NAMES = frozenset({"name", "date_order", "sentence_splitter_group", "skip", "pertain", "in",
                       "relative-type", "relative-type-regex", "simplifications"})  # fmt: skip
MIN_WORD = 3  # as `date_phrases.parse_fallback`: shorter words alone never reach dateparser
WORD = re.compile(r"[^\W\d_]{2,}")
ESCAPE = re.compile(r"\\[A-Za-z]")  # \b, \d, \s in dateparser's patterns are no letters


def may_be_a_date(phrase: str) -> bool:
    """False when `phrase` has no digit and no word that makes a date on its own ("the" and
    "for" do not: without a day, unit or time beside them dateparser reads nothing)."""
    if any(character.isdigit() for character in phrase):
        return True
    words = _date_words()
    return any(word in words or _plain(word) in words for word in WORD.findall(phrase.lower()))


@cache
def _date_words() -> frozenset[str]:
    """The words that carry a date in dateparser's data, in its English and Bokmål:

    - the names it translates: months, weekdays, units ("uke", "hours"), "ago", "pm";
    - its relative phrases: a one-word one ("tomorrow", "nå") whole; of a longer one, the
      words only when it has no name in it ("i morgen", "i fjor"), so that "next" and
      "this" in "next week" or "this monday" do not count on their own;
    - the words of a shortcut it rewrites into a clock or a day ("noon", "tonight").

    - its number words ("two", "fire"): alone, dateparser reads one as a day of the month.

    Left out: its fillers and connectors ("the", "for", "in", "om"), which turn up in every
    note and make no date without one of the above, and the number words too short to be
    read alone ("an", "en", "to": `date_phrases.parse_fallback` asks for a longer word).
    """
    from dateparser.languages.loader import default_loader

    words: set[str] = set()
    for code in LANGUAGES:
        info = default_loader.get_locale(code).info
        names = {word for key, value in info.items() if key not in NOT_NAMES
                 for word in _words(value)}  # fmt: skip
        words |= names
        for values in info.get("relative-type", {}).values():
            for value in values:
                found = _words(value)
                if len(found) == 1 or not found & names:
                    words |= found
        for shortcut in info.get("simplifications", []):
            for pattern, replacement in shortcut.items():
                if ":" in replacement or _words(replacement) & words:
                    words |= _words(pattern)
                elif replacement.isdigit():  # "two" alone is read as the 2nd
                    words |= {word for word in _words(pattern) if len(word) >= MIN_WORD}
    return frozenset(words | {_plain(word) for word in words})


def _words(value: Any) -> set[str]:
    return {word.lower() for text in _strings(value) for word in WORD.findall(text)}


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
