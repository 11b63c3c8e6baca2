"""Everything the fake Telegram knows, shared by the HTTP methods and the test helpers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from tests.fakeapi.chat import CallbackAnswer, ChatState, UserInfo
from tests.fakeapi.errors import bad_request, forbidden
from tests.fakeapi.files import FileStore
from tests.fakeapi.flood import FloodControl
from tests.fakeapi.params import Params
from tests.fakeapi.updates import UpdateQueue

DEFAULT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@dataclass
class CallbackQueryRecord:
    """A button press the bot may answer exactly once."""

    query_id: str
    chat_id: int
    message_id: int
    data: str
    answer: CallbackAnswer | None = None


class BotState:
    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        first_name: str = "Prospekt Test Bot",
        username: str = "prospekt_test_bot",
        strict_ampersand: bool = True,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.strict_ampersand = strict_ampersand
        self.chats: dict[int, ChatState] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.flood = FloodControl()
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.webhook: dict[str, Any] | None = None  # set by setWebhook
        self.profile: dict[tuple[str, str], str] = {}  # (field, language) -> text

    def add_chat(self, user: UserInfo) -> ChatState:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.chats[user.id] = ChatState(user)
        return chat

    def chat(self, params: Params, *, writing: bool = True) -> ChatState:
        """The chat named by ``chat_id``; sending to a user who blocked the bot is a 403."""
        chat = self.chats.get(params.integer("chat_id"))
        if chat is None:
            raise bad_request("chat not found")
        if writing and chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def new_callback_query(self, chat: ChatState, message_id: int, data: str) -> str:
        query_id = str(secrets.randbits(62))
        self.callback_queries[query_id] = CallbackQueryRecord(query_id, chat.id, message_id, data)
        return query_id
