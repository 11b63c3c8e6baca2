"""One private chat as the user's phone shows it: messages, edits, keyboards and a transcript."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.fakeapi.files import StoredFile
from tests.fakeapi.limits import reply_keyboard_labels

MessageKind = Literal["text", "document", "photo"]


@dataclass(frozen=True)
class UserInfo:
    """The human on the other end; in a private chat the chat id equals the user id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body


@dataclass(frozen=True)
class CallbackAnswer:
    """What answerCallbackQuery showed: a toast, an alert (``show_alert``) or nothing."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """A snapshot of a bot message; an edit yields a new snapshot with ``edited=True``.

    ``text`` is what the user reads (HTML tags stripped, entities decoded; the caption for
    files), ``raw_text`` what the bot sent.
    """

    message_id: int
    chat_id: int
    date: int
    text: str
    raw_text: str
    parse_mode: str | None = None
    entities: tuple[dict[str, Any], ...] = ()
    reply_markup: dict[str, Any] | None = None
    kind: MessageKind = "text"
    file: StoredFile | None = None
    edited: bool = False
    edit_date: int | None = None

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        rows: list[list[dict[str, Any]]] = (self.reply_markup or {}).get("inline_keyboard") or []
        return rows

    @property
    def buttons(self) -> list[list[str]]:
        """Inline button labels, row by row."""
        return [[button["text"] for button in row] for row in self.inline_keyboard]

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    @property
    def callback_data(self) -> dict[str, str]:
        """Label -> callback_data of every callback button."""
        return {
            button["text"]: button["callback_data"]
            for row in self.inline_keyboard
            for button in row
            if "callback_data" in button
        }

    @property
    def keyboard(self) -> list[list[str]]:
        """Reply-keyboard labels, row by row, if this message set one."""
        return reply_keyboard_labels(self.reply_markup)

    def button(self, label: str) -> dict[str, Any] | None:
        return next((b for row in self.inline_keyboard for b in row if b["text"] == label), None)

    def to_api(self, chat: dict[str, Any], bot_user: dict[str, Any]) -> dict[str, Any]:
        """The ``Message`` object Telegram returns for this message."""
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "from": bot_user,
            "chat": chat,
            "date": self.date,
        }
        prefix = "" if self.kind == "text" else "caption_"
        if self.kind == "text" or self.text:
            body["text" if self.kind == "text" else "caption"] = self.text
        if self.entities:
            body[f"{prefix}entities"] = list(self.entities)
        if self.file is not None and self.kind == "document":
            body["document"] = self.file.document_json()
        elif self.file is not None:
            body["photo"] = self.file.photo_json()
        if self.inline_keyboard:
            body["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            body["edit_date"] = self.edit_date
        return body

    def describe(self) -> str:
        parts = []
        if self.file is not None:
            name = self.file.file_name or self.file.file_id
            parts.append(f"[{self.kind} {name}, {self.file.size} bytes]")
        if self.text:
            parts.append(self.text)
        if self.buttons:
            parts.append(f"[buttons: {_rows(self.buttons)}]")
        if self.keyboard:
            parts.append(f"[keyboard: {_rows(self.keyboard)}]")
        elif (self.reply_markup or {}).get("remove_keyboard"):
            parts.append("[keyboard removed]")
        return " ".join(parts)


def _rows(rows: list[list[str]]) -> str:
    return " / ".join(" | ".join(row) for row in rows)


@dataclass(frozen=True)
class ChatEvent:
    """A transcript line; bot messages carry the snapshot as it was at that moment."""

    prefix: str
    text: str
    message: BotMessage | None = None

    def render(self) -> str:
        first, *rest = f"{self.prefix}: {self.text}".split("\n")
        return "\n".join([first, *(f"    {line}".rstrip() for line in rest)])


@dataclass
class ChatState:
    user: UserInfo
    blocked: bool = False
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    events: list[ChatEvent] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None
    callback_answers: list[CallbackAnswer] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    _last_message_id: int = 0

    @property
    def id(self) -> int:
        return self.user.id

    def next_message_id(self) -> int:
        """User and bot messages share one increasing counter per chat, as in Telegram."""
        self._last_message_id += 1
        return self._last_message_id

    def to_api(self) -> dict[str, Any]:
        body = {key: v for key, v in self.user.to_api().items() if key != "language_code"}
        del body["is_bot"]
        return {**body, "type": "private"}

    def add_user_message(self, message: dict[str, Any], summary: str) -> None:
        self.user_messages[message["message_id"]] = message
        self.events.append(ChatEvent("> user", summary))

    def note(self, prefix: str, text: str) -> None:
        self.events.append(ChatEvent(prefix, text))

    def add_bot_message(self, message: BotMessage) -> None:
        self.bot_messages[message.message_id] = message
        self.events.append(ChatEvent("< bot", message.describe(), message))
        if "keyboard" in (message.reply_markup or {}):
            self.reply_keyboard = message.reply_markup
        elif (message.reply_markup or {}).get("remove_keyboard"):
            self.reply_keyboard = None

    def edit_bot_message(self, message: BotMessage) -> None:
        self.bot_messages[message.message_id] = message
        prefix = f"< bot (edited #{message.message_id})"
        self.events.append(ChatEvent(prefix, message.describe(), message))

    def find(self, message_id: int) -> BotMessage | None:
        """The current bot message with this id, unless deleted."""
        return None if message_id in self.deleted else self.bot_messages.get(message_id)

    def delete(self, message_id: int) -> bool:
        exists = message_id in self.bot_messages or message_id in self.user_messages
        if not exists or message_id in self.deleted:
            return False
        self.deleted.add(message_id)
        self.events.append(ChatEvent("< bot", f"[deleted #{message_id}]"))
        return True

    @property
    def messages(self) -> list[BotMessage]:
        """Current bot messages (edits applied, deleted ones gone), oldest first."""
        return [m for i, m in sorted(self.bot_messages.items()) if i not in self.deleted]

    def output_since(self, mark: int) -> list[BotMessage]:
        """Bot messages and edits produced after ``events[mark]``."""
        return [e.message for e in self.events[mark:] if e.message is not None]

    def transcript(self) -> str:
        return "\n".join(event.render() for event in self.events)


def now() -> int:
    return int(time.time())
