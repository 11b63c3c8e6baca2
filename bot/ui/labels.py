"""The names the seller reads for the domain's words: stages, criteria, answers, outcomes.

One table per word, used by every screen, so a stage is called the same everywhere. Adding a
criterion or a stage means a row here (and its texts in the catalogue).
"""

from __future__ import annotations

from bot.rules.qualification import classify
from bot.texts import N_, Safe, Texts
from storage.models import Concern, Contact
from storage.vocabulary import Answer, Criterion, Outcome, Stage

# One contact's stage ("Lead", "Prospect"), and everyone in it ("Leads", "Prospects").
STAGE_NAMES = {
    Stage.LEAD: N_("stage.lead"),
    Stage.PROSPECT: N_("stage.prospect"),
    Stage.CUSTOMER: N_("stage.customer"),
    Stage.REPEAT: N_("stage.repeat"),
}
STAGE_GROUPS = {
    Stage.LEAD: N_("pipeline.stage.lead"),
    Stage.PROSPECT: N_("pipeline.stage.prospect"),
    Stage.CUSTOMER: N_("pipeline.stage.customer"),
    Stage.REPEAT: N_("pipeline.stage.repeat"),
}
CRITERION_NAMES = {
    Criterion.MARKET_FIT: N_("criterion.market_fit"),
    Criterion.BUDGET: N_("criterion.budget"),
    Criterion.AUTHORITY: N_("criterion.authority"),
}
# What to ask about a criterion: in the meeting, in the brief, on /today.
CRITERION_QUESTIONS = {
    Criterion.MARKET_FIT: N_("meet.q.market_fit"),
    Criterion.BUDGET: N_("meet.q.budget"),
    Criterion.AUTHORITY: N_("meet.q.authority"),
}
CRITERION_ASK_ABOUT = {
    Criterion.MARKET_FIT: N_("brief.criterion.market_fit"),
    Criterion.BUDGET: N_("brief.criterion.budget"),
    Criterion.AUTHORITY: N_("brief.criterion.authority"),
}
CRITERION_TODAY = {
    Criterion.MARKET_FIT: N_("today.ask.market_fit"),
    Criterion.BUDGET: N_("today.ask.budget"),
    Criterion.AUTHORITY: N_("today.ask.authority"),
}
ANSWER_MARKS = {Answer.YES: "✅", Answer.NO: "❌", Answer.UNKNOWN: "❔"}
ANSWER_LABELS = {
    Answer.YES: N_("answer.yes"),
    Answer.NO: N_("answer.no"),
    Answer.UNKNOWN: N_("answer.unknown"),
}
# Why a lead is not (yet) a prospect, per criterion and answer.
REASONS = {
    (Criterion.MARKET_FIT, Answer.NO): N_("reason.market_fit.no"),
    (Criterion.MARKET_FIT, Answer.UNKNOWN): N_("reason.market_fit.unknown"),
    (Criterion.BUDGET, Answer.NO): N_("reason.budget.no"),
    (Criterion.BUDGET, Answer.UNKNOWN): N_("reason.budget.unknown"),
    (Criterion.AUTHORITY, Answer.NO): N_("reason.authority.no"),
    (Criterion.AUTHORITY, Answer.UNKNOWN): N_("reason.authority.unknown"),
}
# How a meeting went: as a button ("👍 Interested") and as a fact on the card ("interested").
OUTCOME_LABELS = {
    Outcome.INTERESTED: N_("outcome.interested"),
    Outcome.NOT_READY: N_("outcome.not_ready"),
    Outcome.SAID_NO: N_("outcome.said_no"),
    Outcome.BOUGHT: N_("outcome.bought"),
}
OUTCOME_NAMES = {
    Outcome.INTERESTED: N_("outcome.name.interested"),
    Outcome.NOT_READY: N_("outcome.name.not_ready"),
    Outcome.SAID_NO: N_("outcome.name.said_no"),
    Outcome.BOUGHT: N_("outcome.name.bought"),
}


def jotted(t: Texts, saved: object, name: str) -> Safe:
    """What a typed text became (`records.jot`), said on whom: "📝 Note saved on Kari." or
    "❓ Open question saved on Kari."."""
    key = N_("meet.concern_saved") if isinstance(saved, Concern) else N_("meet.note_saved")
    return t(key, name=name)


def stage_line(t: Texts, contact: Contact) -> Safe:
    """ "Lead — budget unknown" / "Prospect — meets all three" / "Customer"."""
    stage = t(STAGE_NAMES[contact.stage])
    if contact.stage is Stage.PROSPECT:
        return t("stage.with_reason", stage=stage, reason=t("reason.all_three"))
    if contact.stage is not Stage.LEAD:
        return stage
    reasons = [t(REASONS[missing]) for missing in classify(contact.answers()).missing]
    return t("stage.with_reason", stage=stage, reason=Safe(", ".join(reasons)))


def criteria_line(t: Texts, contact: Contact) -> Safe:
    """ "✅ Market fit · ❔ Budget · ❌ Authority"."""
    answers = contact.answers()
    return Safe(
        " · ".join(f"{ANSWER_MARKS[answers[c]]} {t(CRITERION_NAMES[c])}" for c in CRITERION_NAMES)
    )


def quiet_label(t: Texts, start: int, end: int) -> Safe:
    """ "21:00–08:00", or "off" when the quiet hours start and end together."""
    if start == end:
        return t("settings.quiet.off")
    return t("settings.quiet.range", start=f"{start:02d}:00", end=f"{end:02d}:00")
