from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.phones import to_e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("4791234567", "+4791234567"),  # as Telegram shares a contact
        ("+47 912 34 567", "+4791234567"),
        ("912 34 567", "+4791234567"),  # typed locally in Norway
        ("0047 91234567", "+4791234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("14155552671", "+14155552671"),
    ],
)
def test_any_form_of_a_number_becomes_e164(raw: str, e164: str) -> None:
    assert to_e164(raw) == e164


@pytest.mark.parametrize("raw", ["", "abc", "123", "+47 12"])
def test_what_is_not_a_number_is_refused(raw: str) -> None:
    assert to_e164(raw) is None


@given(st.text(max_size=30))
def test_never_raises_and_answers_in_e164(raw: str) -> None:
    result = to_e164(raw)
    assert result is None or (result.startswith("+") and result[1:].isdigit())
