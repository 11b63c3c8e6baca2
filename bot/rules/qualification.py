"""Lead or prospect, and where a sales outcome moves a contact on the pipeline.

A prospect meets all three criteria (market fit, budget, authority); anything less is a lead.
Customers and repeat buyers never slide back automatically: once someone has bought, a
changed answer does not unmake the sale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storage.vocabulary import Answer, Criterion, Outcome, Stage

CRITERIA = tuple(Criterion)  # in the order they are asked
WON = frozenset({Stage.CUSTOMER, Stage.REPEAT})


@dataclass(frozen=True)
class Verdict:
    """The stage a contact belongs in, and the criteria that keep a lead from qualifying."""

    stage: Stage
    missing: tuple[tuple[Criterion, Answer], ...] = ()


def qualifies(answers: Mapping[Criterion, Answer]) -> bool:
    return all(answers.get(criterion) is Answer.YES for criterion in CRITERIA)


def classify(answers: Mapping[Criterion, Answer]) -> Verdict:
    """Prospect exactly when all three are Yes; otherwise a lead, with what is missing."""
    missing = tuple(
        (criterion, answers.get(criterion, Answer.UNKNOWN))
        for criterion in CRITERIA
        if answers.get(criterion) is not Answer.YES
    )
    return Verdict(Stage.LEAD if missing else Stage.PROSPECT, missing)


def next_stage(
    current: Stage, answers: Mapping[Criterion, Answer], outcome: Outcome | None = None
) -> Stage:
    """Where the contact stands after this meeting.

    Bought: a first purchase makes a customer, a later one a repeat buyer. Otherwise the
    answers decide between lead and prospect, except that a won contact stays won.
    """
    if outcome is Outcome.BOUGHT:
        return Stage.REPEAT if current in WON else Stage.CUSTOMER
    if current in WON:
        return current
    return classify(answers).stage


def unknown_criteria(answers: Mapping[Criterion, Answer]) -> list[Criterion]:
    """The questions still worth asking, in the order they are asked."""
    return [c for c in CRITERIA if answers.get(c, Answer.UNKNOWN) is Answer.UNKNOWN]


def asks_outcome(stage_before: Stage) -> bool:
    """ "How did it go?" is asked of those already qualified before this meeting."""
    return stage_before is not Stage.LEAD
