"""Ranking contacts for a typed search: forgiving of typos, accents and phone formats.

Pure: the caller reads (id, name, company, search_key) for the seller's contacts and the ids
whose notes contain the text; this module orders them. Text is compared folded
(`storage.vocabulary.fold`), so "Kåre" and "kare", "Ødegård" and "odegard" are equal.

Each word typed is scored against the contact's words, best first: exact 1.0; the start of
a word 0.9-1.0 (more of it typed scores higher); within a few edits 0.85 x similarity (none
under 4 letters, 1 edit up to 7, 2 up to 11, 3 beyond); inside any word or the e-mail 0.6.
A word of the name counts fully, of the company 0.9, of the e-mail or phone 0.85. A contact
scores the mean over the typed words, plus 0.1 when the whole text appears as typed, plus
0.02 when every typed word is whole in the name or company exactly as typed (accents and
all: "Kåre" before "Kare"); at least half the words must match. A note containing the text
scores 0.5. Text that is only a phone number (4+ digits) matches phone digits anywhere: 1.0
at the end of the number, 0.9 inside it, ignoring "+", "00" and a leading trunk "0".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from storage.vocabulary import fold

MAX_QUERY = 64  # characters of the typed text that are searched
MAX_TERMS = 6  # words of it
NAME, COMPANY, DETAIL = 1.0, 0.9, 0.85
SUBSTRING, NOTE, PHRASE_BONUS = 0.6, 0.5, 0.1
AS_TYPED = 0.02  # the name or company holds every typed word as typed, accents and all
PHONE_END, PHONE_INSIDE = 1.0, 0.9
MIN_PHONE_DIGITS = 4

_WORD = re.compile(r"[^\W_]+")
_PHONE_TEXT = re.compile(r"\+?[\d\s().\-/]+")
_DIGITS_SPACED = re.compile(r"(?<=\d)[\s().\-/]+(?=\d)")
_DIGIT_RUN = re.compile(r"\d+")


class Candidate(Protocol):
    """One of the seller's contacts as search sees it; `key` is its folded search key."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str | None: ...
    @property
    def key(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Hit:
    """A contact that matched, with its score (higher is better) and whether a note did it."""

    id: int
    score: float
    via_note: bool = False


def rank(
    query: str, candidates: Sequence[Candidate], *, note_hits: Collection[int] = ()
) -> list[Hit]:
    """The matching candidates, best first; ties by name, then id."""
    text = fold(query[:MAX_QUERY])
    if not text:
        return []
    digits = phone_digits(text)
    scores = _phone_scores(digits, candidates) if digits else _text_scores(text, candidates)
    order = {c.id: c.key for c in candidates}
    typed = set(_WORD.findall(query[:MAX_QUERY].casefold()))
    exact = {c.id for c in candidates if c.id in scores and typed <= _shown_words(c)}
    hits = {i: Hit(i, s + (AS_TYPED if i in exact else 0.0)) for i, s in scores.items()}
    for contact_id in note_hits:
        if contact_id in order and contact_id not in hits:
            hits[contact_id] = Hit(contact_id, NOTE, via_note=True)
    return sorted(hits.values(), key=lambda h: (-round(h.score, 6), order[h.id], h.id))


def _shown_words(candidate: Candidate) -> set[str]:
    return set(_WORD.findall(f"{candidate.name} {candidate.company or ''}".casefold()))


def clear_winner(hits: Sequence[Hit], *, margin: float = 0.1) -> Hit | None:
    """The one hit that stands out: alone, or a strong match well ahead of the next."""
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1 and hits[0].score >= 0.9 and hits[1].score <= hits[0].score - margin:
        return hits[0]
    return None


def looks_like_search(text: str) -> bool:
    """Whether a bare message is plausibly a name to look up rather than a stray note.

    One line, at most MAX_QUERY characters and five words, with a letter or digit in it.
    """
    stripped = text.strip()
    return (
        0 < len(stripped) <= MAX_QUERY
        and "\n" not in stripped
        and len(stripped.split()) <= 5
        and _WORD.search(stripped) is not None
    )


def phone_digits(text: str) -> str | None:
    """The digits to look for when `text` is only a phone number, without "+", "00" or "0"."""
    if not _PHONE_TEXT.fullmatch(text):
        return None
    digits = "".join(char for char in text if char.isdigit())
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    local = digits[2:] if digits.startswith("00") else digits.removeprefix("0")
    return local if len(local) >= MIN_PHONE_DIGITS - 1 else None


def _phone_scores(needle: str, candidates: Sequence[Candidate]) -> dict[int, float]:
    scores: dict[int, float] = {}
    for candidate in candidates:
        compact = _DIGITS_SPACED.sub("", candidate.key)
        if needle not in compact:
            continue
        runs = [run for run in _DIGIT_RUN.findall(compact) if needle in run]
        scores[candidate.id] = PHONE_END if any(r.endswith(needle) for r in runs) else PHONE_INSIDE
    return scores


def _allowed_edits(term: str) -> int:
    size = len(term)
    return 0 if size < 4 else 1 if size <= 7 else 2 if size <= 11 else 3


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """Every word of the keys, sorted, and where each appears: {position: field weight}."""

    words: list[str]
    where: dict[str, dict[int, float]]


Entry = tuple[str, str, str | None]  # key, name, company


@lru_cache(maxsize=32)
def _vocabulary(entries: tuple[Entry, ...]) -> _Vocabulary:
    """Built once per distinct book: a seller searching again reuses it until an edit.

    A key is fold(name company e-mail phone), so its first words are the name's, then the
    company's; counting them in the unfolded fields avoids folding every name per search.
    """
    where: dict[str, dict[int, float]] = {}
    for position, (key, name, company) in enumerate(entries):
        name_words = len(_WORD.findall(name))
        company_words = name_words + len(_WORD.findall(company or ""))
        for at, word in enumerate(_WORD.findall(key)):
            weight = NAME if at < name_words else COMPANY if at < company_words else DETAIL
            slot = where.setdefault(word, {})
            if slot.get(position, 0.0) < weight:
                slot[position] = weight
    return _Vocabulary(sorted(where), where)


def _word_scores(term: str, words: list[str]) -> dict[str, float]:
    """How well `term` matches each word it matches at all: exact, start, or a few edits."""
    found: dict[str, float] = {}
    allowed = _allowed_edits(term)
    if allowed:
        for word, edits, _ in process.extract(
            term, words, scorer=OSA.distance, score_cutoff=allowed, limit=None
        ):
            found[word] = 0.85 * (1 - edits / max(len(term), len(word)))
    at = bisect_left(words, term)
    while at < len(words) and words[at].startswith(term):
        found[words[at]] = 0.9 + 0.1 * len(term) / len(words[at])
        at += 1
    return found


def _text_scores(text: str, candidates: Sequence[Candidate]) -> dict[int, float]:
    terms = list(dict.fromkeys(_WORD.findall(text)))[:MAX_TERMS]
    if not terms:
        return {}
    vocabulary = _vocabulary(tuple((c.key, c.name, c.company) for c in candidates))
    totals = [0.0] * len(candidates)
    matched = [0] * len(candidates)
    for term in terms:
        best: dict[int, float] = {}
        for word, score in _word_scores(term, vocabulary.words).items():
            for position, weight in vocabulary.where[word].items():
                best[position] = max(best.get(position, 0.0), score * weight)
        if len(term) >= 3:
            for position, candidate in enumerate(candidates):
                if position not in best and term in candidate.key:
                    best[position] = SUBSTRING
        for position, score in best.items():
            totals[position] += score
            matched[position] += 1
    scores: dict[int, float] = {}
    for position, candidate in enumerate(candidates):
        if matched[position] * 2 < len(terms) or not matched[position]:
            continue
        bonus = PHRASE_BONUS if len(terms) > 1 and text in candidate.key else 0.0
        scores[candidate.id] = totals[position] / len(terms) + bonus
    return scores


def names_match(typed: str, name: str) -> bool:
    """Every word typed is a word of the name, letters folded: "ase kjaerstad" is
    "Åse Kjærstad-Øvrebø" (a hyphen joins two words), "Kari" is "Kari Nordmann"."""
    words = name_words(name)
    typed_words = _WORD.findall(fold(typed))
    return bool(typed_words) and all(word in words for word in typed_words)


def name_words(name: str) -> frozenset[str]:
    """The words of a name as `names_match` compares them: "Åse Kjærstad-Øvrebø" is
    {"ase", "kjaerstad", "ovrebo"}."""
    return frozenset(_WORD.findall(fold(name)))
