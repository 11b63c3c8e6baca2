"""Search quality: for each query, the contact a seller means must come first."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.search import (
    Hit,
    clear_winner,
    looks_like_search,
    phone_digits,
    rank,
)
from storage.vocabulary import fold


class Row(NamedTuple):
    id: int
    name: str
    company: str | None
    key: str


def row(
    contact_id: int,
    name: str,
    company: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Row:
    """A contact with its search key built as storage builds it."""
    key = fold(" ".join(part for part in (name, company, email, phone) if part))
    return Row(contact_id, name, company, key)


BOOK = [
    row(1, "Kari Nordmann", "Acme AS", "kari@acme.no", "+4791234567"),
    row(2, "Ola Nordmann", "Nordlys Energi", "ola.nordmann@nordlys.no", "+4792345678"),
    row(3, "Kåre Ødegård", "Fjordkraft", "kare@fjordkraft.no", "+4793456789"),
    row(4, "Kare Hansen", "Hansen Bygg", None, "+4790011223"),
    row(5, "Åse Bø", "Bø Regnskap", "ase@boregnskap.no", None),
    row(6, "Per Olsen", "Olsen & Sønn", "per@olsen.no", "+4741122334"),
    row(7, "Siri Dahl", "Telenor", "siri.dahl@telenor.com", "+4745566778"),
    row(8, "Jørgen Lie", "Equinor", "jorgen.lie@equinor.com", None),
    row(9, "Ingrid Bakken", "Bakken Gård", None, "+4798877665"),
    row(10, "John Smith", "Smith & Co", "john@smithco.co.uk", "+447700900123"),
    row(11, "Jane Smythe", "Globex Corporation", "jane.smythe@globex.com", "+12025550143"),
    row(12, "Michael O'Brien", "Initech", "mobrien@initech.io", None),
    row(13, "Anne-Marie Berg", None, "annemarie@berg.no", "+4747001122"),
    row(14, "Lars Kristiansen", "Kiwi", None, "+4799988877"),
    row(15, "Kristian Larsen", "Rema 1000", "kristian@rema.no", None),
    row(16, "Marius Haugen", "Haugen Consulting", "marius@haugen.consulting", None),
    row(17, "Karin Berg", "Berg Elektro", "karin@bergelektro.no", "+4746655443"),
    row(18, "Bjørn Strøm", "Strøm Shipping", "bjorn@stromshipping.no", None),
    row(19, "Emily Clarke", "Acme Ltd", "emily.clarke@acme.co.uk", "+447911123456"),
    row(20, "Ola Normann", None, None, "+4790909090"),
]

# (query, the contact that must rank first, why)
FIRST = [
    ("nordman", 1, "missing letter; Kari before Ola by name"),
    ("Nordmnn", 1, "letter dropped inside"),
    ("Kari Nordman", 1, "full name with a typo"),
    ("ola nordmann", 2, "the right Ola among Nordmann and Normann"),
    ("Ola Normann", 20, "the right Ola, exact"),
    ("Kåre", 3, "typed with the accent: Kåre before Kare"),
    ("kare", 4, "typed without: Kare before Kåre"),
    ("Kare Hansen", 4, "no accent typed, both names"),
    ("Odegard", 3, "Norwegian letters typed plainly"),
    ("Ødegaard", 3, "å spelt aa"),
    ("Bjorn Strom", 18, "ø spelt o"),
    ("Åse", 5, "Norwegian first name only"),
    ("Acme AS", 1, "company, whole"),
    ("Globex", 11, "company only"),
    ("Telenr", 7, "company with a typo"),
    ("912 34 567", 1, "local phone, spaced"),
    ("+47 912 34 567", 1, "international phone"),
    ("0047 91234567", 1, "00 prefix"),
    ("07700 900123", 10, "UK number with trunk zero"),
    ("34567", 1, "the end of a number"),
    ("siri.dahl@telenor.com", 7, "whole e-mail"),
    ("mobrien", 12, "e-mail local part"),
    ("initech.io", 12, "e-mail domain"),
    ("Siri", 7, "first name only"),
    ("Bakken", 9, "last name only"),
    ("Kristiansen", 14, "Kristiansen, not Kristian Larsen"),
    ("Kristian", 15, "Kristian, a whole first name, before Kristiansen"),
    ("anne marie", 13, "hyphenated name typed with a space"),
    ("O'Brien", 12, "apostrophe"),
    ("obrien", 12, "apostrophe left out"),
    ("Karin", 17, "Karin before Kari"),
    ("smyth", 11, "start of a name"),
    ("Jorgen", 8, "ø spelt o in a first name"),
]


@pytest.mark.parametrize(("query", "expected", "why"), FIRST, ids=[q for q, _, _ in FIRST])
def test_the_contact_meant_ranks_first(query: str, expected: int, why: str) -> None:
    hits = rank(query, BOOK)
    assert hits, f"nothing found for {query!r} ({why})"
    top = {h.id: next(r.name for r in BOOK if r.id == h.id) for h in hits[:3]}
    assert hits[0].id == expected, f"{query!r}: {why}; top three {top}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nordmann", {1, 2}),
        ("Kåre", {3, 4}),
        ("acme", {1, 19}),
        ("berg", {13, 17}),
        ("qwertyuiop", set()),
        ("91234", {1}),
    ],
)
def test_everyone_who_matches_and_no_one_else(query: str, expected: set[int]) -> None:
    assert {h.id for h in rank(query, BOOK)} >= expected
    if not expected:
        assert rank(query, BOOK) == []


def test_short_words_need_their_start_not_a_guess() -> None:
    """Three letters are too few for typos: "per" finds Per, not "Pet" or "Peer"."""
    assert [h.id for h in rank("per", BOOK)][:1] == [6]
    assert rank("pxr", BOOK) == []


def test_a_name_match_beats_the_same_word_in_an_e_mail() -> None:
    book = [row(1, "Per Hansen", None, "kari@hansen.no"), row(2, "Kari Lund")]
    assert [h.id for h in rank("kari", book)] == [2, 1]


def test_notes_bring_in_contacts_the_fields_do_not_match_after_field_matches() -> None:
    hits = rank("price", BOOK, note_hits=[9, 3])
    assert [(h.id, h.via_note) for h in hits] == [(9, True), (3, True)]  # by name
    by_name = rank("siri", BOOK, note_hits=[9])
    assert [h.id for h in by_name] == [7, 9]


def test_note_hits_of_unknown_contacts_are_ignored() -> None:
    assert rank("price", BOOK, note_hits=[999]) == []


def test_phone_numbers_are_not_read_from_short_digit_runs() -> None:
    assert phone_digits("912") is None
    assert phone_digits("+47 912 34 567") == "4791234567"
    assert phone_digits("0047 912") == "47912"
    assert phone_digits("Kari 912") is None
    assert phone_digits("0047") is None, "a country code alone is not a number to look for"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kari", True),
        ("Kari Nordmann, Acme AS", True),
        ("912 34 567", True),
        ("", False),
        ("   ", False),
        ("🙂", False),
        ("?!", False),
        ("She was worried about the price and wants a demo", False),
        ("Kari\nNordmann", False),
        ("x" * 65, False),
    ],
)
def test_what_bare_text_is_taken_as_a_search(text: str, expected: bool) -> None:
    assert looks_like_search(text) is expected


def test_a_clear_winner_stands_alone_or_well_ahead() -> None:
    assert clear_winner([Hit(1, 0.6)]) == Hit(1, 0.6)
    assert clear_winner([Hit(1, 1.0), Hit(2, 0.5)]) == Hit(1, 1.0)
    assert clear_winner([Hit(1, 1.0), Hit(2, 0.98)]) is None
    assert clear_winner([Hit(1, 0.8), Hit(2, 0.4)]) is None
    assert clear_winner([]) is None


def test_brief_lookups_tell_two_nordmanns_apart_only_by_first_name() -> None:
    assert clear_winner(rank("nordmann", BOOK)) is None
    winner = clear_winner(rank("kari nordmann", BOOK))
    assert winner is not None and winner.id == 1


def test_an_empty_book_or_query_finds_nothing() -> None:
    assert rank("kari", []) == []
    assert rank("   ", BOOK) == []
    assert rank("--", BOOK) == []


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
rows = st.builds(
    row,
    st.integers(1, 10_000),
    texts,
    st.none() | texts,
    st.none() | texts,
    st.none() | st.from_regex(r"\+\d{6,14}", fullmatch=True),
)


@given(query=texts, book=st.lists(rows, max_size=12), notes=st.sets(st.integers(0, 10_050)))
def test_ranking_never_raises_and_returns_only_candidates_best_first(
    query: str, book: list[Row], notes: set[int]
) -> None:
    hits = rank(query, book, note_hits=notes)
    ids = [h.id for h in hits]
    assert set(ids) <= {r.id for r in book}
    assert len(ids) == len(set(ids))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
