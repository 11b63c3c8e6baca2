"""Callback data, the one registry: every button's prefix, its encoder and one decoder.

Telegram allows 64 bytes. Each feature owns a prefix; any feature may encode another's
button (the card's "Log meeting" is a meeting button) without importing that feature:

  m:<action>:<contact id>[:<arg>...]   the meeting conversation (contact id 0 before it exists)
  c:<contact id>[:<action>[:<arg>]]    the contact card and its buttons ("c:<id>" opens it)
  r:<reminder id>[:<action>]           a reminder nudge ("r:<id>" opens it from a digest)
  b:<contact id>                       the brief before a meeting
  u:<undo id>                          put a deleted contact back
  l:menu | l:<filter>:<page>           the /contacts lists
  tz:<origin>:<zone> | tz:<origin>:~list   a time zone, from onboarding or settings
  set:<what>[:<value>...]              the settings screens
  i:<choice>:<file code>               a contacts file's import (merge, skip, add, cancel)
  a:<action>                           /forget_me's questions (first, skip, yes, keep)

Every id is looked up among the presser's own rows before anything happens (`bot.ui.router`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

DATA_MAX = 64  # bytes
ID_MAX = 2**31 - 1  # the id columns' range: a larger "id" is forged and never looked up


class Prefix(enum.StrEnum):
    MEETING = "m"
    CARD = "c"
    REMINDER = "r"
    BRIEF = "b"
    UNDO = "u"
    LISTS = "l"
    ZONE = "tz"
    SETTINGS = "set"
    IMPORT = "i"
    ACCOUNT = "a"


# Where a prefix's data names its row: right after the prefix, after the action, or nowhere.
_ID_FIRST = frozenset({Prefix.CARD, Prefix.REMINDER, Prefix.BRIEF, Prefix.UNDO})
_ACTION_FIRST = frozenset({Prefix.MEETING})


@dataclass(frozen=True)
class Decoded:
    """A press read back: `target` is the id it names (None when it names none or a forged
    one), `action` "" when absent, `args` the parts after it, as sent."""

    prefix: Prefix
    target: int | None
    action: str
    args: tuple[str, ...]


def fits(data: str) -> bool:
    return len(data.encode()) <= DATA_MAX


def _join(prefix: Prefix, *parts: object) -> str:
    data = ":".join([prefix.value, *map(str, parts)])
    if not fits(data):
        raise ValueError(f"callback data over {DATA_MAX} bytes: {data!r}")
    return data


def meeting(action: str, contact_id: int, *args: str) -> str:
    return _join(Prefix.MEETING, action, contact_id, *args)


def card(contact_id: int, *parts: str) -> str:
    return _join(Prefix.CARD, contact_id, *parts)


def reminder(reminder_id: int, *parts: str) -> str:
    return _join(Prefix.REMINDER, reminder_id, *parts)


def brief(contact_id: int) -> str:
    return _join(Prefix.BRIEF, contact_id)


def undo(undo_id: int) -> str:
    return _join(Prefix.UNDO, undo_id)


def lists(*parts: object) -> str:
    return _join(Prefix.LISTS, *parts)


def zone(origin: str, choice: str) -> str:
    return _join(Prefix.ZONE, origin, choice)


def setting(*parts: object) -> str:
    return _join(Prefix.SETTINGS, *parts)


def contacts_import(choice: str, code: str) -> str:
    return _join(Prefix.IMPORT, choice, code)


def account(*parts: object) -> str:
    return _join(Prefix.ACCOUNT, *parts)


def pattern(prefix: Prefix) -> str:
    """The handler pattern for a prefix's presses."""
    return rf"^{prefix.value}:"


def number(text: str, limit: int = ID_MAX) -> int | None:
    """An id or page from callback data: plain ASCII digits within `limit`, else None.

    Not `str.isdigit`, which also accepts "²" that `int` then refuses.
    """
    if not text.isascii() or not text.isdigit() or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


def decode(data: str) -> Decoded | None:
    """Any button's data read back; None for a prefix nobody registered."""
    head, _, rest = data.partition(":")
    try:
        prefix = Prefix(head)
    except ValueError:
        return None
    parts = rest.split(":") if rest else []
    raw_id: str | None = None
    if prefix in _ID_FIRST:
        raw_id, parts = (parts[0], parts[1:]) if parts else ("", [])
    elif prefix in _ACTION_FIRST and len(parts) > 1:
        raw_id, parts = parts[1], [parts[0], *parts[2:]]
    target = None if raw_id is None else number(raw_id)
    action = parts[0] if parts else ""
    return Decoded(prefix, target, action, tuple(parts[1:]))
