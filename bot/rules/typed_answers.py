"""What a typed reply means at a question that also has buttons, in English and Norwegian.

Sellers type on a phone: any case, no accents ("kjopte"), a trailing "!" or ".", an emoji
instead of a word. Each reader answers only when the whole reply is one of its words, so a
note that merely contains "yes" stays a note; anything unknown is None (or False).
"""

from __future__ import annotations

import re

from storage.vocabulary import Answer, Outcome, fold

_ANSWERS: dict[Answer, frozenset[str]] = {
    Answer.YES: frozenset(
        {"yes", "y", "yep", "yeah", "yup", "sure", "ja", "j", "jepp", "jo", "👍", "✅", "✔️"}
    ),
    Answer.NO: frozenset({"no", "n", "nope", "nei", "ne", "👎", "❌"}),
    Answer.UNKNOWN: frozenset(
        {
            "not sure",
            "unsure",
            "dont know",
            "don't know",
            "maybe",
            "idk",
            "?",
            "??",
            "vet ikke",
            "veit ikke",
            "usikker",
            "ikke sikker",
            "kanskje",
            "🤷",
            "❔",
        }
    ),
}
_OUTCOMES: dict[Outcome, frozenset[str]] = {
    Outcome.INTERESTED: frozenset({"interested", "keen", "interessert", "🔥"}),
    Outcome.NOT_READY: frozenset(
        {"not ready", "not yet", "later", "ikke klar", "ikke enda", "ikke ennå", "senere", "⏳"}
    ),
    Outcome.SAID_NO: frozenset({"said no", "sa nei", "not interested", "ikke interessert", "🙅"}),
    Outcome.BOUGHT: frozenset(
        {"bought", "bought it", "sold", "sale", "kjopte", "kjopt", "solgt", "salg", "💰"}
    ),
}
_SKIP = frozenset(
    {"skip", "pass", "no thanks", "none", "-", "hopp over", "hopp", "nei takk", "ingen", "dropp"}
)
_DONE = frozenset({"done", "finished", "that's all", "thats all", "ferdig", "det var alt", "🏁"})
_EXPORT = frozenset(
    {"export", "export first", "copy", "eksport", "eksporter", "eksporter først", "kopi", "📦"}
)
_TRAILING = re.compile(r"[\s.!,;:]+$")


def _key(text: str) -> str:
    """The reply as compared: folded (case, accents, æøå), trailing punctuation dropped."""
    return _TRAILING.sub("", fold(text.replace("\N{VARIATION SELECTOR-16}", ""))) or text.strip()


def _fold_all(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_key(word) for word in words)


_ANSWER_KEYS = {answer: _fold_all(words) for answer, words in _ANSWERS.items()}
_OUTCOME_KEYS = {outcome: _fold_all(words) for outcome, words in _OUTCOMES.items()}
_SKIP_KEYS, _DONE_KEYS = _fold_all(_SKIP), _fold_all(_DONE)
_EXPORT_KEYS = _fold_all(_EXPORT)


def read_answer(text: str) -> Answer | None:
    """Yes / no / not sure at a criterion question: "ja", "Nei!", "vet ikke", "👍"."""
    key = _key(text)
    return next((answer for answer, keys in _ANSWER_KEYS.items() if key in keys), None)


def read_outcome(text: str) -> Outcome | None:
    """How it went: "interested", "ikke klar", "sa nei", "kjøpte", "💰"."""
    key = _key(text)
    return next((outcome for outcome, keys in _OUTCOME_KEYS.items() if key in keys), None)


def is_skip(text: str) -> bool:
    """ "skip", "hopp over", "nei takk": leave this question unanswered."""
    return _key(text) in _SKIP_KEYS


def is_done(text: str) -> bool:
    """ "done", "ferdig": nothing more to add."""
    return _key(text) in _DONE_KEYS


def is_export(text: str) -> bool:
    """ "export", "eksporter først", "📦": a copy of everything first, please."""
    return _key(text) in _EXPORT_KEYS


def has_letters(text: str) -> bool:
    """Whether a typed name has a letter in it (not "12345" or "..."): a name needs one."""
    return any(char.isalpha() for char in text)


def open_question(text: str) -> str | None:
    """The question or objection in a text typed with a leading "?" ("?too expensive"), to
    answer later; None for a plain note (and for "?" alone, which says "not sure")."""
    question = text.removeprefix("?").strip() if text.startswith("?") else ""
    return question or None


def looks_like_just_a_date(text: str) -> bool:
    """Short enough to be only a date ("next friday 10am", "i overmorgen"), not a note that
    happens to mention one: such a reply sets the follow-up without asking."""
    return len(text.split()) <= 4 and len(text) <= 40 and "\n" not in text


_IMPORT_CHOICES: dict[str, frozenset[str]] = {
    "merge": frozenset({"merge", "merge them", "slå sammen", "sammen", "flett", "🔗"}),
    "skip": frozenset({"skip", "skip those", "skip them", "hopp over", "hopp over dem", "⏭"}),
    "add": frozenset(
        {"add", "add anyway", "add all", "import", "legg til", "legg til likevel", "hent inn"}
        | {"importer", "➕", "📥"}
    ),
    "cancel": frozenset({"cancel", "stop", "no", "avbryt", "stopp", "nei", "✖️", "❌"}),
}
_IMPORT_KEYS = {choice: _fold_all(words) for choice, words in _IMPORT_CHOICES.items()}


def read_import_choice(text: str) -> str | None:
    """At a contacts file's preview: "merge"/"slå sammen", "skip"/"hopp over",
    "add"/"legg til", "cancel"/"avbryt"."""
    key = _key(text)
    return next((choice for choice, keys in _IMPORT_KEYS.items() if key in keys), None)
