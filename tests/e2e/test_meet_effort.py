"""A complete qualification of a new contact is a handful of taps, one reply per tap.

The seller stands in a car park with one free hand: name typed, three criteria, no notes,
"Next week", birthday skipped. That must take at most 7 messages and taps, and every one of
them must be answered by exactly one new message or one edit, never a flood.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import Prospekt
from tests.fakeapi import BotMessage, PhoneUser

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
        "✅ Market fit · ✅ Budget · ✅ Decision-maker",
    ]
    assert card.text.splitlines()[-1].startswith("⏰ Next follow-up: ")
    assert "✅ Done" in card.labels
    # The whole conversation lives in as few chat messages as it has typed messages.
    assert len(siri.messages) == len(opening)
    assert bot.rows("SELECT stage FROM contact") == [("prospect",)]


# --- the common captures, typed the way sellers type ---------------------------------------
# Each is counted until everything is saved: the birthday question that may follow is the
# last one, and moving on (a new command, a new meeting) closes the capture as it stands.
# ("send", text) types; ("press", label) taps. The README's table lists these counts.

Capture = list[tuple[str, str]]
NEW_PROSPECT: Capture = [
    ("send", "/meet Kari Nordmann, Acme AS"),
    ("press", "✅ Yes"),
    ("press", "✅ Yes"),
    ("press", "✅ Yes"),
    ("send", "next friday 10am"),
    ("send", "skip"),
]
NEW_LEAD_NOT_READY: Capture = [
    ("send", "/meet Ola Hansen, Hansen Bygg"),
    ("press", "✅ Yes"),
    ("press", "🤷 Not sure"),
    ("press", "✅ Yes"),
    ("send", "not ready"),
    ("send", "in 3 weeks"),
]
SAID_NO: Capture = [
    ("send", "/meet Per Olsen"),
    ("send", "yes"),
    ("send", "no"),
    ("send", "yes"),
    ("press", "🙅 Said no"),
    ("press", "✅ Yes, check in again in 3 months"),
]
EXISTING_BOUGHT: Capture = [
    ("send", "/meet Kari"),
    ("press", "✅ Yes, same person"),
    ("press", "👍 Keep"),
    ("press", "💰 Bought"),
    ("send", "12 500"),
    ("press", "Next week"),
]


async def run_capture(siri: PhoneUser, capture: Capture) -> None:
    for kind, what in capture:
        replies = await (siri.send(what) if kind == "send" else siri.press(what))
        assert replies, f"{what!r} got no answer\n{siri.transcript()}"


@pytest.mark.parametrize(
    ("capture", "most"),
    [
        pytest.param(NEW_PROSPECT, 6, id="new-prospect"),
        pytest.param(NEW_LEAD_NOT_READY, 6, id="new-lead-not-ready"),
        pytest.param(SAID_NO, 6, id="said-no"),
    ],
)
async def test_a_new_contact_is_captured_in_at_most_six_actions(
    bot: Prospekt, capture: Capture, most: int
) -> None:
    siri = bot.user(1001, first_name="Siri", language_code="en")

    await run_capture(siri, capture)

    assert len(capture) <= most
    [(follow_ups,)] = bot.rows("SELECT count(*) FROM reminder WHERE status = 'pending'")
    assert follow_ups == 1, "every capture ends with its next step saved"
    assert bot.rows("SELECT count(*) FROM interaction WHERE kind = 'note'") == [(0,)]


async def test_an_existing_contact_who_bought_takes_six_actions(bot: Prospekt) -> None:
    siri = bot.user(1001, first_name="Siri", language_code="en")
    await run_capture(siri, NEW_PROSPECT)

    await run_capture(siri, EXISTING_BOUGHT)

    assert len(EXISTING_BOUGHT) == 6
    assert bot.rows("SELECT stage, outcome FROM contact") == [("customer", "bought")]
    assert bot.rows("SELECT amount FROM sale") == [(12500,)]
    assert bot.rows("SELECT count(*) FROM contact") == [(1,)]
