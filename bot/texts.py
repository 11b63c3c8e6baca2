"""The message catalogue: every text a user sees, by key, in English and Norwegian Bokmål.

Catalogues are gettext `.po` files under `bot/locales/<language>/LC_MESSAGES`, one per feature,
read with Babel and compiled in memory at first use, so a fresh clone needs no build step and
a stale `.mo` can never shadow an edit.
Values given to a text are HTML-escaped unless wrapped in `Safe`, because every message is
sent with the HTML parse mode and user input must display exactly as typed.
"""

from __future__ import annotations

import gettext
import html
import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
# Each language the bot speaks, by its code, as its own speakers name it.
LANGUAGE_NAMES = {"en": "English", "nb": "Norsk bokmål"}
LANGUAGES = tuple(LANGUAGE_NAMES)
FALLBACK_LANGUAGE = "en"


class Safe(str):
    """Text that is already valid HTML (built from the catalogue), passed through unescaped."""

    __slots__ = ()


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark a key for extraction where it is stored in a table rather than looked up at once."""
    return key


def po_paths(language: str) -> list[Path]:
    """The language's catalogue files, one per feature (messages.po holds the shared texts)."""
    return sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po"))


def read_catalog(language: str) -> Catalog:
    """All of a language's files as one catalogue."""
    merged = Catalog(locale=language)
    for path in po_paths(language):
        with path.open("rb") as po_file:
            part = read_po(po_file, locale=language)
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@cache
def _translations(language: str) -> gettext.GNUTranslations:
    catalog = read_catalog(language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    if language != FALLBACK_LANGUAGE:
        translations.add_fallback(_translations(FALLBACK_LANGUAGE))
    return translations


def _escape(value: object) -> str:
    if isinstance(value, Safe):
        return str(value)
    return html.escape(str(value), quote=False)


class Texts:
    """Catalogue lookups for one language: `t("key", name=...)` and `t.plural(...)`."""

    __slots__ = ("_gettext", "language")

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else FALLBACK_LANGUAGE
        self._gettext = _translations(self.language)

    def __call__(self, key: str, **values: object) -> Safe:
        text = self._gettext.gettext(key)
        return Safe(text.format_map({k: _escape(v) for k, v in values.items()}) if values else text)

    def plain(self, key: str, **values: object) -> str:
        """For places Telegram shows as plain text (button labels, alerts): no escaping."""
        text = self._gettext.gettext(key)
        return text.format_map(values) if values else text

    def plural(self, key: str, plural_key: str, count: int, **values: object) -> Safe:
        text = self._gettext.ngettext(key, plural_key, count)
        escaped = {k: _escape(v) for k, v in values.items()}
        return Safe(text.format_map({"count": count, **escaped}))


def texts(language: str) -> Texts:
    return Texts(language)
