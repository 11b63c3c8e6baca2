"""What Telegram refuses from a bot: over-long text, bad markup, broken keyboards and commands.

Descriptions are Telegram's own wording where known, so a test failure reads like production.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakeapi.errors import bad_request
from tests.fakeapi.tghtml import FormattedText, HtmlError, parse_html, utf16_len

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_BUTTONS = 100
MAX_COMMANDS = 100
INLINE_BUTTON_KINDS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
SCOPE_TYPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
        "chat_administrators", "chat_member",
    }
)  # fmt: skip
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_URL = re.compile(r"(?:(?:https?|tg|ftp)://|[\w-]+(?:\.[\w-]+)+(?:/|$))\S*", re.IGNORECASE)


def format_text(
    raw: str,
    parse_mode: str | None,
    entities: object = None,
    *,
    caption: bool = False,
    strict_ampersand: bool = True,
) -> FormattedText:
    """Apply ``parse_mode`` and Telegram's trimming, then enforce emptiness and length limits.

    Markdown modes are accepted but not interpreted: the visible text is the raw text.
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(raw, strict_ampersand=strict_ampersand)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    elif mode in {"", "markdown", "markdownv2"}:
        parsed = FormattedText(raw, _explicit_entities(entities) if not mode else ())
    else:
        raise bad_request("unsupported parse_mode")
    parsed = _trim(parsed)
    if not caption and not parsed.text:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > (MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH):
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


def _explicit_entities(entities: object) -> tuple[dict[str, Any], ...]:
    if entities is None:
        return ()
    valid = isinstance(entities, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        for e in entities
    )
    if not valid:
        raise bad_request("can't parse entities JSON object")
    return tuple(entities)  # type: ignore[arg-type]


def _trim(parsed: FormattedText) -> FormattedText:
    """Telegram strips leading and trailing whitespace and shifts entities to match."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, tuple(entities))


def validate_reply_markup(markup: object, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Check a decoded ``reply_markup``; edits accept only inline keyboards."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _validate_reply_keyboard(markup)
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows(value: object, field: str, type_name: str) -> list[list[object]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{field}" of the {type_name} should be an Array of Arrays')
    return value


def _validate_inline_keyboard(value: object) -> None:
    buttons = [b for row in _rows(value, "inline_keyboard", "InlineKeyboardMarkup") for b in row]
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    for button in buttons:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        kinds = [kind for kind in INLINE_BUTTON_KINDS if kind in button]
        if not kinds:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        if len(kinds) > 1:
            raise bad_request(
                f"can't parse inline keyboard button: use exactly one of {', '.join(kinds)}"
            )
        data = button.get("callback_data")
        if "callback_data" in button and not (
            isinstance(data, str) and 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        url = button.get("url")
        if "url" in button and not (isinstance(url, str) and _URL.fullmatch(url)):
            raise bad_request("BUTTON_URL_INVALID")


def _validate_reply_keyboard(markup: dict[str, Any]) -> None:
    for row in _rows(markup["keyboard"], "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str):
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and not (isinstance(placeholder, str) and len(placeholder) <= 64):
        raise bad_request("can't parse reply keyboard markup JSON object")


def reply_keyboard_labels(markup: dict[str, Any] | None) -> list[list[str]]:
    """Rows of labels of a reply keyboard (buttons may be plain strings or objects)."""
    rows = (markup or {}).get("keyboard") or []
    return [[b["text"] if isinstance(b, dict) else str(b) for b in row] for row in rows]


def validate_commands(commands: object) -> list[tuple[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    result = []
    for item in commands:
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append((command, description))
    return result


def scope_key(scope: object) -> str:
    """A stable key for a BotCommandScope: the default scope and "no scope" are the same."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("unsupported bot command scope type")
    if scope["type"].startswith("chat") and "chat_id" not in scope:
        raise bad_request("chat_id is empty")
    return "default" if scope == {"type": "default"} else json.dumps(scope, sort_keys=True)


def language_key(language_code: object) -> str:
    if language_code is None or language_code == "":
        return ""
    if not (isinstance(language_code, str) and re.fullmatch(r"[a-z]{2}", language_code)):
        raise bad_request("invalid language code specified")
    return language_code
