"""Sending at Telegram's pace: the `Pacer` on a fake clock, then the real bot against a fake
Telegram that enforces 30 messages/s overall and 1/s per chat (429 beyond)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path

import pytest

from bot.reminders.pacing import Pacer
from tests.e2e.dispatching import (
    Clock,
    DispatchBot,
    dispatch_bot,
    nudges_sent,
    only_delivery,
)
from tests.factories import T0, add_reminders, add_sellers
from tests.fakeapi import FakeTelegramServer


class FakeTime:
    """A monotonic clock that sleeping moves forward, instantly."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def pacer(time: FakeTime, **options: float) -> Pacer:
    return Pacer(monotonic=time, sleep=time.sleep, **options)  # type: ignore[arg-type]


def most_in_one_second(moments: list[float]) -> int:
    return max(sum(1 for m in moments if start <= m < start + 1.0) for start in moments)


async def test_messages_leave_evenly_spaced_under_30_a_second() -> None:
    time = FakeTime()
    pace = pacer(time)
    moments = []
    for chat in range(100):
        await pace.wait(chat)
        moments.append(time.now)

    assert most_in_one_second(moments) <= 29
    assert moments[-1] - moments[0] == pytest.approx(99 / 29)


async def test_one_chat_gets_at_most_one_message_a_second() -> None:
    time = FakeTime()
    pace = pacer(time)
    moments = []
    for _ in range(4):
        await pace.wait(7)
        moments.append(time.now)

    gaps = [b - a for a, b in pairwise(moments)]
    assert all(gap >= 1.1 - 1e-9 for gap in gaps)


async def test_a_429_stops_every_send_for_its_retry_after() -> None:
    time = FakeTime()
    pace = pacer(time)
    await pace.wait(1)
    pace.pause(3)
    paused_at = time.now

    await pace.wait(2)

    assert time.now >= paused_at + 3


async def test_the_real_time_window_holds_sends_to_the_burst() -> None:
    """Booked moments are spaced, but a busy event loop can wake senders late and bunch
    them up; what really left in the last second is checked too (here a burst of 5 under a
    booked pace of 29/s, with every other wake-up 0.3 s late)."""
    time = FakeTime()
    pace = pacer(time, burst=5)
    late = [False]

    async def late_sleep(seconds: float) -> None:
        late[0] = not late[0]
        time.now += seconds + (0.3 if late[0] else 0.0)

    pace._sleep = late_sleep
    moments = []
    for chat in range(30):
        await pace.wait(chat)
        moments.append(time.now)

    assert most_in_one_second(moments) <= 5
    assert moments[-1] - moments[0] < 7  # and it still gets on with it


async def test_a_chat_waits_its_interval_from_the_answer_to_its_last_message() -> None:
    """Telegram receives a message somewhere between its send and its answer: counted from
    the send, one held up on its way would reach the chat less than a second before the
    next."""
    time = FakeTime()
    pace = pacer(time)
    async with pace.sending(7):
        time.now += 0.3  # the answer takes 0.3 s
    answered = time.now

    await pace.wait(7)

    assert time.now >= answered + 1.1 - 1e-9


async def test_sends_count_in_the_window_until_they_are_answered() -> None:
    """However long their requests take to arrive, no more than the burst can reach
    Telegram in one second: each counts from its send until its answer."""
    time = FakeTime()
    pace = pacer(time, burst=5)
    spans: list[tuple[float, float]] = []

    async def send(chat: int, slow: bool) -> None:
        async with pace.sending(chat):
            started = time.now
            time.now += 0.4 if slow else 0.01
        spans.append((started, time.now))

    for chat in range(30):
        await send(chat, slow=chat % 3 == 0)

    # Any moment between a send and its answer may be when Telegram got it: at most 5
    # sends' spans touch any one-second window.
    for start, _ in spans:
        touching = [1 for s, e in spans if s < start + 1.0 and e >= start]
        assert len(touching) <= 5


@pytest.fixture
async def limited_telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(enforce_rate_limits=True) as server:
        yield server


@pytest.fixture
async def bot(
    limited_telegram: FakeTelegramServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[DispatchBot]:
    only_delivery(monkeypatch)
    async with dispatch_bot(limited_telegram, tmp_path / "prospekt.sqlite3", Clock()) as started:
        yield started


async def test_a_burst_of_due_reminders_goes_out_at_telegrams_pace_without_a_429(
    bot: DispatchBot, limited_telegram: FakeTelegramServer
) -> None:
    sellers = list(range(1001, 1046))  # 45 chats: more than a second's worth
    await add_sellers(bot.sessions, limited_telegram, sellers)
    ids = await add_reminders(bot.sessions, [*sellers, 1001, 1001], T0)  # 3 for one chat

    report = await bot.dispatch()

    assert report.delivered == len(ids) == 47
    assert limited_telegram.flood.rejected == 0
    assert report.rate_limited == 0
    assert nudges_sent(limited_telegram) == dict.fromkeys(ids, 1)
