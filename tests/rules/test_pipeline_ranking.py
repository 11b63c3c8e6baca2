"""/today's order and /pipeline's stuck list: urgent first, and the same whatever came first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.pipeline import Focus, FocusItem, Stuck, rank, rank_stuck
from storage.vocabulary import Criterion, Stage

NOW = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)


def item(focus: Focus, contact_id: int, **fields: object) -> FocusItem:
    return FocusItem(focus, contact_id, f"Contact {contact_id}", **fields)  # type: ignore[arg-type]


def test_the_day_is_ranked_by_urgency_then_by_chance() -> None:
    items = [
        item(Focus.QUIET, 1, when=NOW - timedelta(days=90), days=90, period=60),
        item(Focus.ONE_ANSWER, 2, when=NOW - timedelta(days=3), missing=Criterion.BUDGET),
        item(Focus.NO_NEXT_STEP, 3, when=NOW - timedelta(days=20)),
        item(Focus.BIRTHDAY, 4, days=3),
        item(Focus.FOLLOW_UP, 5, when=NOW - timedelta(hours=2)),
        item(Focus.FOLLOW_UP, 6, when=NOW - timedelta(days=4)),
        item(Focus.BIRTHDAY, 7, days=0),
    ]
    assert [i.contact_id for i in rank(items, 10)] == [7, 6, 5, 4, 3, 2, 1]


def test_within_a_kind_the_longest_waiting_comes_first() -> None:
    items = [
        item(Focus.NO_NEXT_STEP, 1, when=NOW - timedelta(days=2)),
        item(Focus.NO_NEXT_STEP, 2, when=NOW - timedelta(days=40)),
        item(Focus.QUIET, 3, days=70, period=60),
        item(Focus.QUIET, 4, days=200, period=90),
        item(Focus.BIRTHDAY, 5, days=6),
        item(Focus.BIRTHDAY, 6, days=1),
    ]
    assert [i.contact_id for i in rank(items, 10)] == [6, 5, 2, 1, 4, 3]


def test_the_list_is_capped() -> None:
    items = [item(Focus.FOLLOW_UP, n, when=NOW - timedelta(hours=n)) for n in range(1, 15)]
    ranked = rank(items, 10)
    assert len(ranked) == 10
    assert ranked[0].contact_id == 14
    assert rank(items, 0) == []


focus_items = st.builds(
    FocusItem,
    focus=st.sampled_from(Focus),
    contact_id=st.integers(1, 50),
    name=st.sampled_from(["Kari", "kari", "Åse", "Ola", '<b>&"']),
    when=st.none() | st.integers(-1000, 1000).map(lambda h: NOW + timedelta(hours=h)),
    days=st.integers(0, 400),
    period=st.sampled_from([7, 14, 30, 60, 90]),
)


@given(items=st.lists(focus_items, max_size=30), data=st.data())
def test_ranking_is_the_same_whatever_order_the_items_came_in(
    items: list[FocusItem], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    assert rank(shuffled, 10) == rank(items, 10)


@given(items=st.lists(focus_items, max_size=30), limit=st.integers(0, 40))
def test_a_shorter_list_is_the_start_of_the_longer_one(items: list[FocusItem], limit: int) -> None:
    assert rank(items, limit) == rank(items, 100)[:limit]


def test_the_most_overdue_stuck_contact_comes_first_and_prospects_win_a_tie() -> None:
    stuck = [
        Stuck(1, "Lead long ago", Stage.LEAD, days=45, period=30),  # 15 over
        Stuck(2, "Prospect", Stage.PROSPECT, days=29, period=14),  # 15 over
        Stuck(3, "Customer", Stage.CUSTOMER, days=100, period=60),  # 40 over
        Stuck(4, "Repeat", Stage.REPEAT, days=91, period=90),  # 1 over
    ]
    assert [s.contact_id for s in rank_stuck(stuck, 3)] == [3, 2, 1]


stucks = st.builds(
    Stuck,
    contact_id=st.integers(1, 40),
    name=st.sampled_from(["Kari", "Ola", "Åse"]),
    stage=st.sampled_from(Stage),
    days=st.integers(0, 400),
    period=st.sampled_from([7, 14, 30, 60, 90]),
)


@given(stuck=st.lists(stucks, max_size=30), data=st.data())
def test_stuck_ranking_is_stable(stuck: list[Stuck], data: st.DataObject) -> None:
    assert rank_stuck(data.draw(st.permutations(stuck)), 5) == rank_stuck(stuck, 5)
