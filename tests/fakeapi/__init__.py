"""A fake Telegram Bot API for end-to-end tests: the real PTB Application polls it over HTTP,
and :class:`PhoneUser` plays the person tapping on a phone."""

from tests.fakeapi.chat import BotMessage, CallbackAnswer, ChatState, UserInfo
from tests.fakeapi.errors import ApiError
from tests.fakeapi.files import StoredFile
from tests.fakeapi.flood import FloodControl
from tests.fakeapi.runner import running_bot
from tests.fakeapi.server import ApiCall, FakeTelegramServer
from tests.fakeapi.state import DEFAULT_TOKEN
from tests.fakeapi.tghtml import FormattedText, HtmlError, parse_html, utf16_len
from tests.fakeapi.tracking import TrackingUpdateProcessor
from tests.fakeapi.user import PhoneUser, UserActionError

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "BotMessage",
    "CallbackAnswer",
    "ChatState",
    "FakeTelegramServer",
    "FloodControl",
    "FormattedText",
    "HtmlError",
    "PhoneUser",
    "StoredFile",
    "TrackingUpdateProcessor",
    "UserActionError",
    "UserInfo",
    "parse_html",
    "running_bot",
    "utf16_len",
]
