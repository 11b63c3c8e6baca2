"""Decode Bot API requests the way Telegram does: query string, form, multipart or JSON.

PTB sends every value as a string (nested objects JSON-encoded) in a form or multipart body,
so known fields are converted back to ints, bools and JSON for handlers and for assertions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakeapi.errors import bad_request

INT_FIELDS = frozenset(
    {
        "chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id",
        "reply_to_message_id", "message_thread_id", "from_chat_id",
    }
)  # fmt: skip
BOOL_FIELDS = frozenset(
    {
        "show_alert", "drop_pending_updates", "disable_notification", "protect_content",
        "disable_web_page_preview", "allow_sending_without_reply", "has_spoiler",
        "disable_content_type_detection", "show_caption_above_media",
    }
)  # fmt: skip
JSON_FIELDS = frozenset(
    {
        "reply_markup", "commands", "scope", "entities", "caption_entities", "allowed_updates",
        "menu_button", "link_preview_options", "reply_parameters",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


def _convert(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value  # e.g. "@channelusername"; handlers reject it
    if name in BOOL_FIELDS:
        return value.lower() in {"true", "1"}
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc
    return value


async def decode_request(request: web.Request) -> dict[str, Any]:
    """All parameters of a request, typed; file parts become :class:`Upload`."""
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise bad_request("can't parse JSON encoded request") from exc
            if not isinstance(body, dict):
                raise bad_request("JSON object expected as request body")
            raw.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    raw[key] = Upload(value.filename, value.content_type, data)
                else:
                    raw[key] = value
    return {name: _convert(name, value) for name, value in raw.items()}


class Params:
    """Typed access to decoded parameters, failing with Telegram-style 400s."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def integer(self, name: str) -> int:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(
                "chat not found" if name == "chat_id" else f"invalid {name} specified"
            )
        return value

    def optional_integer(self, name: str, default: int) -> int:
        return default if self.values.get(name) is None else self.integer(name)

    def text(self, name: str, *, empty: str | None = None) -> str:
        value = self.optional_text(name)
        if not value:
            raise bad_request(empty or f"{name} is empty")
        return value

    def optional_text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is not None and not isinstance(value, str):
            raise bad_request(f"{name} must be a String")
        return value

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name) or False)
