"""Bot API methods that create, change or delete messages, and the ones about files/buttons."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

from tests.fakeapi.chat import BotMessage, CallbackAnswer, ChatState, now
from tests.fakeapi.errors import bad_request
from tests.fakeapi.files import StoredFile
from tests.fakeapi.limits import MAX_CALLBACK_ANSWER_LENGTH, format_text, validate_reply_markup
from tests.fakeapi.params import Params, Upload
from tests.fakeapi.state import BotState

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


def _reply(state: BotState, chat: ChatState, message: BotMessage) -> dict[str, Any]:
    return message.to_api(chat.to_api(), state.bot_user)


def _check_reply_target(chat: ChatState, p: Params) -> None:
    parameters = p.get("reply_parameters")
    target = parameters.get("message_id") if isinstance(parameters, dict) else None
    target = target or p.get("reply_to_message_id")
    if target is None:
        return
    exists = target in chat.bot_messages or target in chat.user_messages
    tolerant = p.flag("allow_sending_without_reply") or (
        isinstance(parameters, dict) and parameters.get("allow_sending_without_reply") is True
    )
    if (not exists or target in chat.deleted) and not tolerant:
        raise bad_request("message to be replied not found")


async def send_message(state: BotState, p: Params) -> Any:
    chat = state.chat(p)
    text = p.text("text", empty="message text is empty")
    parse_mode = p.optional_text("parse_mode")
    formatted = format_text(
        text, parse_mode, p.get("entities"), strict_ampersand=state.strict_ampersand
    )
    markup = validate_reply_markup(p.get("reply_markup"))
    _check_reply_target(chat, p)
    message = BotMessage(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=now(),
        text=formatted.text,
        raw_text=text,
        parse_mode=parse_mode,
        entities=formatted.entities,
        reply_markup=markup,
    )
    chat.add_bot_message(message)
    return _reply(state, chat, message)


def _resolve_file(state: BotState, value: object, kind: Literal["document", "photo"]) -> StoredFile:
    folder = f"{kind}s"
    if isinstance(value, Upload):
        if not value.data:
            raise bad_request("file must be non-empty")
        return state.files.add(
            value.data, kind=folder, file_name=value.filename, mime_type=value.content_type
        )
    if isinstance(value, str) and value:
        existing = state.files.get(value)
        if existing is not None:
            return existing
        if value.startswith(("http://", "https://")):
            name = PurePosixPath(urlsplit(value).path).name or None
            return state.files.add(b"", kind=folder, file_name=name, url=value)
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {kind} in the request")


async def _send_file(state: BotState, p: Params, kind: Literal["document", "photo"]) -> Any:
    chat = state.chat(p)
    stored = _resolve_file(state, p.get(kind), kind)
    caption = p.optional_text("caption") or ""
    parse_mode = p.optional_text("parse_mode")
    formatted = format_text(
        caption,
        parse_mode,
        p.get("caption_entities"),
        caption=True,
        strict_ampersand=state.strict_ampersand,
    )
    markup = validate_reply_markup(p.get("reply_markup"))
    _check_reply_target(chat, p)
    message = BotMessage(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=now(),
        text=formatted.text,
        raw_text=caption,
        parse_mode=parse_mode,
        entities=formatted.entities,
        reply_markup=markup,
        kind=kind,
        file=stored,
    )
    chat.add_bot_message(message)
    return _reply(state, chat, message)


async def send_document(state: BotState, p: Params) -> Any:
    return await _send_file(state, p, "document")


async def send_photo(state: BotState, p: Params) -> Any:
    return await _send_file(state, p, "photo")


def _editable(state: BotState, p: Params) -> tuple[ChatState, BotMessage]:
    if p.get("inline_message_id") is not None:
        raise bad_request("inline_message_id is not supported by the fake Bot API")
    chat = state.chat(p)
    message_id = p.integer("message_id")
    message = chat.find(message_id)
    if message is None:
        if message_id in chat.user_messages and message_id not in chat.deleted:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return chat, message


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


def _apply_edit(state: BotState, chat: ChatState, old: BotMessage, new: BotMessage) -> Any:
    """Telegram compares what the user would see: visible text, entities and inline markup."""
    before = (old.text, old.entities, _inline_only(old.reply_markup))
    if (new.text, new.entities, new.reply_markup) == before:
        raise bad_request(NOT_MODIFIED)
    edited = replace(new, edited=True, edit_date=now())
    chat.edit_bot_message(edited)
    return _reply(state, chat, edited)


async def edit_message_text(state: BotState, p: Params) -> Any:
    chat, message = _editable(state, p)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text = p.text("text", empty="message text is empty")
    parse_mode = p.optional_text("parse_mode")
    formatted = format_text(
        text, parse_mode, p.get("entities"), strict_ampersand=state.strict_ampersand
    )
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    new = replace(
        message,
        text=formatted.text,
        raw_text=text,
        parse_mode=parse_mode,
        entities=formatted.entities,
        reply_markup=markup,
    )
    return _apply_edit(state, chat, message, new)


async def edit_message_caption(state: BotState, p: Params) -> Any:
    chat, message = _editable(state, p)
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    caption = p.optional_text("caption") or ""
    parse_mode = p.optional_text("parse_mode")
    formatted = format_text(
        caption,
        parse_mode,
        p.get("caption_entities"),
        caption=True,
        strict_ampersand=state.strict_ampersand,
    )
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    new = replace(
        message,
        text=formatted.text,
        raw_text=caption,
        parse_mode=parse_mode,
        entities=formatted.entities,
        reply_markup=markup,
    )
    return _apply_edit(state, chat, message, new)


async def edit_message_reply_markup(state: BotState, p: Params) -> Any:
    chat, message = _editable(state, p)
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    return _apply_edit(state, chat, message, replace(message, reply_markup=markup))


async def delete_message(state: BotState, p: Params) -> Any:
    chat = state.chat(p, writing=False)
    if not chat.delete(p.integer("message_id")):
        raise bad_request("message to delete not found")
    return True


async def get_file(state: BotState, p: Params) -> Any:
    stored = state.files.get(p.text("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.to_api()


async def answer_callback_query(state: BotState, p: Params) -> Any:
    """Each query may be answered once; unknown or already answered ids are "too old"."""
    record = state.callback_queries.get(p.text("callback_query_id"))
    if record is None or record.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    text = p.optional_text("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")
    show_alert = p.flag("show_alert")
    record.answer = CallbackAnswer(record.query_id, text, show_alert, p.optional_text("url"))
    chat = state.chats[record.chat_id]
    chat.callback_answers.append(record.answer)
    if text:
        chat.note("< bot (alert)" if show_alert else "< bot (toast)", text)
    return True
