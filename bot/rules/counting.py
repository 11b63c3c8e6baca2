"""One definition of every number the seller sees about their book of contacts.

/contacts, /pipeline, its chart, /today and /status all count with these words:

- A contact is **active** unless marked do-not-contact. Stages count active contacts only,
  "now in each stage"; do-not-contact people are counted once, on their own, in no stage.
- **Not ready** is an active contact whose last meeting ended "not ready": a list of its own,
  and still counted in its stage.
- **Conversion** is cumulative: of all who ever reached a stage, how many ever reached the
  next one ("reached the next stage"), from the stage history. It is not a ratio of today's
  bars, which is why the chart says which is which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from storage.vocabulary import Outcome, Stage


@dataclass(frozen=True)
class Group:
    """How many of the seller's contacts share a stage, a do-not-contact mark and an outcome."""

    stage: Stage
    do_not_contact: bool
    outcome: Outcome | None
    count: int


@dataclass(frozen=True)
class BookCounts:
    in_stage: dict[Stage, int] = field(default_factory=lambda: dict.fromkeys(Stage, 0))
    not_ready: int = 0
    do_not_contact: int = 0

    @property
    def active(self) -> int:
        return sum(self.in_stage.values())

    @property
    def total(self) -> int:
        return self.active + self.do_not_contact


def count_book(groups: Iterable[Group]) -> BookCounts:
    """The book's numbers from its groups, by the definitions above."""
    in_stage, not_ready, dnc = dict.fromkeys(Stage, 0), 0, 0
    for group in groups:
        if group.do_not_contact:
            dnc += group.count
            continue
        in_stage[group.stage] += group.count
        if group.outcome is Outcome.NOT_READY:
            not_ready += group.count
    return BookCounts(in_stage, not_ready, dnc)


def conversion(reached: int, went_on: int) -> float | None:
    """Of `reached` who ever got to a stage, the share that ever got to the next one."""
    return None if reached == 0 else went_on / reached
