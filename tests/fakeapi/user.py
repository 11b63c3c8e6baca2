"""A person with a phone: sends updates to the bot and reads what the bot answered."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.fakeapi.chat import BotMessage, CallbackAnswer, ChatState, now
from tests.fakeapi.limits import INLINE_BUTTON_KINDS, reply_keyboard_labels
from tests.fakeapi.tghtml import utf16_len

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegramServer

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?(?=\s|$)")


class UserActionError(AssertionError):
    """The user tried something their phone would not let them do (e.g. a missing button)."""


class PhoneUser:
    """Every action waits until the bot has finished handling it, then returns the bot
    messages and edits it produced (snapshots; ``.edited`` marks edits)."""

    def __init__(self, server: FakeTelegramServer, chat: ChatState) -> None:
        self._server = server
        self._chat = chat
        self._forward_ids = 0

    @property
    def user_id(self) -> int:
        return self._chat.user.id

    @property
    def first_name(self) -> str:
        return self._chat.user.first_name

    @property
    def chat(self) -> ChatState:
        return self._chat

    @property
    def messages(self) -> list[BotMessage]:
        """All current bot messages in this chat (edits applied, deleted ones gone)."""
        return self._chat.messages

    @property
    def last_message(self) -> BotMessage | None:
        messages = self._chat.messages
        return messages[-1] if messages else None

    @property
    def last_callback_answer(self) -> CallbackAnswer | None:
        answers = self._chat.callback_answers
        return answers[-1] if answers else None

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of the reply keyboard currently shown, row by row."""
        return reply_keyboard_labels(self._chat.reply_keyboard)

    def transcript(self) -> str:
        return self._chat.transcript()

    # -- sending --------------------------------------------------------------------------

    async def _deliver(self, update: dict[str, Any], what: str) -> list[BotMessage]:
        mark = len(self._chat.events)
        update_id = self._server.push_update(update)
        await self._server.wait_handled(update_id, f"{what} from user {self.user_id}")
        return self._chat.output_since(mark)

    async def _send_message(self, summary: str, what: str, **content: Any) -> list[BotMessage]:
        message = {
            "message_id": self._chat.next_message_id(),
            "from": self._chat.user.to_api(),
            "chat": self._chat.to_api(),
            "date": now(),
            **content,
        }
        self._chat.add_user_message(message, summary)
        return await self._deliver({"message": message}, what)

    async def send(self, text: str) -> list[BotMessage]:
        """Type and send ``text``; a leading /command gets its ``bot_command`` entity."""
        update = self.typed(text)
        return await self._deliver(update, f"message {text!r}")

    def typed(self, text: str) -> dict[str, Any]:
        """The update (without ``update_id``) Telegram makes of ``text`` typed now, put in
        the chat but not sent: for a bot in another process or behind a webhook."""
        if not text.strip():
            raise UserActionError("Telegram does not let users send an empty message")
        content: dict[str, Any] = {"text": text}
        command = _COMMAND.match(text)
        if command:
            length = utf16_len(command.group())
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message = {
            "message_id": self._chat.next_message_id(),
            "from": self._chat.user.to_api(),
            "chat": self._chat.to_api(),
            "date": now(),
            **content,
        }
        self._chat.add_user_message(message, text)
        return {"message": message}

    def push(self, text: str) -> int:
        """Type ``text`` and let Telegram hold it for the bot, without waiting for an
        answer; returns the update id."""
        return self._server.push_update(self.typed(text))

    async def reply_to(self, message: BotMessage, text: str) -> list[BotMessage]:
        """Telegram's Reply on a bot message: the text arrives with that message attached."""
        state = self._server.state
        replied = message.to_api(self._chat.to_api(), state.bot_user)
        summary = f"[reply to #{message.message_id}] {text}"
        return await self._send_message(
            summary, f"reply {text!r}", text=text, reply_to_message=replied
        )

    async def press(
        self, label: str, *, message: BotMessage | int | None = None
    ) -> list[BotMessage]:
        """Press the inline button ``label`` on the latest bot message with buttons."""
        target = self._message_with_buttons(message)
        button = target.button(label)
        if button is None:
            available = ", ".join(f'"{name}"' for name in target.labels)
            raise UserActionError(
                f'No inline button "{label}" on bot message #{target.message_id} '
                f"({_short(target.text)!r}). Available: {available}.\n{self._tail()}"
            )
        if "callback_data" not in button:
            kind = next((k for k in INLINE_BUTTON_KINDS if k in button), "unknown")
            raise UserActionError(f'"{label}" is a {kind} button; it sends no callback query')
        self._chat.note("> user", f'[pressed "{label}" on #{target.message_id}]')
        return await self._callback(target, button["callback_data"], f'press of "{label}"')

    async def press_data(
        self, data: str, *, message: BotMessage | int | None = None
    ) -> list[BotMessage]:
        """Send callback data no button offered: what a tampered client can do."""
        target = self._message_with_buttons(message)
        self._chat.note("> user", f"[forged press {data!r} on #{target.message_id}]")
        return await self._callback(target, data, f"forged press {data!r}")

    async def _callback(self, target: BotMessage, data: str, what: str) -> list[BotMessage]:
        state = self._server.state
        query_id = state.new_callback_query(self._chat, target.message_id, data)
        query = {
            "id": query_id,
            "from": self._chat.user.to_api(),
            "message": target.to_api(self._chat.to_api(), state.bot_user),
            "chat_instance": f"-{self._chat.id}",
            "data": data,
        }
        return await self._deliver({"callback_query": query}, what)

    def _message_with_buttons(self, message: BotMessage | int | None) -> BotMessage:
        if message is not None:
            message_id = message if isinstance(message, int) else message.message_id
            found = self._chat.find(message_id)
            if found is None:
                raise UserActionError(f"bot message #{message_id} is not in the chat (deleted?)")
            return found
        for candidate in reversed(self._chat.messages):
            if candidate.inline_keyboard:
                return candidate
        raise UserActionError(f"No bot message with inline buttons in this chat.\n{self._tail()}")

    async def tap_reply_button(
        self, label: str, *, phone_number: str | None = None
    ) -> list[BotMessage]:
        """Tap a button of the reply keyboard currently shown (sends its text, or the
        user's own contact for a ``request_contact`` button)."""
        markup = self._chat.reply_keyboard or {}
        buttons = [button for row in markup.get("keyboard") or [] for button in row]
        button = next(
            (b for b in buttons if (b["text"] if isinstance(b, dict) else b) == label), None
        )
        if button is None:
            shown = self.reply_keyboard
            current = " / ".join(" | ".join(row) for row in shown) if shown else "none shown"
            raise UserActionError(f'No reply-keyboard button "{label}" (keyboard: {current})')
        if isinstance(button, dict) and button.get("request_contact"):
            if phone_number is None:
                raise UserActionError(f'"{label}" shares the contact: pass phone_number=')
            user = self._chat.user
            return await self.share_contact(
                phone_number, user.first_name, user.last_name, user_id=user.id
            )
        return await self.send(label)

    async def share_contact(
        self,
        phone_number: str,
        first_name: str,
        last_name: str | None = None,
        user_id: int | None = None,
        vcard: str | None = None,
    ) -> list[BotMessage]:
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        extra = {"last_name": last_name, "user_id": user_id, "vcard": vcard}
        contact.update({key: value for key, value in extra.items() if value is not None})
        name = " ".join(filter(None, [first_name, last_name]))
        return await self._send_message(
            f"[contact {name}, {phone_number}]", "shared contact", contact=contact
        )

    async def forward_from(
        self,
        text: str,
        *,
        first_name: str,
        last_name: str | None = None,
        user_id: int | None = None,
        hidden: bool = False,
    ) -> list[BotMessage]:
        """Forward a text someone else wrote; ``hidden`` if they hide their account."""
        name = " ".join(filter(None, [first_name, last_name]))
        origin: dict[str, Any] = {"date": now() - 3600}
        if hidden:
            origin.update(type="hidden_user", sender_user_name=name)
        else:
            self._forward_ids += 1
            sender: dict[str, Any] = {"id": user_id or 900_000_000 + self._forward_ids}
            sender.update(is_bot=False, first_name=first_name)
            if last_name is not None:
                sender["last_name"] = last_name
            origin.update(type="user", sender_user=sender)
        summary = f"[forwarded from {name}{' (hidden)' if hidden else ''}] {text}"
        return await self._send_message(summary, "forward", text=text, forward_origin=origin)

    async def send_document(
        self, data: bytes, file_name: str, mime_type: str, *, caption: str | None = None
    ) -> list[BotMessage]:
        """Send a file; the bot can fetch it with getFile and download it."""
        stored = self._server.state.files.add(data, file_name=file_name, mime_type=mime_type)
        content: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            content["caption"] = caption
        summary = f"[document {file_name}, {len(data)} bytes]" + (f" {caption}" if caption else "")
        return await self._send_message(summary, f"document {file_name!r}", **content)

    def _tail(self, lines: int = 12) -> str:
        tail = self.transcript().splitlines()[-lines:]
        return "Transcript (end):\n" + "\n".join(f"  {line}" for line in tail)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
