"""The meeting's ways back in from other screens: the summary card's edit buttons and Done,
a stale draft's Continue / Start new, the contact card's Log meeting and Move stage, and a
search's New meeting with the name that found nobody."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress

from telegram import InputFile
from telegram.error import BadRequest

from bot import flow
from bot.meeting.draft import Draft, Step, load_draft, save_draft
from bot.meeting.entry import ask_outcome, begin, start_fresh
from bot.meeting.present import present
from bot.meeting.presses import Press
from bot.meeting.transitions import start_criteria
from bot.meeting.typed import place_text
from bot.ui.screen import reply
from bot.ui.text_fit import note_parts, notes_file

NOTE_MESSAGES = 3  # more than this, and all notes come as one file


async def _edit(p: Press) -> bool:
    """A button on the summary card: reopen one step, then come back to the card."""
    if p.contact is None or len(p.args) != 1:
        return False
    field = p.args[0]
    if field == "notes":
        await _all_notes(p)
        return True
    edited = Draft(contact_id=p.contact.id, stage_before=p.contact.stage.value, editing=True)
    if p.draft is None or p.draft.contact_id != p.contact.id:
        edited.parked = await flow.to_park(p.context)  # a meeting waits until this edit is done
    if field == "crit":
        start_criteria(edited, p.contact, ask_all=True)
    else:
        step = {
            "name": Step.NAME,
            "company": Step.COMPANY,
            "follow": Step.NEXT,
            "bday": Step.BIRTHDAY,
        }.get(field)
        if step is None:
            return False
        edited.step = step
    await present(p.update, p.context, edited, edit=False)  # the card or list stays
    return True


async def _all_notes(p: Press) -> None:
    """Every note about the contact: a few messages at most, else one file, so one long
    history never floods the chat (or holds up everyone's replies behind Telegram's pace)."""
    assert p.contact is not None
    t, notes = p.context.t, await p.context.records.all_notes(p.contact.id)
    parts = note_parts(t, p.contact.name, notes) or [t("card.no_notes")]
    if len(parts) <= NOTE_MESSAGES:
        for part in parts:
            await reply(p.update, part, edit=False)
        return
    message = p.update.effective_message
    assert message is not None
    data = notes_file(p.contact.name, notes, p.context.me.timezone)
    await message.reply_document(
        InputFile(data, filename=f"notes-{p.contact.id}.txt"),
        caption=t("notes.file", name=p.contact.name, count=len(notes)),
    )


async def _done(p: Press) -> bool:
    """✅ Done under the card: its buttons go. A second quick tap finds them gone already,
    which is fine, not an error."""
    if p.contact is None:
        return False
    query = p.update.callback_query
    assert query is not None
    with suppress(BadRequest):  # "message is not modified": the first tap did it
        await query.edit_message_reply_markup(None)
    return True


async def _resume(p: Press) -> bool:
    """Continue the offered draft (placing what was typed since), or close it and start anew.

    Text typed after a draft went stale most likely concerns what comes next: starting anew
    takes the first such text as the new name and keeps the rest as its notes.
    """
    draft = p.draft
    if draft is None or draft.step != Step.RESUME or p.args not in (["c"], ["n"]):
        return False
    incoming, pending = draft.incoming, list(draft.pending_texts)
    draft.incoming, draft.pending_texts = None, []
    if p.args == ["c"]:
        draft.step = draft.resume_from or Step.NAME
        if not pending:
            await present(p.update, p.context, draft)
        for text in pending:
            await save_draft(p.context, draft)  # fresh again: the text goes to its step
            await place_text(p.update, p.context, draft, text)
            draft = await load_draft(p.context) or draft
        return True
    await flow.finish(p.context)
    await reply(p.update, p.context.t("meet.draft_closed"))
    fresh = dict(incoming) if incoming is not None else {}
    if incoming is None and pending:
        fresh["name"] = pending.pop(0)
    notes = [fresh.get("pending_note"), *pending]
    fresh["pending_note"] = "\n\n".join(note for note in notes if note) or None
    await start_fresh(p.update, p.context, fresh)
    return True


async def _move_stage(p: Press) -> bool:
    """Record how it went without logging a meeting (the contact card's Move stage)."""
    if p.contact is None:
        return False
    await ask_outcome(p.update, p.context, p.contact)
    return True


async def start_for_contact(p: Press) -> bool:
    """Log a meeting with an existing contact (the contact card's button)."""
    if p.contact is None:
        return False
    await begin(p.update, p.context, {"contact_id": p.contact.id})
    return True


async def start_named(p: Press) -> bool:
    """➕ New meeting with <name>, under a search that found nobody (`m:named:0:<code>`).

    The search kept the typed name in the seller's row (`bot.flow.keep_name`) and the button
    carries its code, because a name need not fit in callback data, while reading it back
    from the message text would depend on its wording and be cut where the reply shortens
    it. The meeting starts as /meet <name> does; a name no longer kept (the seller moved on
    since) is a stale press.
    """
    name = await flow.kept_name(p.context, p.args[0]) if len(p.args) == 1 else None
    if p.contact is not None or name is None:
        return False
    query = p.update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(None)  # one tap: the meeting's question follows
    await begin(p.update, p.context, {"name": name})
    return True


ACTIONS: dict[str, Callable[[Press], Awaitable[bool]]] = {
    "e": _edit,
    "done": _done,
    "res": _resume,
    "start": start_for_contact,
    "mv": _move_stage,
    "named": start_named,
}
