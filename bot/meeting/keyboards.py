"""The meeting's buttons: "m:<action>:<contact id>[:<arg>]" (`bot.ui.callbacks`).

The contact id is 0 before the contact exists. Every press is checked against the seller's
own contacts before anything happens (`bot.meeting.presses`).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import N_, Texts
from bot.ui.callbacks import meeting as data
from bot.ui.keyboards import button, markup, rows, short_label
from bot.ui.labels import ANSWER_LABELS, OUTCOME_LABELS
from storage.models import Contact
from storage.vocabulary import Answer, Criterion, Outcome

CRITERION_CODES = {Criterion.MARKET_FIT: "m", Criterion.BUDGET: "b", Criterion.AUTHORITY: "a"}
ANSWER_CODES = {Answer.YES: "y", Answer.NO: "n", Answer.UNKNOWN: "u"}
OUTCOME_CODES = {
    Outcome.INTERESTED: "i",
    Outcome.NOT_READY: "r",
    Outcome.SAID_NO: "n",
    Outcome.BOUGHT: "b",
}
# Follow-up presets: code → (label key, days ahead).
PRESETS = {
    "1d": (N_("follow.tomorrow"), 1),
    "1w": (N_("follow.next_week"), 7),
    "2w": (N_("follow.2_weeks"), 14),
    "1m": (N_("follow.month"), 30),
    "3m": (N_("follow.3_months"), 91),
    "6m": (N_("follow.6_months"), 182),
}
EVERYDAY_PRESETS = ("1d", "1w", "2w", "1m", "3m")
NURTURE_PRESETS = ("3m", "6m")  # after a no, with permission


def back_row(t: Texts, contact_id: int) -> list[InlineKeyboardButton]:
    return [button(t.plain("button.back"), data("back", contact_id))]


def similar_keyboard(t: Texts, name: str, matches: list[Contact]) -> InlineKeyboardMarkup:
    picks = [
        [button(" · ".join(filter(None, [c.name, c.company]))[:60], data("dup", c.id))]
        for c in matches
    ]
    return markup(*picks, [button(t.plain("meet.button.create", name=name[:40]), data("new", 0))])


def same_person_keyboard(t: Texts, contact_id: int) -> InlineKeyboardMarkup:
    """The one contact that is clearly the person: yes in one tap, or someone new."""
    return markup(
        [button(t.plain("meet.button.same_person"), data("dup", contact_id))],
        [button(t.plain("meet.button.someone_new"), data("new", 0))],
    )


def criterion_keyboard(t: Texts, contact_id: int, criterion: Criterion) -> InlineKeyboardMarkup:
    code = CRITERION_CODES[criterion]
    answers = [
        button(t.plain(label), data("a", contact_id, code, ANSWER_CODES[answer]))
        for answer, label in ANSWER_LABELS.items()
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
        [button(t.plain("meet.button.keep_in_touch_6"), data("p", contact_id, "y6"))],
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
    answered: Sequence[tuple[int, str]] = (),
) -> InlineKeyboardMarkup:
    """Follow-up choices fitting how it went, and how it went itself (one tap on the same
    screen) while nobody has said; a concern button under a just-saved note."""
    concern = (
        [button(t.plain("meet.button.concern"), data("q", contact_id, str(note_id)))]
        if note_id is not None
        else []
    )
    if do_not_contact:
        done = [button(t.plain("button.done"), data("f", contact_id, "none"))]
        return markup(concern, done, back_row(t, contact_id))
    codes = NURTURE_PRESETS if outcome is Outcome.SAID_NO else EVERYDAY_PRESETS
    presets = [button(t.plain(PRESETS[code][0]), data("f", contact_id, code)) for code in codes]
    last = [button(t.plain("follow.pick"), data("f", contact_id, "pick"))]
    if outcome not in (Outcome.NOT_READY, Outcome.SAID_NO):
        last.append(button(t.plain("follow.none"), data("f", contact_id, "none")))
    how = (
        [
            button(t.plain(OUTCOME_LABELS[o]), data("o", contact_id, code))
            for o, code in OUTCOME_CODES.items()
        ]
        if offer_outcome
        else []
    )
    resolve = [
        [button(f"✅ {short_label(text, 40)}", data("rq", contact_id, str(concern_id)))]
        for concern_id, text in answered
    ]
    return markup(
        concern, *resolve, *rows(presets, 3), last, *rows(how, 2), back_row(t, contact_id)
    )


def skip_keyboard(t: Texts, contact_id: int, action: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("button.skip"), data(action, contact_id, "skip"))], back_row(t, contact_id)
    )


def resume_keyboard(t: Texts, contact_id: int, new_label: str) -> InlineKeyboardMarkup:
    return markup(
        [button(t.plain("meet.button.continue"), data("res", contact_id, "c"))],
        [button(new_label, data("res", contact_id, "n"))],
    )
