"""Money as a seller types it: "12 500", "12500,50", "kr 12.500", "1,2 mill" is too clever.

One amount, in the seller's currency (the one of their time zone's country, Babel's data),
with space, dot or comma grouping; the last dot or comma followed by one or two digits is
the decimal separator. Anything else is not an amount.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import get_territory_currencies

from bot.rules.workdays import country_for_zone

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
_CURRENCY_WORDS = re.compile(
    r"(?i)^(?:kr\.?|nok|sek|dkk|eur|usd|€|\$|£)|(?:kr\.?|,-|nok|sek|dkk|eur|usd|€|\$|£)$"
)
_SHAPE = re.compile(r"^\d{1,3}(?:[ \u00a0.,']?\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$")


def currency_for_zone(zone: str) -> str:
    """The seller's currency: their time zone's country's (NOK for Europe/Oslo)."""
    found = get_territory_currencies(country_for_zone(zone))
    return found[0] if found else "NOK"


def parse_amount(text: str) -> Decimal | None:
    """The amount typed, or None when the text is not one amount (or is zero or negative)."""
    cleaned = _CURRENCY_WORDS.sub("", text.strip()).strip()
    if not cleaned or not _SHAPE.fullmatch(cleaned):
        return None
    decimals = re.search(r"[.,](\d{1,2})$", cleaned)
    whole = cleaned[: decimals.start()] if decimals else cleaned
    digits = re.sub(r"\D", "", whole) + ("." + decimals.group(1) if decimals else "")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        return None
    return amount if Decimal(0) < amount <= MAX_AMOUNT else None
