"""A complete qualification of a new contact is a handful of taps, one reply per tap.

The seller stands in a car park with one free hand: name typed, three criteria, no notes,
"Next week", birthday skipped. That must take at most 7 messages and taps, and every one of
them must be answered by exactly one new message or one edit, never a flood.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage

MOST_ACTIONS = 7

# (the seller's action, what it is): "send" types a message, "press" taps an inline button.
THREE_YES_NEXT_WEEK_SKIP = [
    ("press", "✅ Yes"),
    ("press", "✅ Yes"),
    ("press", "✅ Yes"),
    ("press", "Next week"),
    ("press", "Skip"),
]


@pytest.mark.parametrize(
    "opening",
    [
        pytest.param([("send", "/meet"), ("send", "Kari Nordmann")], id="meet-then-name"),
        pytest.param([("send", "/meet Kari Nordmann")], id="meet-with-name"),
    ],
)
async def test_qualifying_a_new_contact_takes_at_most_seven_actions_with_one_reply_each(
    bot: Prospekt, opening: list[tuple[str, str]]
) -> None:
    siri = bot.user(1001, first_name="Siri", language_code="en")
    actions = [*opening, *THREE_YES_NEXT_WEEK_SKIP]

    replies: list[list[BotMessage]] = []
    for kind, what in actions:
        reply = await (siri.send(what) if kind == "send" else siri.press(what))
        assert len(reply) == 1, f"{what!r} got {len(reply)} replies\n{siri.transcript()}"
        replies.append(reply)

    assert len(actions) == len(opening) + 5
    assert len(actions) <= MOST_ACTIONS
    # Typed text gets a new message; every tap edits the message it was made on.
    assert [reply.edited for [reply] in replies] == [False] * len(opening) + [True] * 5
    [card] = replies[-1]
    assert card.text.splitlines()[:4] == [
        "Kari Nordmann",
        "Prospect — meets all three",
        "⏳ In this stage since today",
        "✅ Market fit · ✅ Budget · ✅ Authority",
    ]
    assert card.text.splitlines()[-1].startswith("⏰ Next follow-up: ")
    assert "✅ Done" in card.labels
    # The whole conversation lives in as few chat messages as it has typed messages.
    assert len(siri.messages) == len(opening)
    assert bot.rows("SELECT stage FROM contact") == [("prospect",)]
