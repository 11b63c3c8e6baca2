"""The card's buttons, `c:<id>[:<action>[:<arg>]]`, each checked against the seller's own data.

A contact id that is not the presser's (forged, or deleted since) finds nothing and gets the
"no longer available" alert, whatever the action (`bot.ui.router`): nothing changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, Update

from bot import flow
from bot.contacts import next_step, removal, replies, steps
from bot.contacts.keyboards import EDITABLE, concerns_keyboard, edit_keyboard
from bot.context import BotContext
from bot.rules.workdays import on_next_working_day
from bot.texts import N_, Safe
from bot.ui.callbacks import Decoded, number
from bot.ui.card import load_card, render_card, show_card
from bot.ui.router import Done
from bot.ui.screen import reply
from bot.ui.text_fit import preview
from storage.models import Contact
from storage.queries import concerns, contacts

SHOWN_CONCERNS = 10  # each with its own ✅ button
CONCERN_PREVIEW = 300


@dataclass(frozen=True)
class Press:
    """A card button press, on a contact already checked to be the presser's own."""

    update: Update
    context: BotContext
    contact: Contact
    args: list[str]


async def load_press(update: Update, context: BotContext, decoded: Decoded) -> Press | None:
    """The press on one of the seller's own contacts; None for anyone else's."""
    if not decoded.target:
        return None
    contact = await context.records.contact(decoded.target)
    return None if contact is None else Press(update, context, contact, list(decoded.args))


async def _open(p: Press) -> Done:
    """From a list, a search or /today: the card as a new message (the list stays put)."""
    return not p.args and await _card(p, edit=False)


async def _back(p: Press) -> Done:
    return await _card(p, edit=True)


async def _card(
    p: Press,
    *,
    edit: bool,
    header: str | None = None,
    footer: str | None = None,
    extra: list[InlineKeyboardButton] | None = None,
) -> bool:
    shown = await show_card(
        p.update, p.context, p.contact.id, edit=edit, header=header, footer=footer, extra=extra
    )
    return shown is not None


async def _edit_menu(p: Press) -> Done:
    """The card stays readable; only its buttons turn into the fields to change."""
    data = await load_card(p.context, p.contact.id)
    if data is None:
        return False
    body = render_card(p.context.t, data, zone=p.context.me.timezone, now=p.context.now)
    pick = p.context.t("book.edit.pick")
    text = Safe(f"{body}\n\n{pick}")
    await reply(p.update, text, edit_keyboard(p.context.t, p.contact.id))
    return True


async def _ask_field(p: Press) -> Done:
    if len(p.args) != 1 or p.args[0] not in EDITABLE:
        return False
    await steps.ask(p.update, p.context, p.contact, p.args[0])
    return True


async def _clear_field(p: Press) -> Done:
    """Remove the phone or e-mail (the button under "type the new one")."""
    if len(p.args) != 1 or p.args[0] not in EDITABLE:
        return False
    async with p.context.sessions.begin() as session:
        await contacts.update_contact(
            session, owner_id=p.context.me.id, contact_id=p.contact.id, **{p.args[0]: None}
        )
    footer = None
    state = await flow.current(p.context)
    asked = {"step": p.args[0], "contact_id": p.contact.id}
    if state is not None and state[0] == steps.FLOW and asked.items() <= state[2].items():
        footer = await flow.resume_parked(p.context, state[2])  # that question is answered now
    key = N_("book.phone_removed") if p.args == ["phone"] else N_("book.email_removed")
    return await _card(p, edit=True, header=p.context.t(key), footer=footer)


async def _ask_note(p: Press) -> Done:
    await steps.ask(p.update, p.context, p.contact, steps.NOTE)
    return True


async def _ask_concern(p: Press) -> Done:
    await steps.ask(p.update, p.context, p.contact, steps.CONCERN)
    return True


