from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.qualification import (
    CRITERIA,
    asks_outcome,
    classify,
    next_stage,
    unknown_criteria,
)
from storage.vocabulary import Answer, Criterion, Outcome, Stage

answers_strategy = st.fixed_dictionaries({c: st.sampled_from(list(Answer)) for c in CRITERIA})
YES = dict.fromkeys(CRITERIA, Answer.YES)


def test_all_three_yes_makes_a_prospect() -> None:
    assert classify(YES).stage is Stage.PROSPECT
    assert classify(YES).missing == ()


@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("answer", [Answer.NO, Answer.UNKNOWN])
def test_one_no_or_not_sure_keeps_a_lead_and_says_which(
    criterion: Criterion, answer: Answer
) -> None:
    verdict = classify({**YES, criterion: answer})
    assert verdict.stage is Stage.LEAD
    assert verdict.missing == ((criterion, answer),)


@given(answers_strategy)
def test_prospect_exactly_when_all_three_are_yes(answers: dict[Criterion, Answer]) -> None:
    expected = Stage.PROSPECT if all(a is Answer.YES for a in answers.values()) else Stage.LEAD
    assert classify(answers).stage is expected


@given(answers_strategy, st.sampled_from([None, Outcome.INTERESTED, Outcome.NOT_READY]))
def test_customers_never_slide_back(
    answers: dict[Criterion, Answer], outcome: Outcome | None
) -> None:
    assert next_stage(Stage.CUSTOMER, answers, outcome) is Stage.CUSTOMER
    assert next_stage(Stage.REPEAT, answers, outcome) is Stage.REPEAT


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Stage.LEAD, Stage.CUSTOMER),
        (Stage.PROSPECT, Stage.CUSTOMER),
        (Stage.CUSTOMER, Stage.REPEAT),
        (Stage.REPEAT, Stage.REPEAT),
    ],
)
def test_a_purchase_makes_a_customer_then_a_repeat_buyer(before: Stage, after: Stage) -> None:
    assert next_stage(before, {}, Outcome.BOUGHT) is after


def test_a_prospect_who_turns_out_unable_to_decide_is_a_lead_again() -> None:
    assert next_stage(Stage.PROSPECT, {**YES, Criterion.AUTHORITY: Answer.NO}) is Stage.LEAD


def test_said_no_does_not_change_the_stage_the_answers_give() -> None:
    assert next_stage(Stage.PROSPECT, YES, Outcome.SAID_NO) is Stage.PROSPECT


def test_only_unknown_criteria_are_asked_in_order() -> None:
    known = {Criterion.BUDGET: Answer.YES, Criterion.MARKET_FIT: Answer.UNKNOWN}
    assert unknown_criteria(known) == [Criterion.MARKET_FIT, Criterion.AUTHORITY]
    assert unknown_criteria(YES) == []


def test_how_it_went_is_asked_once_qualified() -> None:
    assert not asks_outcome(Stage.LEAD)
    assert all(asks_outcome(stage) for stage in (Stage.PROSPECT, Stage.CUSTOMER, Stage.REPEAT))
