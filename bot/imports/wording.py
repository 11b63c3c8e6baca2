"""What the import says: the preview, the progress line, the summary and its problems, and
the note a contact gets for what the file said beyond the contact's own fields."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot.records.imports import Choice
from bot.rules.imported import NOTE_MAX, ImportedContact, Problem
from bot.texts import N_, Safe, Texts
from bot.ui import callbacks
from bot.ui.keyboards import button, markup
from storage.queries.imports import NewContact

CANCEL = "cancel"
EXAMPLES = 3  # look-alikes shown in the preview
PROBLEMS_SHOWN = 10  # problems listed in the summary; more come as a file too


def counted(t: Texts, one: str, other: str, count: int, **values: object) -> Safe:
    """The text for one, or for any other count."""
    return t(one if count == 1 else other, count=count, **values)


def preview(
    t: Texts,
    name: str,
    *,
    total: int,
    same: int,
    examples: Sequence[tuple[str, str]],
    problems: int,
) -> Safe:
    lines: list[str] = [
        counted(t, N_("imports.preview_one"), N_("imports.preview"), total, name=name)
    ]
    if same:
        lines.append(t("imports.preview.split", new=total - same, same=same))
        lines += [
            t("imports.preview.example", incoming=incoming, existing=existing)
            for incoming, existing in examples[:EXAMPLES]
        ]
        if same > EXAMPLES:
            lines.append(t("imports.preview.more", count=same - EXAMPLES))
    else:
        lines.append(t("imports.preview.all_new"))
    if problems:
        lines.append(
            counted(t, N_("imports.preview.problems_one"), N_("imports.preview.problems"), problems)
        )
    lines += ["", t("imports.preview.ask")]
    if same:
        lines.append(t("imports.preview.ask_same"))
    return Safe("\n".join(lines))


def choices(t: Texts, code: str, *, same: int) -> InlineKeyboardMarkup:
    """Merge / Skip those / Add anyway / Cancel; just Import / Cancel when all are new."""
    cancel = button(t.plain("imports.button.cancel"), callbacks.contacts_import(CANCEL, code))
    if not same:
        return markup(
            [button(t.plain("imports.button.import"), callbacks.contacts_import(Choice.ADD, code))],
            [cancel],
        )
    return markup(
        [
            button(t.plain("imports.button.merge"), callbacks.contacts_import(Choice.MERGE, code)),
            button(t.plain("imports.button.skip"), callbacks.contacts_import(Choice.SKIP, code)),
        ],
        [
            button(t.plain("imports.button.add"), callbacks.contacts_import(Choice.ADD, code)),
            cancel,
        ],
    )


def problem_line(t: Texts, kind: str, problem: Problem, *, plain: bool = False) -> str:
    """ "Row 5: wrong number of columns, left out: Per Olsen,Olsen AS,…" """
    say = t.plain if plain else t
    if problem.row == 0:
        where = say(N_("imports.problem.file"))
    else:
        key = N_("imports.problem.card") if kind == "vcf" else N_("imports.problem.row")
        where = say(key, row=problem.row)
    reason = say(problem.reason)
    if problem.text:
        return say(N_("imports.problem.line_text"), where=where, reason=reason, text=problem.text)
    return say(N_("imports.problem.line"), where=where, reason=reason)


def summary(
    t: Texts,
    name: str,
    kind: str,
    *,
    added: int,
    merged: int,
    skipped: int,
    problems: Sequence[Problem],
) -> Safe:
    lines: list[str] = [t("imports.done", name=name, added=added, merged=merged, skipped=skipped)]
    if problems:
        lines += [
            "",
            counted(t, N_("imports.done.problems_one"), N_("imports.done.problems"), len(problems)),
        ]
        lines += [problem_line(t, kind, problem) for problem in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append(t("imports.done.more", count=len(problems) - PROBLEMS_SHOWN))
    return Safe("\n".join(lines))


def problems_file(t: Texts, kind: str, problems: Sequence[Problem]) -> bytes:
    """Every problem on its own line, as plain text (not HTML: a file shows it as it is)."""
    lines = [problem_line(t, kind, problem, plain=True) for problem in problems]
    return ("\n".join(lines) + "\n").encode()


def new_contact(t: Texts, person: ImportedContact) -> NewContact:
    """The contact's own fields, and a note with the rest: the file's note, the job title,
    every phone and e-mail after the first (a contact keeps one of each)."""
    title, phone, email = (
        t.plain("imports.note.title"),
        t.plain("imports.note.phone"),
        t.plain("imports.note.email"),
    )
    extra = [person.note] if person.note else []
    if person.title:
        extra.append(f"{title}: {person.title}")
    extra += [f"{phone}: {number}" for number in person.phones[1:]]
    extra += [f"{email}: {address}" for address in person.emails[1:]]
    birthday = person.birthday
    return NewContact(
        name=person.name,
        company=person.company,
        phone=person.phones[0] if person.phones else None,
        email=person.emails[0][:254] if person.emails else None,
        birth_day=birthday.day if birthday else None,
        birth_month=birthday.month if birthday else None,
        birth_year=birthday.year if birthday else None,
        note="\n".join(extra)[:NOTE_MAX] or None,
        stage=person.stage,
        market_fit=person.market_fit,
        budget=person.budget,
        authority=person.authority,
    )
