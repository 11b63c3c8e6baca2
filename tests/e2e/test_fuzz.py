"""Random sequences of what a seller's phone can send, on SQLite and PostgreSQL.

Hypothesis writes each sequence: typed texts (arbitrary Unicode, 10,000 characters, control
characters, RTL and zero-width marks, lone surrogates, the words sellers type), commands, real
button presses and forged callback data. After every step the bot must not have hit its
error handler nor made a call the fake Telegram refused; at the end `/cancel` must get the
seller out of whatever was open (a second `/cancel` finds nothing to stop).

Time-bounded: examples stop being run after `BUDGET` seconds per backend; what ran is printed
(`pytest -s`) as counts.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import COMMANDS
from bot.ui.callbacks import DATA_MAX, Prefix
from tests.e2e.harness import Prospekt
from tests.fakeapi import ApiCall, FakeTelegramServer, PhoneUser

BUDGET = 45.0  # seconds of examples per backend
EXAMPLES = 150  # at most; the budget usually ends it first

CANCELLED = {
    "Stopped. Everything you saved before is kept.",
    "Avbrutt. Alt du har lagret fra før, er tatt vare på.",
}
NOTHING_TO_CANCEL = {
    "There's nothing to stop. /help shows what I can do.",
    "Det er ingenting å avbryte. /help viser hva jeg kan.",
}

# What sellers type, in both languages: answers, dates, names with æøå, money, markup.
WORDS = [
    "yes", "Yes!", "ja", "Ja", "no", "nei", "skip", "Skip", "hopp over", "vet ikke", "?",
    "tomorrow", "i morgen", "next friday", "neste fredag", "3.12", "31.02", "2026-13-45",
    "in 2 weeks", "om 2 uker", "14:30", "Kari Nordmann", "Åse Ødegård", "Ørjan Østli",
    "Ærlig Bæ AS", "+47 912 34 567", "kari@example.no", "1 000 kr", "NOK 250k", "-5",
    "0", "99999999999999999999999", "<b>bold", "&amp;", "<i>unclosed", "</a>", "{name}",
    "%s", "'; DROP TABLE contact; --", "1e309", "nan",
]  # fmt: skip
# Characters a database, an HTML parser or a text layout chokes on.
HOSTILE = (
    "\x00\x01\x07\x08\x0b\x1b\x7f\x85\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
    "\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\ufffd\ufffe\ud800\udbff\udfff"
    "æøåÆØÅ🙂👍🏽‍👨‍👩‍👧\U0010ffff<>&\"'\\/:\n\t "
)
SELLER_COMMANDS = [f"/{command.name}" for command in COMMANDS]


def _typeable(text: str) -> bool:
    return bool(text.strip())


texts = st.one_of(
    st.sampled_from(WORDS),
    st.text(min_size=1, max_size=300),
    st.text(alphabet=HOSTILE, min_size=1, max_size=60),
    st.builds(
        lambda piece, n: (piece * n)[:10_000],
        st.text(alphabet=HOSTILE + "abcæøå ", min_size=1, max_size=5),
        st.just(10_000),
    ),
).filter(_typeable)
commands = st.one_of(
    st.sampled_from(SELLER_COMMANDS),
    st.builds(lambda c, arg: f"{c} {arg}", st.sampled_from(SELLER_COMMANDS), texts),
    st.from_regex(r"/[a-z_]{1,20}(@[A-Za-z]{1,10}bot)?", fullmatch=True),
)


def _fits(data: str) -> bool:
    return 0 < len(data.encode("utf-8", "surrogatepass")) <= DATA_MAX


part = st.one_of(
    st.integers(-(2**63), 2**63),
    st.sampled_from(["", "x", "card", "edit", "del", "delok", "res", "follow", "notes", "²"]),
    st.text(max_size=8),
)
forged_data = st.one_of(
    st.text(min_size=1, max_size=64),
    st.builds(
        lambda prefix, parts: ":".join([prefix, *map(str, parts)]),
        st.sampled_from([prefix.value for prefix in Prefix] + ["zz", ""]),
        st.lists(part, max_size=4),
    ),
).filter(_fits)


@dataclass(frozen=True)
class Type:
    text: str


@dataclass(frozen=True)
class Press:
    """Press the n-th button (modulo their count) of the latest message with buttons."""

    n: int


@dataclass(frozen=True)
class Forge:
    data: str


@dataclass(frozen=True)
class Tap:
    """Tap the n-th button of the reply keyboard shown, if one is."""

    n: int


Step = Type | Press | Forge | Tap

steps = st.one_of(
    texts.map(Type),
    commands.map(Type),
    st.integers(0, 50).map(Press),
    st.integers(0, 50).map(Press),
    st.integers(0, 50).map(Press),
    forged_data.map(Forge),
    st.integers(0, 20).map(Tap),
)


# Where a sequence starts: cold, or a few steps into a flow, so presses have buttons to hit.
OPENINGS: list[list[Step]] = [
    [],
    [Type("/start")],
    [Type("/meet")],
    [Type("/meet Åse Ødegård")],
    [Type("/meet"), Type("Ørjan Østli"), Type("Bæ AS")],
    [Type("/meet Kari"), Press(0), Press(0)],
    [Type("/settings")],
    [Type("/contacts")],
    [Type("/today")],
    [Type("/pipeline")],
]


@dataclass
class Tally:
    """What the fuzzer did, for the closing count."""

    deadline: float
    user_ids: Iterator[int] = field(default_factory=lambda: itertools.count(50_000))
    sequences: int = 0
    steps: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    def count(self, step: Step) -> None:
        self.steps += 1
        name = type(step).__name__
        if isinstance(step, Type):
            if step.text.startswith("/"):
                name = "Command"
            elif len(step.text) >= 10_000:
                name = "Type 10,000 chars"
            elif any(char in HOSTILE[:32] for char in step.text):
                name = "Type with controls/marks/surrogates"
        self.kinds[name] = self.kinds.get(name, 0) + 1


class ErrorLog(logging.Handler):
    """Records of the bot's error handler and of the library's own unhandled errors."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    loggers = [logging.getLogger("bot"), logging.getLogger("telegram")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