async def _concerns(p: Press) -> Done:
    """The open concerns, numbered, each with a ✅ to mark it answered."""
    t, contact = p.context.t, p.contact
    async with p.context.sessions.begin() as session:
        open_ = await concerns.open_concerns(
            session, owner_id=p.context.me.id, contact_id=contact.id
        )
    shown = open_[:SHOWN_CONCERNS]
    if not shown:
        text = t("book.concerns.none", name=contact.name)
    else:
        lines = [t("book.concerns.title", name=contact.name)] + [
            t("book.concerns.item", number=n, text=preview(c.text, CONCERN_PREVIEW))
            for n, c in enumerate(shown, start=1)
        ]
        if len(open_) > len(shown):
            lines.append(t("card.more", count=len(open_) - len(shown)))
        text = Safe("\n".join([*lines, "", t("book.concerns.hint")]))
    await reply(p.update, text, concerns_keyboard(t, contact.id, [c.id for c in shown]))
    return True


async def _resolve(p: Press) -> Done:
    """Mark one of this contact's open concerns answered, then show the rest."""
    concern_id = number(p.args[0]) if len(p.args) == 1 else None
    if concern_id is None:
        return False
    async with p.context.sessions.begin() as session:
        open_ = await concerns.open_concerns(
            session, owner_id=p.context.me.id, contact_id=p.contact.id
        )
        if concern_id not in {c.id for c in open_}:
            return False
        await concerns.resolve_concern(session, owner_id=p.context.me.id, concern_id=concern_id)
    await _concerns(p)
    return p.context.t.plain("book.concerns.resolved")


async def _reply_follow_up(p: Press) -> Done:
    """ "📅 Follow-up on …" under a reply that read as a date."""
    read = replies.read_stamp(p.args[0], p.args[1]) if len(p.args) == 2 else None
    if read is None:
        return False
    await replies.forget_question(p.context)
    header, extra = await replies.follow_up_set(p.context, p.contact, *read)
    return await _card(p, edit=True, header=header, extra=extra)


async def _move_day(p: Press) -> Done:
    """➡️ Move to the next working day, under a card whose follow-up was just set on a
    weekend or public holiday."""
    follow_up = await p.context.records.next_follow_up(p.contact.id)
    if follow_up is None:
        return False
    moved = on_next_working_day(follow_up.due_at, p.context.me.timezone)
    header, extra = await replies.follow_up_set(p.context, p.contact, moved, follow_up.exact_time)
    return await _card(p, edit=True, header=header, extra=extra)


async def _reply_note(p: Press) -> Done:
    """ "📝 Save as note" under a reply that read as a date: the text it carries."""
    text = ":".join(p.args).strip()
    if not text:
        return False
    await replies.forget_question(p.context)
    await replies.add_note(p.update, p.context, p.contact, text, edit=True)
    return True


async def _usual_rhythm(p: Press) -> Done:
    """⏰ In N days: the next step after the stage's keep-in-touch period."""
    header = await next_step.keep_the_rhythm(p.context, p.contact)
    return await _card(p, edit=True, header=header)


async def _no_next_step(p: Press) -> Done:
    """✖️ No next step, said out loud: the question goes, the card stays."""
    await _card(p, edit=True)
    return p.context.t.plain("nextstep.none_saved", name=p.contact.name)


async def _confirm_delete(p: Press) -> Done:
    await removal.confirm(p.update, p.context, p.contact)
    return True


async def _delete(p: Press) -> Done:
    return await removal.delete(p.update, p.context, p.contact)


ACTIONS: dict[str, Callable[[Press], Awaitable[Done]]] = {
    "": _open,
    "card": _back,
    "edit": _edit_menu,
    "ed": _ask_field,
    "clr": _clear_field,
    "note": _ask_note,
    "addq": _ask_concern,
    "cq": _concerns,
    "res": _resolve,
    next_step.USUAL: _usual_rhythm,
    next_step.NONE: _no_next_step,
    "fu": _reply_follow_up,
    "mvd": _move_day,
    "rn": _reply_note,
    "del": _confirm_delete,
    "delok": _delete,
}
