"""What each answer in a meeting does, whether the seller tapped it or typed it.

A button press (`bot.meeting.presses`) and a typed reply (`bot.meeting.answers`) both end
here, so "✅ Yes" and "ja" save the same thing and show the same next step; only `edit`
differs (a press edits its message, typed text gets a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, Update

from bot.context import BotContext
from bot.meeting.calendar import calendar_keyboard
from bot.meeting.draft import Draft, Step
from bot.meeting.keyboards import PRESETS
from bot.meeting.present import present
from bot.meeting.transitions import (
    after_criteria,
    after_criterion,
    after_follow_up,
    follow_up_due,
    start_criteria,
)
from bot.rules.dates import When, due_at
from bot.rules.money import currency_for_zone
from bot.rules.typed_answers import open_question
from bot.rules.workdays import country_for_zone, on_next_working_day
from bot.texts import N_, Safe
from bot.ui import callbacks
from bot.ui.follow_ups import follow_up_said
from bot.ui.formatting import moment_in_words, money, short_day
from bot.ui.keyboards import button, markup
from bot.ui.labels import jotted
from bot.ui.screen import reply
from storage.models import Contact
from storage.vocabulary import Answer, Criterion, Outcome, Stage

NEEDS_FOLLOW_UP = (Outcome.NOT_READY, Outcome.SAID_NO)
# Where how it went leads: after a no, may you keep in touch; after a sale, what was it worth.
AFTER_OUTCOME = {Outcome.SAID_NO: Step.PERMISSION, Outcome.BOUGHT: Step.VALUE}


@dataclass
class Turn:
    """One answer: who gave it, to which open meeting, about which contact."""

    update: Update
    context: BotContext
    draft: Draft
    contact: Contact
    edit: bool
    kept: Safe | None = None  # "📝 Note saved": a text kept on the way, said atop the next screen

    async def show(
        self, *, header: str | None = None, extra: list[InlineKeyboardButton] | None = None
    ) -> None:
        if self.kept is not None:
            header = Safe(f"{self.kept}\n{header}") if header else self.kept
        await present(
            self.update, self.context, self.draft, header=header, extra=extra, edit=self.edit
        )


async def answer_criterion(turn: Turn, criterion: Criterion, answer: Answer) -> None:
    await turn.context.records.answer(turn.contact.id, criterion, answer)
    after_criterion(turn.draft)
    await turn.show()


async def keep_known(turn: Turn) -> None:
    after_criteria(turn.draft)
    await turn.show()


async def change_known(turn: Turn) -> None:
    start_criteria(turn.draft, turn.contact, ask_all=True)
    await turn.show()


async def record_outcome(turn: Turn, outcome: Outcome | None) -> None:
    """How it went. Given again (after Back, or a second tap) it replaces the earlier answer
    and its effects, so Bought → Interested unmakes the sale instead of stacking one."""
    draft, contact, records = turn.draft, turn.contact, turn.context.records
    if draft.stage_at_outcome is None:
        draft.stage_at_outcome = contact.stage.value
    if draft.made_dnc and outcome is not Outcome.SAID_NO:
        await records.do_not_contact(contact.id, False)
        draft.made_dnc = False
    if outcome is not None or draft.outcome is not None:
        await records.outcome(contact.id, outcome, stage_before=Stage(draft.stage_at_outcome))
    if draft.sale_id is not None and outcome is not Outcome.BOUGHT:
        await records.take_back_sale(draft.sale_id)
        draft.sale_id = None
    draft.outcome = outcome.value if outcome else None
    draft.go(AFTER_OUTCOME.get(outcome, Step.NEXT) if outcome else Step.NEXT)
    await turn.show()


async def sale_value(turn: Turn, amount: Decimal) -> None:
    """What the purchase was worth, in the seller's currency; then the next step."""
    context, draft = turn.context, turn.draft
    currency = currency_for_zone(context.me.timezone)
    if draft.sale_id is not None:
        await context.records.take_back_sale(draft.sale_id)
    sale = await context.records.sale(turn.contact.id, amount, currency)
    draft.sale_id = sale.id if sale is not None else None
    draft.go(Step.NEXT)
    worth = money(amount, currency, context.me.language)
    await turn.show(header=context.t("sales.recorded", name=turn.contact.name, amount=worth))


async def skip_value(turn: Turn) -> None:
    turn.draft.go(Step.NEXT)
    await turn.show()


async def allow_contact(turn: Turn, check_in: str | None) -> None:
    """After a no: yes, keep in touch, checking in after the `check_in` preset (the answer
    and its date in one tap), or None: never contact them again (notes, then Done)."""
    draft, contact = turn.draft, turn.contact
    allowed = check_in is not None
    if allowed == contact.do_not_contact:
        await turn.context.records.do_not_contact(contact.id, not allowed)
        draft.made_dnc = not allowed
    if check_in is None:
        draft.go(Step.NEXT)
        await turn.show()
        return
    await follow_up_at(turn, preset_due(turn, PRESETS[check_in][1]), exact=False)


