"""Bot-level API methods (identity, polling, commands, menu) and the method table."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakeapi import messages
from tests.fakeapi.errors import ApiError, bad_request
from tests.fakeapi.limits import language_key, scope_key, validate_commands
from tests.fakeapi.params import Params
from tests.fakeapi.state import BotState

Handler = Callable[[BotState, Params], Awaitable[Any]]

CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})


async def get_me(state: BotState, p: Params) -> Any:
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(state: BotState, p: Params) -> Any:
    if state.webhook is not None:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
    return await state.updates.get_updates(
        offset=p.optional_integer("offset", 0),
        limit=p.optional_integer("limit", 100),
        wait_seconds=p.optional_integer("timeout", 0),
        allowed_updates=p.get("allowed_updates"),
    )


async def delete_webhook(state: BotState, p: Params) -> Any:
    if p.flag("drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = None
    return True


async def set_webhook(state: BotState, p: Params) -> Any:
    """Remember where updates would be posted (tests post them there themselves)."""
    url = p.text("url")
    if not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.optional_text("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    allowed = p.get("allowed_updates")
    state.webhook = {"url": url, "secret_token": secret, "allowed_updates": allowed}
    return True


async def get_webhook_info(state: BotState, p: Params) -> Any:
    pending = len(state.updates.pending)
    url = state.webhook["url"] if state.webhook else ""
    return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}


def _commands_key(state: BotState, p: Params) -> tuple[str, str]:
    scope = p.get("scope")
    chat_id = scope.get("chat_id") if isinstance(scope, dict) else None
    if chat_id is not None and chat_id not in state.chats:
        raise bad_request("chat not found")
    return scope_key(scope), language_key(p.get("language_code"))


async def set_my_commands(state: BotState, p: Params) -> Any:
    if p.get("commands") is None:
        raise bad_request('parameter "commands" is required')
    state.commands[_commands_key(state, p)] = validate_commands(p.get("commands"))
    return True


async def get_my_commands(state: BotState, p: Params) -> Any:
    commands = state.commands.get(_commands_key(state, p), [])
    return [{"command": command, "description": text} for command, text in commands]


async def delete_my_commands(state: BotState, p: Params) -> Any:
    state.commands.pop(_commands_key(state, p), None)
    return True


def _menu_chat(state: BotState, p: Params) -> int | None:
    return None if p.get("chat_id") is None else state.chat(p, writing=False).id


async def set_chat_menu_button(state: BotState, p: Params) -> Any:
    button = p.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
        raise bad_request("can't parse menu button JSON object")
    state.menu_buttons[_menu_chat(state, p)] = button
    return True


async def get_chat_menu_button(state: BotState, p: Params) -> Any:
    return state.menu_buttons.get(_menu_chat(state, p), {"type": "default"})


async def send_chat_action(state: BotState, p: Params) -> Any:
    chat = state.chat(p)
    action = p.text("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action)
    return True


# Profile texts a bot sets about itself, per language: name -> (parameter, maximum length).
PROFILE_TEXTS = {"Name": ("name", 64), "Description": ("description", 512)}
PROFILE_TEXTS["ShortDescription"] = ("short_description", 120)


def _profile_methods(title: str) -> dict[str, Handler]:
    field, limit = PROFILE_TEXTS[title]

    async def setter(state: BotState, p: Params) -> Any:
        value = p.optional_text(field) or ""
        if len(value) > limit:
            raise bad_request(f"{field} is too long")
        state.profile[(field, language_key(p.get("language_code")))] = value
        return True

    async def getter(state: BotState, p: Params) -> Any:
        return {field: state.profile.get((field, language_key(p.get("language_code"))), "")}

    return {f"setMy{title}": setter, f"getMy{title}": getter}


METHODS: dict[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": get_me,
        "getUpdates": get_updates,
        "deleteWebhook": delete_webhook,
        "setWebhook": set_webhook,
        "getWebhookInfo": get_webhook_info,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "setChatMenuButton": set_chat_menu_button,
        "getChatMenuButton": get_chat_menu_button,
        "sendChatAction": send_chat_action,
        "sendMessage": messages.send_message,
        "sendDocument": messages.send_document,
        "sendPhoto": messages.send_photo,
        "editMessageText": messages.edit_message_text,
        "editMessageCaption": messages.edit_message_caption,
        "editMessageReplyMarkup": messages.edit_message_reply_markup,
        "deleteMessage": messages.delete_message,
        "getFile": messages.get_file,
        "answerCallbackQuery": messages.answer_callback_query,
        **_profile_methods("Name"),
        **_profile_methods("Description"),
        **_profile_methods("ShortDescription"),
    }.items()
}
"""Telegram method names are case-insensitive, so the table is keyed by lower-case name."""
