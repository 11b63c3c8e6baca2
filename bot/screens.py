"""Texts of screens shown from more than one place (the settings summary)."""

from __future__ import annotations

from datetime import datetime

from bot.rules.timezones import local_clock
from bot.texts import Safe, Texts
from storage.models import Seller

LANGUAGE_NAMES = {"en": "English", "nb": "Norsk bokmål"}


def quiet_label(t: Texts, start: int, end: int) -> Safe:
    if start == end:
        return t("settings.quiet.off")
    return t("settings.quiet.range", start=f"{start:02d}:00", end=f"{end:02d}:00")


def settings_summary(t: Texts, seller: Seller, now: datetime) -> Safe:
    return t(
        "settings.summary",
        language=LANGUAGE_NAMES.get(seller.language, seller.language),
        zone=seller.timezone,
        clock=local_clock(seller.timezone, now),
        digest=f"{seller.digest_hour:02d}:00",
        quiet=quiet_label(t, seller.quiet_start_hour, seller.quiet_end_hour),
    )
