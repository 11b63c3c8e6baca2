"""Understanding a time zone the seller types, and the short list offered as buttons."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from storage.vocabulary import fold

COMMON_ZONES = (
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Dubai",
    "Asia/Tokyo",
)

# Names people type that the tz database spells differently.
ALIASES = {
    "norge": "Europe/Oslo",
    "norway": "Europe/Oslo",
    "sverige": "Europe/Stockholm",
    "sweden": "Europe/Stockholm",
    "danmark": "Europe/Copenhagen",
    "denmark": "Europe/Copenhagen",
    "finland": "Europe/Helsinki",
    "uk": "Europe/London",
    "england": "Europe/London",
    "tyskland": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "utc": "UTC",
    "gmt": "UTC",
    "københavn": "Europe/Copenhagen",
    "stockholm": "Europe/Stockholm",
}


def _fold(text: str) -> str:
    """Spaces for underscores, then plain words: "Sao_Paulo" and "são paulo" agree."""
    return fold(text.replace("_", " "))


@cache
def _index() -> dict[str, str]:
    """Every way a zone can be named: its full name and its city part."""
    index: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or zone.isupper():
            continue
        index.setdefault(_fold(zone), zone)
        index.setdefault(_fold(zone.rsplit("/", 1)[-1]), zone)
    index.update({_fold(alias): zone for alias, zone in ALIASES.items()})
    return index


def match_zone(typed: str) -> str | None:
    """The IANA zone the seller means by `typed` ("oslo", "Europe/Oslo", "Norge"), or None."""
    key = _fold(typed)
    if not key:
        return None
    return _index().get(key)


def local_clock(zone: str, now: datetime) -> str:
    """The wall-clock time now in `zone`, as HH:MM, to let the seller see the zone is right."""
    return now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
