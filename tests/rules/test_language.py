from __future__ import annotations

import pytest

from bot.rules.language import language_for


@pytest.mark.parametrize("code", ["nb", "no", "nn", "nb-NO", "NO"])
def test_norwegian_telegram_languages_get_bokmal(code: str) -> None:
    assert language_for(code) == "nb"


@pytest.mark.parametrize("code", ["en", "en-GB", "de", "sv", None, ""])
def test_other_languages_get_english(code: str | None) -> None:
    assert language_for(code) == "en"


def test_configured_default_language_wins_over_telegram() -> None:
    assert language_for("en", default="nb") == "nb"
    assert language_for("nb", default="en") == "en"