async def perform(seller: PhoneUser, step: Step) -> bool:
    """Do `step`; False when it could not be done (no buttons on screen to press)."""
    match step:
        case Type(text):
            await seller.send(text)
        case Press(n):
            message = next((m for m in reversed(seller.messages) if m.inline_keyboard), None)
            if message is None:
                return False
            pressable = [label for label in message.labels if label in message.callback_data]
            if not pressable:
                return False
            await seller.press(pressable[n % len(pressable)], message=message)
        case Forge(data):
            if not any(m.inline_keyboard for m in seller.messages):
                return False
            await seller.press_data(data)
        case Tap(n):
            labels = [label for row in seller.reply_keyboard for label in row]
            if not labels:
                return False
            await seller.tap_reply_button(labels[n % len(labels)])
    return True


def _refusals(telegram: FakeTelegramServer) -> list[ApiCall]:
    """Calls Telegram refused, but for one the bot expects and ignores: taking the buttons
    off a message that has none left. An update handled again after a passing failure (its
    replies are at-least-once) takes them off a second time."""
    return [
        call
        for call in telegram.errors
        if not (
            call.method == "editMessageReplyMarkup"
            and "reply_markup" not in call.params
            and "not modified" in (call.description or "")
        )
    ]


def _refused(telegram: FakeTelegramServer, seller_id: int, where: str) -> str:
    """The first refused call, with the transcript of its own chat: it may be an earlier
    example's seller (a retried update), not the one whose step just ran."""
    refused = _refusals(telegram)[0]
    chat = refused.params.get("chat_id")
    if not isinstance(chat, int) or chat == seller_id:
        return f"{refused} after {where}"
    other = telegram.user(chat).transcript()[-3000:]
    return f"{refused}\nin chat {chat}:\n{other}\n\nafter {where}"


@pytest.fixture
def tally(db_backend: str) -> Iterator[Tally]:
    """Shared by the examples of one run; its counts are printed at the end."""
    counts = Tally(deadline=time.monotonic() + BUDGET)
    yield counts
    print(f"\nfuzz on {db_backend}: {counts}")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    language=st.sampled_from(["en", "nb", None, "de"]),
    opening=st.sampled_from(OPENINGS),
    sequence=st.lists(steps, min_size=1, max_size=12),
)
async def test_random_sequences_never_crash_and_cancel_always_gets_out(
    any_bot: Prospekt,
    telegram: FakeTelegramServer,
    error_log: ErrorLog,
    tally: Tally,
    language: str | None,
    opening: list[Step],
    sequence: list[Step],
) -> None:
    if time.monotonic() > tally.deadline:
        tally.skipped += 1
        return
    tally.sequences += 1
    seller = any_bot.user(next(tally.user_ids), first_name="Åse", language_code=language)
    for index, step in enumerate([*opening, *sequence]):
        if await perform(seller, step):
            tally.count(step)
        where = f"step {index} {step!r}\n{seller.transcript()[-3000:]}"
        assert not error_log.records, f"{error_log.records[0].getMessage()} after {where}"
        assert not _refusals(telegram), _refused(telegram, seller.user_id, where)
    first = await seller.send("/cancel")
    assert first[-1].text in CANCELLED | NOTHING_TO_CANCEL, seller.transcript()[-3000:]
    second = await seller.send("/cancel")
    assert second[-1].text in NOTHING_TO_CANCEL, seller.transcript()[-3000:]
