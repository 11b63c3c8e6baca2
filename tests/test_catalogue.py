"""Every text exists in both languages, with the same placeholders, as valid Telegram HTML."""

from __future__ import annotations

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
