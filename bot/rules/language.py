"""Which catalogue a seller gets."""

from __future__ import annotations

NORWEGIAN_CODES = frozenset({"nb", "no", "nn"})


def language_for(telegram_code: str | None, default: str | None = None) -> str:
    """The configured default wins; else Norwegian for any Norwegian variant; else English.

    Telegram sends IETF tags such as "nb", "no", "nn" or "en-GB".
    """
    if default is not None:
        return default
    base = (telegram_code or "").split("-")[0].lower()
    return "nb" if base in NORWEGIAN_CODES else "en"
