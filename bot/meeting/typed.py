"""Typed replies during a meeting, read against what the current step asks first.

"ja" at a criterion is Yes, "neste fredag kl 10" at the follow-up is the date, "hopp over"
at the birthday skips it, "kjøpte" is how it went, "ferdig" closes. Only what no step
understands becomes a note, and a text that may be a date or a note is asked about once
("ja" there takes the date).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import BotContext
from bot.meeting import moves
from bot.meeting.answers import (
    create_named,
    named,
    offer_draft,
    save_company,
    save_note,
    with_contact,
)
from bot.meeting.draft import Draft, Step
from bot.meeting.moves import Turn
from bot.meeting.present import present
from bot.rules.birthdays import parse_birthday
from bot.rules.dates import When, due_at, is_past, rolled_over
from bot.rules.money import parse_amount
from bot.rules.replies import Asked, Meaning, read_reply
from bot.rules.typed_answers import read_answer
from bot.ui.formatting import day_in_words
from bot.ui.screen import reply
from storage.vocabulary import Answer, Criterion

NURTURE = "3m"  # typed "yes" to keeping in touch: check in again in three months


async def place_text(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """Whatever the seller types goes where it belongs; nothing is dropped."""
    if draft.step == Step.RESUME or (draft.is_stale(context.now) and draft.contact_id):
        draft.pending_texts.append(text)
        await offer_draft(update, context, draft)
        return
    if draft.step in (Step.NAME, Step.DUPLICATE):
        if not await _about_the_offer(update, context, draft, text):
            await named(update, context, draft, text, edit=False)
        return
    contact = await context.records.contact(draft.contact_id) if draft.contact_id else None
    if contact is None:
        await present(update, context, draft, edit=False)
        return
    turn = Turn(update, context, draft, contact, edit=False)
    if await _about_the_date(turn, text):
        return
    if not await _answers_the_step(turn, text):
        await save_note(update, context, draft, text)


async def _about_the_date(turn: Turn, text: str) -> bool:
    """ "ja" / "yes" to "Is that when to follow up?" takes that date, as its button does;
    "nei" / "no" keeps the text as a note only. Anything else is read at the step, as ever."""
    pending = turn.draft.pending_follow_up
    answer = read_answer(text) if pending is not None else None
    if pending is None or answer not in (Answer.YES, Answer.NO):
        return False
    if answer is Answer.YES:
        at = datetime.fromisoformat(pending["at"])
        await moves.follow_up_at(turn, at, exact=bool(pending["exact"]))
    else:
        await moves.keep_pending_note(turn)
        await turn.show()
    return True


async def _about_the_offer(update: Update, context: BotContext, draft: Draft, text: str) -> bool:
    """ "ja" / "nei" to "Is it Åse Kjærstad-Øvrebø?" or to "Is it one of them?"; anything
    else is a name. "Yes" to a list takes its one contact, or asks again which one."""
    if draft.step != Step.DUPLICATE:
        return False
    answer = read_answer(text)
    if answer is Answer.NO:
        await create_named(update, context, draft, edit=False)
        return True
    if answer is not Answer.YES:
        return False
    if draft.exact_id is not None:
        contact = await context.records.contact(draft.exact_id)
    else:
        found = await context.records.look_alikes(
            draft.name or "",
            telegram_user_id=draft.telegram_user_id,
            phones=[p for p in [draft.phone, *draft.phones] if p],
            emails=draft.emails,
        )
        contact = found.similar[0] if len(found.similar) == 1 else None
    if contact is not None:
        await with_contact(update, context, draft, contact)
    else:
        await present(update, context, draft, edit=False)  # which one: the buttons again
    return True


ASKED: dict[str, Asked] = {
    Step.KNOWN: Asked.KNOWN,
    Step.OUTCOME: Asked.OUTCOME,
    Step.PERMISSION: Asked.PERMISSION,
    Step.NEXT: Asked.FOLLOW_UP,
    Step.DATE: Asked.DATE,
    Step.BIRTHDAY: Asked.BIRTHDAY,
    Step.COMPANY: Asked.COMPANY,
    Step.VALUE: Asked.VALUE,
}


async def _answers_the_step(turn: Turn, text: str) -> bool:
    """Act on `text` as the step's answer; False when it is none (then it is a note)."""
    draft, context = turn.draft, turn.context
    asked = Asked.CRITERION if draft.criterion is not None else ASKED.get(draft.step)
    if asked is None:
        return False
    zone = ZoneInfo(context.me.timezone)
    reading = read_reply(asked, text, now=context.now, zone=zone, language=context.me.language)
    await moves.keep_pending_note(turn)  # typed on past "is that when to follow up?"
    match reading.meaning:
        case Meaning.DONE:
            await _done(turn)
        case Meaning.ANSWER:
            await _answered(turn, asked, reading.answer or Answer.UNKNOWN)
        case Meaning.OUTCOME:
            await moves.record_outcome(turn, reading.outcome)
        case Meaning.SKIP:
            await _skipped(turn, asked)
        case Meaning.DATE | Meaning.DATE_OR_NOTE:
            note = text if reading.meaning is Meaning.DATE_OR_NOTE else None
            return await _dated(turn, reading.when, text, note=note)
        case Meaning.TEXT if asked is Asked.BIRTHDAY:
            await _typed_birthday(turn, text)
        case Meaning.TEXT if asked is Asked.COMPANY:
            await save_company(turn.update, context, draft, text)
        case Meaning.TEXT if asked is Asked.VALUE:
            await _typed_value(turn, text)
        case _:
            return False
    return True


