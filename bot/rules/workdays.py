"""Working days where the seller lives: weekends and public holidays, offline.

A follow-up planned for 17 May or Christmas Day would ring on a day the customer is not at
work, so the date picker marks those days and can suggest the next working day instead. The
seller's country comes from their time zone (Babel's zone → territory table), the holidays
from the `holidays` package, named in the seller's language where it has that language.
Pure: no clock, no I/O; the tables are built once per country, year and language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from babel.core import get_global

from bot.rules.due_times import When, due_at

DEFAULT_COUNTRY = "NO"
SATURDAY = 5
SUNDAY = 6
# `holidays` language codes to try for each language the bot speaks, best first; a country
# without any of them names its holidays in its own language.
HOLIDAY_LANGUAGES = {"en": ("en_GB", "en_US", "en"), "nb": ("nb", "no", "nb_NO")}
# Norway's table lists every Sunday as a holiday named "Søndag" when `include_sundays` is on
# (the default in older versions): a Sunday is a weekend, not a named holiday.
SUNDAY_ARTEFACTS = frozenset({"søndag", "sunday"})
NAME_SEPARATOR = "; "  # how `holidays` joins two holidays on one day


def country_for_zone(zone: str) -> str:
    """The ISO country of an IANA zone ("Europe/Oslo" → "NO"); "NO" when it names none."""
    zone = get_global("zone_aliases").get(zone, zone)
    territory = get_global("zone_territories").get(zone)
    if isinstance(territory, str) and _is_country(territory):
        return territory
    return DEFAULT_COUNTRY


def _is_country(territory: str) -> bool:
    """Two capital letters, not "ZZ" (CLDR's "unknown"); "001" is the world."""
    return len(territory) == 2 and territory.isascii() and territory.isupper() and territory != "ZZ"


def _without_sundays(day: date, name: str) -> str:
    if day.weekday() != SUNDAY:
        return name
    parts = [p for p in name.split(NAME_SEPARATOR) if p.strip().casefold() not in SUNDAY_ARTEFACTS]
    return NAME_SEPARATOR.join(parts)


@cache
def _holidays(country: str, year: int, language: str) -> Mapping[date, str]:
    """The country's public holidays of one year by day, named in `language` if possible."""
    try:
        entity = holidays.country_holidays(country)  # no years: nothing computed yet
    except NotImplementedError:  # a country `holidays` does not know
        return MappingProxyType({})
    # Always name a language: left out, `holidays` guesses one from the process's locale.
    codes = HOLIDAY_LANGUAGES.get(language, ())
    wanted = next((c for c in codes if c in entity.supported_languages), entity.default_language)
    table = holidays.country_holidays(country, years=year, language=wanted)
    cleaned = {day: _without_sundays(day, str(name)) for day, name in table.items()}
    return MappingProxyType({day: name for day, name in cleaned.items() if name})


def holiday_name(day: date, country: str, language: str) -> str | None:
    """The public holiday on `day` ("Første juledag" / "Christmas Day"), or None."""
    return _holidays(country, day.year, language).get(day)


def is_working_day(day: date, country: str) -> bool:
    """Monday to Friday and not a public holiday in `country`."""
    return day.weekday() < SATURDAY and holiday_name(day, country, "en") is None


def next_working_day(day: date, country: str) -> date:
    """`day` itself when it is a working day, else the first one after it."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def on_next_working_day(instant: datetime, zone: str) -> datetime:
    """`instant` moved to the next working day in `zone`'s country, at the same local time."""
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz)
    day = next_working_day(local.date(), country_for_zone(zone))
    return datetime.combine(day, local.time(), tz)


def preset_due(days: int, *, zone: str, digest_hour: int, now: datetime) -> datetime:
    """A follow-up `days` ahead, at the seller's digest hour on that local day.

    Further out than tomorrow it skips weekends and public holidays of the seller's country:
    "in 2 weeks" that lands on 17 May means 18 May, not a day nobody works.
    """
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date() + timedelta(days=days)
    if days > 1:
        day = next_working_day(day, country_for_zone(zone))
    return due_at(When(day, None), zone=tz, default_hour=digest_hour)
