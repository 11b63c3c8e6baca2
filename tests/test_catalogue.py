"""Every text exists in both languages, with the same placeholders, as valid Telegram HTML."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.texts import LANGUAGES, Texts, po_paths, read_catalog
from tests.fakeapi import HtmlError, parse_html

BOT_DIR = Path(__file__).resolve().parents[1] / "bot"
KEYWORDS = {"t": None, "plain": None, "N_": None, "plural": (1, 2)}


def catalogue(language: str) -> Catalog:
    return read_catalog(language)


def entries(language: str) -> dict[str, str]:
    return {
        str(message.id): str(message.string)
        for message in catalogue(language)
        if message.id and isinstance(message.string, str)
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def keys_in_code() -> set[str]:
    found: set[str] = set()
    for *_, message, _comments, _context in extract_from_dir(
        BOT_DIR, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.update([message] if isinstance(message, str) else message)
    return found


def test_each_feature_file_exists_in_both_languages_and_no_key_is_defined_twice() -> None:
    english, norwegian = ([p.name for p in po_paths(lang)] for lang in LANGUAGES)
    assert english == norwegian
    for language in LANGUAGES:
        keys: list[str] = []
        for path in po_paths(language):
            with path.open("rb") as po_file:
                keys += [str(m.id) for m in read_po(po_file, locale=language) if m.id]
        assert len(keys) == len(set(keys)), f"a key is defined in two {language} files"


def test_both_languages_have_the_same_keys() -> None:
    assert set(entries("en")) == set(entries("nb"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_empty_or_fuzzy(language: str) -> None:
    empty = [key for key, text in entries(language).items() if not text.strip()]
    fuzzy = [str(message.id) for message in catalogue(language) if message.id and message.fuzzy]
    assert (empty, fuzzy) == ([], [])


def test_placeholders_agree_between_languages() -> None:
    english, norwegian = entries("en"), entries("nb")
    differing = {
        key: (placeholders(english[key]), placeholders(norwegian[key]))
        for key in english
        if placeholders(english[key]) != placeholders(norwegian.get(key, ""))
    }
    assert differing == {}


def test_every_key_the_code_uses_is_in_the_catalogue_and_none_is_unused() -> None:
    used, known = keys_in_code(), set(entries("en"))
    assert (sorted(used - known), sorted(known - used)) == ([], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_valid_telegram_html_with_hostile_values(language: str) -> None:
    t = Texts(language)
    hostile = '<b>&"Kari</b>'
    broken = {}
    for key, text in entries(language).items():
        rendered = t(key, **dict.fromkeys(placeholders(text), hostile))
        try:
            parse_html(rendered)
        except HtmlError as error:
            broken[key] = str(error)
    assert broken == {}


def test_norwegian_is_really_norwegian() -> None:
    """A missing catalogue would silently fall back to English; catch that here."""
    assert Texts("nb")("button.back") != Texts("en")("button.back")


# --- the word table (docs/PRODUCT.md, "Words used in the code and the texts") -------------

# Norwegian words the table retires, as the stem that catches every form and compound
# ("Bekymringer", "Telefonsamtale"), with the word to use instead.
RETIRED_NB = {
    "bekymring": (r"\w*bekymr\w*", "åpent spørsmål / innvending"),
    "betalingsevne": (r"\w*betalingsevne\w*", "budsjett"),
    "beslutningsmyndighet": (r"\w*beslutningsmyndighet\w*", "beslutter"),
    "gjenkjøper": (r"\w*gjenkjøp\w*", "fast kunde / faste kunder"),
    "stamkunde": (r"\w*stamkunde\w*", "fast kunde / faste kunder"),
    "trinn": (r"\w*trinn\w*", "fase"),
    "forfaller": (r"\w*forfall\w*", "kommer / i dag"),
    "samtale": (r"\w*samtale\w*", "aktivitet (møte, telefon, notat)"),
}
# English words replaced everywhere by the table's: open question / objection, the
# decision-maker criterion, activity.
RETIRED_EN = {
    "concern": (r"\w*concern\w*", "open question / objection"),
    "authority": (r"\w*authorit\w*", "decision-maker"),
    "interaction": (r"\w*interaction\w*", "activity"),
}
# The texts that name a concept, and the table's word for it in each language.
CONCEPT_WORDS = {
    "stage": (
        ["book.card.in_stage", "book.button.stage", "brief.stage", "pipeline.stuck.title"],
        {"en": "stage", "nb": "fase"},
    ),
    "repeat buyer": (["stage.repeat"], {"en": "repeat buyer", "nb": "fast kunde"}),
    "repeat buyers": (
        ["book.filter.repeat", "pipeline.stage.repeat"],
        {"en": "repeat buyers", "nb": "faste kunder"},
    ),
    "activity": (["book.card.recent"], {"en": "activities", "nb": "aktiviteter"}),
    "open questions": (
        [
            "card.concerns",
            "brief.concerns",
            "reminder.concerns",
            "book.button.concerns",
            "book.button.concerns_n",
            "book.concerns.title",
        ],
        {"en": "open questions", "nb": "åpne spørsmål"},
    ),
    "objection": (
        ["book.ask.note", "book.ask.concern", "meet.notes_hint"],
        {"en": "objection", "nb": "innvending"},
    ),
    "follow-up": (
        ["card.follow_up", "book.button.follow_up"],
        {"en": "follow-up", "nb": "oppfølging"},
    ),
    "morning digest": (
        ["settings.button.digest", "status.kind.digest"],
        {"en": "morning digest", "nb": "morgenoversikt"},
    ),
}
CRITERIA = {
    "market_fit": {"en": "Market fit", "nb": "Målgruppe"},
    "budget": {"en": "Budget", "nb": "Budsjett"},
    "authority": {"en": "Decision-maker", "nb": "Beslutter"},
}
UNKNOWN = {"en": "unknown", "nb": "ukjent"}
# Placeholders that stand for one contact: Norwegian then says "han/hun" or the first name.
ONE_CONTACT = {"name", "who"}
PLURAL_PRONOUNS_NB = re.compile(r"\b(de|dem|deres)\b", re.IGNORECASE)


def retired_words_in(language: str, retired: dict[str, tuple[str, str]]) -> list[str]:
    """One line per retired word found: the key, the word, what was written, what to use."""
    found = []
    for key, text in sorted(entries(language).items()):
        for word, (stem, instead) in retired.items():
            for match in re.finditer(stem, text, re.IGNORECASE):
                found.append(f"{key}: «{match.group()}» is retired ({word}); say {instead}")
    return found


def test_norwegian_uses_none_of_the_retired_words() -> None:
    found = retired_words_in("nb", RETIRED_NB)
    assert not found, "\n".join(found)


def test_english_uses_none_of_the_replaced_words() -> None:
    found = retired_words_in("en", RETIRED_EN)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_concept_is_named_with_the_one_word_of_the_table(language: str) -> None:
    texts = entries(language)
    wrong = [
        f"{key}: should say «{words[language]}» for {concept}, says «{texts[key]}»"
        for concept, (keys, words) in CONCEPT_WORDS.items()
        for key in keys
        if words[language].casefold() not in texts[key].casefold()
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_three_criteria_have_the_same_names_everywhere(language: str) -> None:
    """The label on the card, the word in /brief and the reason a lead is still a lead."""
    texts = entries(language)
    expected: dict[str, str] = {}
    actual: dict[str, str] = {}
    for criterion, names in CRITERIA.items():
        name = names[language]
        keys = (f"criterion.{criterion}", f"brief.criterion.{criterion}")
        expected |= dict(zip(keys, (name, name.lower()), strict=True))
        expected[f"reason.{criterion}.unknown"] = f"{name.lower()} {UNKNOWN[language]}"
        actual |= {key: texts[key] for key in (*keys, f"reason.{criterion}.unknown")}
    assert actual == expected


def test_norwegian_never_calls_one_contact_de_or_dem() -> None:
    """A text about one contact ({name}, {who}) says "han/hun", "personen" or the name."""
    wrong = [
        f"{key}: «{match.group()}» about one contact; say han/hun, personen or the name"
        for key, text in sorted(entries("nb").items())
        if placeholders(text) & ONE_CONTACT
        for match in PLURAL_PRONOUNS_NB.finditer(text)
    ]
    assert not wrong, "\n".join(wrong)
