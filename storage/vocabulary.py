"""The words of the domain, shared by the tables and the pure rules (stdlib only).

Kept apart from `storage.models` so that `bot.rules` can name a stage or an answer without
importing SQLAlchemy.
"""

from __future__ import annotations

import enum
import re
import unicodedata

# Letters NFKD does not take apart: what a Norwegian types without a Norwegian keyboard.
_SPELLED_OUT = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})


def fold(text: str) -> str:
    """Text as it is compared: "Kåre  Ørn" and "kare orn" are the same words.

    Case-folded, accents and Norwegian letters spelled plainly, spaces collapsed.
    """
    lowered = text.casefold().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", plain).strip()


class Stage(enum.StrEnum):
    """Where a contact is on the path lead → prospect → customer → repeat buyer."""

    LEAD = "lead"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    REPEAT = "repeat"


class Answer(enum.StrEnum):
    """What the seller knows about one qualification criterion."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Outcome(enum.StrEnum):
    """How the last sales conversation went."""

    INTERESTED = "interested"
    NOT_READY = "not_ready"
    SAID_NO = "said_no"
    BOUGHT = "bought"


class InteractionKind(enum.StrEnum):
    MEETING = "meeting"
    CALL = "call"
    MESSAGE = "message"
    NOTE = "note"


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ReminderKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    BIRTHDAY_CARD = "birthday_card"
    BIRTHDAY = "birthday"
    DIGEST = "digest"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


class Criterion(enum.StrEnum):
    """The three things that make a lead a prospect."""

    MARKET_FIT = "market_fit"
    BUDGET = "budget"
    AUTHORITY = "authority"
