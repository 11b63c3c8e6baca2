"""The one callback-data registry: every prefix encodes within 64 bytes and decodes back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import callbacks
from bot.ui.callbacks import Decoded, Prefix, decode

BIGGEST = 2**31 - 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (callbacks.meeting("a", 42, "m", "y"), Decoded(Prefix.MEETING, 42, "a", ("m", "y"))),
        (callbacks.meeting("new", 0), Decoded(Prefix.MEETING, 0, "new", ())),
        (callbacks.card(7), Decoded(Prefix.CARD, 7, "", ())),
        (callbacks.card(7, "res", "9"), Decoded(Prefix.CARD, 7, "res", ("9",))),
        (callbacks.reminder(3, "d"), Decoded(Prefix.REMINDER, 3, "d", ())),
        (callbacks.brief(5), Decoded(Prefix.BRIEF, 5, "", ())),
        (callbacks.undo(8), Decoded(Prefix.UNDO, 8, "", ())),
        (callbacks.lists("ld", 2), Decoded(Prefix.LISTS, None, "ld", ("2",))),
        (callbacks.zone("s", "Europe/Oslo"), Decoded(Prefix.ZONE, None, "s", ("Europe/Oslo",))),
        (callbacks.setting("quiet", 22, 7), Decoded(Prefix.SETTINGS, None, "quiet", ("22", "7"))),
        (callbacks.account("yes"), Decoded(Prefix.ACCOUNT, None, "yes", ())),
    ],
)
def test_each_prefix_decodes_what_it_encoded(data: str, expected: Decoded) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    "forged", ["c:²", "c:-1", "c:abc", f"c:{BIGGEST + 1}", "r:", "m:a", "m:a:1e3", "u:00x"]
)
def test_a_forged_id_names_no_row(forged: str) -> None:
    decoded = decode(forged)
    assert decoded is not None and decoded.target is None


@pytest.mark.parametrize("unknown", ["", "x", "zz:1", "C:1", "card:1", ":c:1"])
def test_a_prefix_nobody_registered_decodes_to_nothing(unknown: str) -> None:
    assert decode(unknown) is None


def test_data_over_64_bytes_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.zone("s", "Ø" * 40)


@given(st.text(max_size=80))
def test_decoding_never_raises(data: str) -> None:
    decode(data)


@given(st.integers(min_value=0, max_value=BIGGEST), st.sampled_from(["e", "start", "mv", "a"]))
def test_the_largest_meeting_buttons_fit(contact_id: int, action: str) -> None:
    data = callbacks.meeting(action, contact_id, "follow")
    assert len(data.encode()) <= 64
    assert decode(data) == Decoded(Prefix.MEETING, contact_id, action, ("follow",))
