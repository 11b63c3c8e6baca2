"""Amounts as sellers type them, and the seller's currency (`bot.rules.money`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.money import currency_for_zone, parse_amount


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500", Decimal(12500)), ("12 500", Decimal(12500)), ("12.500", Decimal(12500)),
        ("12 500,50", Decimal("12500.50")), ("12,500.50", Decimal("12500.50")),
        ("kr 12.500", Decimal(12500)), ("12 500 kr", Decimal(12500)), ("500,-", Decimal(500)),
        ("NOK 3000", Decimal(3000)), ("1,5", Decimal("1.5")),
    ],
)  # fmt: skip
def test_amounts_in_the_ways_sellers_write_them(typed: str, amount: Decimal) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["", "a lot", "0", "-5", "12 50", "1.2.3,4", "12e3", "∞"])
def test_what_is_not_one_positive_amount_is_refused(typed: str) -> None:
    assert parse_amount(typed) is None


def test_the_currency_follows_the_sellers_time_zone() -> None:
    assert currency_for_zone("Europe/Oslo") == "NOK"
    assert currency_for_zone("Europe/Stockholm") == "SEK"
    assert currency_for_zone("Europe/Berlin") == "EUR"
    assert currency_for_zone("UTC") == "NOK"  # Norway when nothing better is known


@given(st.text(max_size=40))
def test_no_text_makes_the_reader_raise(text: str) -> None:
    amount = parse_amount(text)
    assert amount is None or amount > 0