async def _answered(turn: Turn, asked: Asked, answer: Answer) -> None:
    draft = turn.draft
    if asked is Asked.CRITERION:
        await moves.answer_criterion(turn, Criterion(draft.criterion or ""), answer)
    elif asked is Asked.KNOWN:
        await (moves.keep_known(turn) if answer is Answer.YES else moves.change_known(turn))
    else:
        await moves.allow_contact(turn, NURTURE if answer is Answer.YES else None)


async def _skipped(turn: Turn, asked: Asked) -> None:
    if asked is Asked.OUTCOME:
        await moves.record_outcome(turn, None)
    elif asked is Asked.FOLLOW_UP:
        if not await moves.no_follow_up(turn):
            await reply(turn.update, turn.context.t("meet.follow_needed"), edit=False)
    elif asked is Asked.DATE:
        turn.draft.step = Step.NEXT
        await turn.show()
    elif asked is Asked.BIRTHDAY:
        await moves.skip_birthday(turn)
    elif asked is Asked.VALUE:
        await moves.skip_value(turn)
    else:
        await moves.close(turn)


async def _done(turn: Turn) -> None:
    """ "ferdig": close, unless how it went needs a next step that is not there yet."""
    needs = turn.draft.outcome in moves.NEEDS_FOLLOW_UP and not turn.contact.do_not_contact
    if needs and await turn.context.records.next_follow_up(turn.contact.id) is None:
        await reply(turn.update, turn.context.t("meet.follow_needed"), edit=False)
        return
    await moves.close(turn)


async def _dated(turn: Turn, when: When | None, text: str, *, note: str | None) -> bool:
    """A follow-up date read from the text, echoed back in words. A day gone is asked again
    (or, in a longer text, taken as the note it is); a day and month just gone ("1.12" on
    2 December) is offered next year; a longer text that holds a date is asked about."""
    context, seller = turn.context, turn.context.me
    zone, now = ZoneInfo(seller.timezone), context.now
    if when is None:
        await reply(turn.update, context.t("meet.bad_date", typed=text[:100]), edit=False)
        return True
    if is_past(when, now=now, zone=zone):
        if note is not None:
            return False  # "met her at the fair yesterday": a note about the past
        day = day_in_words(when.day, seller.language)
        past = context.t("meet.past_date", day=day[:1].upper() + day[1:])
        await reply(turn.update, past, edit=False)
        return True
    instant = due_at(when, zone=zone, default_hour=seller.digest_hour)
    exact = when.time is not None
    if note is not None or rolled_over(when.day, now.astimezone(zone).date()):
        await moves.confirm_date(turn, instant, exact=exact, note=note)
    else:
        await moves.follow_up_at(turn, instant, exact=exact)
    return True


async def _typed_value(turn: Turn, text: str) -> None:
    """ "12 500", "kr 12.500": the sale's worth; anything else is asked again, kindly."""
    amount = parse_amount(text)
    if amount is None:
        await reply(turn.update, turn.context.t("sales.bad", typed=text[:40]), edit=False)
        return
    await moves.sale_value(turn, amount)


async def _typed_birthday(turn: Turn, text: str) -> None:
    context = turn.context
    today = context.now.astimezone(ZoneInfo(context.me.timezone)).date()
    birthday = parse_birthday(text, today=today)
    if birthday is None:
        await reply(turn.update, context.t("meet.bad_birthday", typed=text[:100]), edit=False)
        return
    await context.records.birthday(turn.contact.id, birthday)
    await moves.close(turn)
