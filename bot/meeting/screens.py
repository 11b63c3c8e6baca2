"""What each step of the meeting shows: its text and its buttons.

Callback data: "m:<action>:<contact id>[:<arg>]" (contact id 0 before the contact exists).
Every press is checked against the seller's own contacts before anything happens.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards import button, markup, rows
from bot.meeting.store import answers_of
from bot.rules.qualification import classify
from bot.texts import N_, Safe, Texts
from storage.models import Contact
from storage.vocabulary import Answer, Criterion, Outcome, Stage

CRITERION_CODES = {Criterion.MARKET_FIT: "m", Criterion.BUDGET: "b", Criterion.AUTHORITY: "a"}
ANSWER_CODES = {Answer.YES: "y", Answer.NO: "n", Answer.UNKNOWN: "u"}
OUTCOME_CODES = {
    Outcome.INTERESTED: "i",
    Outcome.NOT_READY: "r",
    Outcome.SAID_NO: "n",
    Outcome.BOUGHT: "b",
}
ANSWER_MARKS = {Answer.YES: "✅", Answer.NO: "❌", Answer.UNKNOWN: "❔"}
QUESTIONS = {
    Criterion.MARKET_FIT: N_("meet.q.market_fit"),
    Criterion.BUDGET: N_("meet.q.budget"),
    Criterion.AUTHORITY: N_("meet.q.authority"),
}
CRITERION_NAMES = {
    Criterion.MARKET_FIT: N_("criterion.market_fit"),
    Criterion.BUDGET: N_("criterion.budget"),
    Criterion.AUTHORITY: N_("criterion.authority"),
}
REASONS = {
    (Criterion.MARKET_FIT, Answer.NO): N_("reason.market_fit.no"),
    (Criterion.MARKET_FIT, Answer.UNKNOWN): N_("reason.market_fit.unknown"),
    (Criterion.BUDGET, Answer.NO): N_("reason.budget.no"),
    (Criterion.BUDGET, Answer.UNKNOWN): N_("reason.budget.unknown"),
    (Criterion.AUTHORITY, Answer.NO): N_("reason.authority.no"),
    (Criterion.AUTHORITY, Answer.UNKNOWN): N_("reason.authority.unknown"),
}
STAGE_NAMES = {
    Stage.LEAD: N_("stage.lead"),
    Stage.PROSPECT: N_("stage.prospect"),
    Stage.CUSTOMER: N_("stage.customer"),
    Stage.REPEAT: N_("stage.repeat"),
}
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
# Follow-up presets: code → (label key, days ahead).
PRESETS = {
    "1d": (N_("follow.tomorrow"), 1),
    "3d": (N_("follow.3_days"), 3),
    "1w": (N_("follow.next_week"), 7),
    "1m": (N_("follow.month"), 30),
    "3m": (N_("follow.3_months"), 91),
    "6m": (N_("follow.6_months"), 182),
}


def data(action: str, contact_id: int, *args: str) -> str:
    return ":".join(["m", action, str(contact_id), *args])


def stage_line(t: Texts, contact: Contact) -> Safe:
    """ "Lead — budget unknown" / "Prospect — meets all three" / "Customer"."""
    stage = t(STAGE_NAMES[contact.stage])
    if contact.stage is Stage.PROSPECT:
        return t("stage.with_reason", stage=stage, reason=t("reason.all_three"))
    if contact.stage is not Stage.LEAD:
        return stage
    reasons = [t(REASONS[missing]) for missing in classify(answers_of(contact)).missing]
    return t("stage.with_reason", stage=stage, reason=Safe(", ".join(reasons)))


def criteria_line(t: Texts, contact: Contact) -> Safe:
    answers = answers_of(contact)
    return Safe(
        " · ".join(f"{ANSWER_MARKS[answers[c]]} {t(CRITERION_NAMES[c])}" for c in CRITERION_NAMES)
    )


def back_row(t: Texts, contact_id: int) -> list[InlineKeyboardButton]:
    return [button(t.plain("button.back"), data("back", contact_id))]


def similar_keyboard(t: Texts, name: str, matches: list[Contact]) -> InlineKeyboardMarkup:
    picks = [
        [button(" · ".join(filter(None, [c.name, c.company]))[:60], data("dup", c.id))]
        for c in matches
    ]
    return markup(*picks, [button(t.plain("meet.button.create", name=name[:40]), data("new", 0))])


def criterion_keyboard(t: Texts, contact_id: int, criterion: Criterion) -> InlineKeyboardMarkup:
    code = CRITERION_CODES[criterion]
    answers = [
        button(t.plain(label), data("a", contact_id, code, ANSWER_CODES[answer]))
        for answer, label in (
            (Answer.YES, N_("answer.yes")),
            (Answer.NO, N_("answer.no")),
            (Answer.UNKNOWN, N_("answer.unknown")),
        )
    ]
    return markup(answers, back_row(t, contact_id))


def known_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    return markup(
        [
            button(t.plain("meet.button.keep"), data("keep", contact_id)),
            button(t.plain("meet.button.change"), data("chg", contact_id)),
        ],
        back_row(t, contact_id),
    )


def outcome_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    outcomes = [
        button(t.plain(OUTCOME_LABELS[o]), data("o", contact_id, code))
        for o, code in OUTCOME_CODES.items()
    ]
    skip = button(t.plain("button.skip"), data("o", contact_id, "s"))
    return markup(*rows(outcomes, 2), [skip], back_row(t, contact_id))


def permission_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("meet.button.keep_in_touch"), data("p", contact_id, "y"))],
        [button(t.plain("meet.button.do_not_contact"), data("p", contact_id, "n"))],
        back_row(t, contact_id),
    )


def next_keyboard(
    t: Texts,
    contact_id: int,
    *,
    outcome: Outcome | None,
    do_not_contact: bool,
    offer_outcome: bool,
    note_id: int | None = None,
) -> InlineKeyboardMarkup:
    """Follow-up choices fitting how it went; a concern button under a just-saved note."""
    concern = (
        [button(t.plain("meet.button.concern"), data("q", contact_id, str(note_id)))]
        if note_id is not None
        else []
    )
    if do_not_contact:
        done = [button(t.plain("button.done"), data("f", contact_id, "none"))]
        return markup(concern, done, back_row(t, contact_id))
    codes = ["3m", "6m"] if outcome is Outcome.SAID_NO else ["1d", "3d", "1w", "1m"]
    presets = [button(t.plain(PRESETS[code][0]), data("f", contact_id, code)) for code in codes]
    last = [button(t.plain("follow.pick"), data("f", contact_id, "pick"))]
    if outcome not in (Outcome.NOT_READY, Outcome.SAID_NO):
        last.append(button(t.plain("follow.none"), data("f", contact_id, "none")))
    how = [button(t.plain("meet.button.how"), data("how", contact_id))] if offer_outcome else []
    return markup(concern, *rows(presets, 2), last, how, back_row(t, contact_id))


def skip_keyboard(t: Texts, contact_id: int, action: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("button.skip"), data(action, contact_id, "skip"))], back_row(t, contact_id)
    )


def card_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    def edit(label: str, field: str) -> InlineKeyboardButton:
        return button(t.plain(label), data("e", contact_id, field))

    return markup(
        [edit(N_("card.edit.name"), "name"), edit(N_("card.edit.company"), "company")],
        [edit(N_("card.edit.criteria"), "crit"), edit(N_("card.edit.follow"), "follow")],
        [edit(N_("card.edit.birthday"), "bday"), edit(N_("card.edit.notes"), "notes")],
        [button(t.plain("card.done"), data("done", contact_id))],
    )


def resume_keyboard(t: Texts, contact_id: int, new_label: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("meet.button.continue"), data("res", contact_id, "c"))],
        [button(new_label, data("res", contact_id, "n"))],
    )