async def keep_pending_note(turn: Turn) -> None:
    """A text asked about ("follow up then? it is kept as a note either way") is saved as a
    note whatever the seller does next: takes its date, types a date of their own, goes on.
    The next screen says so."""
    context, draft = turn.context, turn.draft
    pending, draft.pending_follow_up = draft.pending_follow_up, None
    note = pending.get("note") if pending is not None else None
    if not isinstance(note, str) or not note.strip():
        return
    saved = await context.records.jot(turn.contact.id, note)
    turn.kept = jotted(context.t, saved, turn.contact.name)


async def no_follow_up(turn: Turn) -> bool:
    """No next step; refused after "not ready" or "said no" (they need one)."""
    if turn.draft.outcome in NEEDS_FOLLOW_UP and not turn.contact.do_not_contact:
        return False
    await keep_pending_note(turn)
    await turn.context.records.follow_up(turn.contact.id, None, exact=False)
    after_follow_up(turn.draft, turn.contact, now=turn.context.now)
    await turn.show()
    return True


async def follow_up_at(turn: Turn, instant: datetime, *, exact: bool) -> None:
    """Save the follow-up, say when in words, and flag a weekend or public holiday with a
    one-tap move to the next working day."""
    context, draft = turn.context, turn.draft
    await keep_pending_note(turn)
    await context.records.follow_up(turn.contact.id, instant, exact=exact)
    move = callbacks.meeting("mvd", turn.contact.id)
    header, extra = follow_up_said(context, turn.contact.name, instant, move)
    after_follow_up(draft, turn.contact, now=context.now)
    await turn.show(header=header, extra=extra)


async def move_to_working_day(turn: Turn, follow_up: datetime, exact: bool) -> None:
    """The flagged follow-up moved to the next working day, at the same time of day."""
    moved = on_next_working_day(follow_up, turn.context.me.timezone)
    await follow_up_at(turn, moved, exact=exact)


async def confirm_date(turn: Turn, instant: datetime, *, exact: bool, note: str | None) -> None:
    """Ask once rather than guess: "📅 Follow-up on Fri 11 Dec 10:00" or "📝 Just the note"
    (a text that may be either), or the date next year (a date that has passed)."""
    context, draft = turn.context, turn.draft
    draft.pending_follow_up = {"at": instant.isoformat(), "exact": exact, "note": note}
    seller, t = context.me, context.t
    when = moment_in_words(instant, seller.timezone, seller.language)
    cid = turn.contact.id
    rows = [
        [button(t.plain("meet.button.follow_on", when=when), callbacks.meeting("fd", cid, "y"))]
    ]
    if note is not None:
        if open_question(note) is not None:  # kept as an open question, not a note
            ask, just = N_("meet.date_in_question"), N_("meet.button.just_question")
        else:
            ask, just = N_("meet.date_in_note"), N_("meet.button.just_note")
        text = t(ask, name=turn.contact.name)
        rows.append([button(t.plain(just), callbacks.meeting("fd", cid, "n"))])
    else:
        local = instant.astimezone(ZoneInfo(seller.timezone)).date()
        gone = short_day(local, seller.language)
        text = t("meet.date_passed", day=gone[:1].upper() + gone[1:], when=when)
    await present(turn.update, context, draft, screen=(text, markup(*rows)), edit=turn.edit)


async def show_calendar(turn: Turn, month: tuple[int, int] | None = None) -> None:
    """📅 Pick a date: the month calendar, typing still welcome."""
    context, draft = turn.context, turn.draft
    zone = context.me.timezone
    today = context.now.astimezone(ZoneInfo(zone)).date()
    year, number = month or (today.year, today.month)
    draft.go(Step.DATE)
    keyboard = calendar_keyboard(
        context.t, turn.contact.id, year, number, today, country_for_zone(zone)
    )
    await present(
        turn.update, context, draft, screen=(context.t("meet.ask_date"), keyboard), edit=turn.edit
    )


async def picked_day(turn: Turn, day: date) -> bool:
    """A day tapped in the calendar: the follow-up at the digest hour that day."""
    context = turn.context
    zone = ZoneInfo(context.me.timezone)
    if day < context.now.astimezone(zone).date():
        return False
    await follow_up_at(
        turn, due_at(When(day, None), zone=zone, default_hour=context.me.digest_hour), exact=False
    )
    return True


async def skip_birthday(turn: Turn) -> None:
    """Not now: and not asked again for a while (`transitions.BIRTHDAY_REST`)."""
    await turn.context.records.update(turn.contact.id, birthday_skipped_at=turn.context.now)
    await close(turn)


async def close(turn: Turn) -> None:
    """Everything is saved: show the card, the capture is over."""
    turn.draft.step = Step.SUMMARY
    await turn.show()


async def say(turn: Turn, text: str) -> None:
    await reply(turn.update, text, edit=turn.edit)


def preset_due(turn: Turn, days: int) -> datetime:
    return follow_up_due(days, seller=turn.context.me, now=turn.context.now)
