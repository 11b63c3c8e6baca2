"""An aiohttp server speaking the Bot API, so the real PTB Application runs against it."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any

from aiohttp import web
from telegram import BotCommandScope

from tests.fakeapi.chat import ChatState, UserInfo
from tests.fakeapi.errors import ApiError, not_found, server_error, unauthorized
from tests.fakeapi.flood import SEND_METHODS, FloodControl
from tests.fakeapi.limits import language_key, scope_key
from tests.fakeapi.methods import METHODS
from tests.fakeapi.params import Params, decode_request
from tests.fakeapi.state import DEFAULT_TOKEN, BotState
from tests.fakeapi.tracking import TrackingUpdateProcessor
from tests.fakeapi.user import PhoneUser

QUIET_PERIOD = 0.05


@dataclass(frozen=True)
class ApiCall:
    """One request as the server saw it: method, decoded params, HTTP status, JSON body."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    late: bool = False  # done, but answered too late (`deliver_then_time_out`)
    at: float = field(default_factory=time.monotonic)
    """When the request arrived (`time.monotonic`, this process): rates are measured on it."""

    @property
    def description(self) -> str | None:
        description = self.response.get("description")
        return description if isinstance(description, str) else None

    def __str__(self) -> str:
        outcome = self.description or "ok"
        return f"{self.method} -> {self.status} {outcome} {self.params}"


class FakeTelegramServer:
    """Start with ``async with FakeTelegramServer() as server`` and point the bot at ``url``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_first_name: str = "Prospekt Test Bot",
        bot_username: str = "prospekt_test_bot",
        enforce_rate_limits: bool = False,
        strict_ampersand: bool = True,
        wait_timeout: float = 10.0,
    ) -> None:
        self.state = BotState(
            token,
            first_name=bot_first_name,
            username=bot_username,
            strict_ampersand=strict_ampersand,
        )
        self.state.flood.enforce = enforce_rate_limits
        self.wait_timeout = wait_timeout
        self.calls: list[ApiCall] = []
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._processor: TrackingUpdateProcessor | None = None
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._failures: list[int] = []
        self._late_ratio = self._late_share = self._late_stall = 0.0
        self._fail_ratio, self._fail_status, self._fail_random = 0.0, 502, random.Random(0)
        self._slow_chats: dict[int, float] = {}
        self._holding_back: dict[int, asyncio.Event] = {}
        self.down = False  # every call answers 502, getUpdates too (`outage`)

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def bot_id(self) -> int:
        bot_id: int = self.state.bot_user["id"]
        return bot_id

    @property
    def flood(self) -> FloodControl:
        return self.state.flood

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``; the bot calls ``{url}/bot<token>/...``."""
        if self._url is None:
            raise RuntimeError("the fake Telegram server is not running")
        return self._url

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"

    async def stop(self) -> None:
        self.state.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- HTTP -----------------------------------------------------------------------------

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    async def _handle_method(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        method = request.match_info["method"]
        long_poll = method.lower() == "getupdates"
        params: dict[str, Any] = {}
        if not long_poll:
            self._in_flight += 1
            self._touch()
        try:
            if self.down:
                raise server_error(502)
            handler = METHODS.get(method.lower())
            if request.match_info["token"] != self.token:
                raise unauthorized()
            if handler is None:
                logging.getLogger(__name__).warning("fake Bot API lacks method %s", method)
                raise not_found()
            params = await decode_request(request)
            if method.lower() in SEND_METHODS and self._failures:
                raise server_error(self._failures.pop(0))
            if method.lower() in SEND_METHODS and self._fail_random.random() < self._fail_ratio:
                raise server_error(self._fail_status)
            chat_id = params.get("chat_id")
            if method.lower() in SEND_METHODS and chat_id in self._slow_chats:
                self.holding_back(chat_id).set()
                await asyncio.sleep(self._slow_chats[chat_id])
            self.flood.check(method, chat_id if isinstance(chat_id, int) else None)
            result = await handler(self.state, Params(params))
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.status, exc.payload()
        except Exception as exc:  # a bug in the fake: make it loud, not a hung test
            logging.getLogger(__name__).exception("fake Bot API failed on %s", method)
            description = f"Internal Server Error (fake Bot API bug): {exc!r}"
            status, body = 500, {"ok": False, "error_code": 500, "description": description}
        finally:
            if not long_poll:
                self._in_flight -= 1
        if not long_poll or body.get("result"):
            self._touch()
        chat_id = params.get("chat_id")
        if status != 200 and isinstance(chat_id, int) and chat_id in self.state.chats:
            self.state.chats[chat_id].note("! bot", f"[{method} failed: {body['description']}]")
        late = status == 200 and method.lower() == "sendmessage" and self._answer_late()
        self.calls.append(ApiCall(method, params, status, body, late=late, at=received))
        if late:  # the message is in the chat; the client gives up waiting for this answer
            await asyncio.sleep(self._late_stall)
        return web.json_response(body, status=status)

    def _answer_late(self) -> bool:
        self._late_share += self._late_ratio
        if self._late_share < 1.0:
            return False
        self._late_share -= 1.0
        return True

    async def _handle_file(self, request: web.Request) -> web.Response:
        file_path = request.match_info["file_path"]
        stored = self.state.files.by_path(file_path)
        self._touch()
        if request.match_info["token"] != self.token:
            return self._fail(ApiCall("file", {"file_path": file_path}, 0, {}), unauthorized())
        if stored is None:
            return self._fail(ApiCall("file", {"file_path": file_path}, 0, {}), not_found())
        self.calls.append(ApiCall("file", {"file_path": file_path}, 200, {"ok": True}))
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)

    def _fail(self, call: ApiCall, error: ApiError) -> web.Response:
        self.calls.append(replace(call, status=error.status, response=error.payload()))
        return web.json_response(error.payload(), status=error.status)

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return self._fail(ApiCall(request.path, {}, 0, {}), not_found())

    # -- helpers for tests ----------------------------------------------------------------

    @property
    def errors(self) -> list[ApiCall]:
        """Every call answered with a 4xx (400, 401, 403, 404, 429), oldest first - or with
        a 500, which means a bug in the fake itself."""
        return [call for call in self.calls if call.status >= 400]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def assert_no_errors(self) -> None:
        """Fail listing every 4xx answer: a bot that is fine in tests is fine with Telegram."""
        if self.errors:
            lines = "\n".join(f"  {call}" for call in self.errors)
            raise AssertionError(f"the bot made {len(self.errors)} failing API call(s):\n{lines}")

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Kari",
        *,
        last_name: str | None = None,
        language_code: str | None = "nb",
        username: str | None = None,
    ) -> PhoneUser:
        """A person with a private chat with the bot (chat id == user id)."""
        info = UserInfo(user_id, first_name, last_name, username, language_code)
        return PhoneUser(self, self.state.add_chat(info))

    def chat(self, user_id: int) -> ChatState:
        return self.state.chats[user_id]

    def block(self, user_id: int) -> None:
        """The user blocked the bot: every send or edit to them fails with 403."""
        self.state.chats[user_id].blocked = True

    def answer_slowly(self, user_id: int, seconds: float) -> None:
        """Sends and edits to this user are taken only after ``seconds``, as by a Telegram far
        away; the message is in the chat then, and the call answered."""
        self._slow_chats[user_id] = seconds

    def holding_back(self, user_id: int) -> asyncio.Event:
        """Set once a call to this user's chat waits out `answer_slowly`."""
        return self._holding_back.setdefault(user_id, asyncio.Event())

    def fail_next(self, n: int = 1, *, status: int = 500) -> None:
        """Make the next ``n`` send-type calls fail with a 5xx, as Telegram does when it is
        having a bad moment (PTB raises ``NetworkError``). Nothing is sent by such a call."""
        if not 500 <= status <= 599:
            raise ValueError(f"not a server error status: {status}")
        self._failures.extend([status] * n)

    def deliver_then_time_out(self, ratio: float, *, stall: float = 1.0) -> None:
        """From now on a ``ratio`` share of sendMessage calls (every 1/ratio-th, evenly
        spread) deliver the message, then hold the answer back ``stall`` seconds: a client
        whose read timeout is shorter sees a timeout for a message that is in the chat. Such
        calls are recorded with status 200 and ``late=True``; ``ratio=0`` ends it."""
        if not 0.0 <= ratio <= 1.0:
            raise ValueError(f"not a share of calls: {ratio}")
        self._late_ratio, self._late_share, self._late_stall = ratio, 0.0, stall

    def fail_share(self, ratio: float, *, status: int = 502, seed: int = 0) -> None:
        """From now on fail a random ``ratio`` share of send-type calls with ``status``
        before anything is sent (Telegram having a bad few minutes); ``ratio=0`` ends it."""
        if not 0.0 <= ratio <= 1.0 or not 500 <= status <= 599:
            raise ValueError(f"not a share of calls and a server error: {ratio}, {status}")
        self._fail_ratio, self._fail_status = ratio, status
        self._fail_random = random.Random(seed)

    def unblock(self, user_id: int) -> None:
        self.state.chats[user_id].blocked = False

    def commands(
        self,
        scope: Mapping[str, Any] | BotCommandScope | None = None,
        language_code: str | None = None,
    ) -> list[tuple[str, str]]:
        """The (command, description) list last set for this scope and language."""
        scope_dict = scope.to_dict() if isinstance(scope, BotCommandScope) else scope
        key = (
            scope_key(None if scope_dict is None else dict(scope_dict)),
            language_key(language_code),
        )
        return list(self.state.commands.get(key, []))

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (without ``update_id``); returns the id it got."""
        return self.state.updates.push(update)

    @property
    def processor(self) -> TrackingUpdateProcessor | None:
        return self._processor

    def attach(self, processor: TrackingUpdateProcessor) -> None:
        """Let phone users wait for the exact end of handling instead of a quiet period."""
        self._processor = processor

    async def wait_quiet(self, *, quiet: float = QUIET_PERIOD, within: float | None = None) -> None:
        """Wait until no API request has run or finished for ``quiet`` seconds."""
        limit = self.wait_timeout if within is None else within
        deadline = time.monotonic() + limit
        while True:
            idle = time.monotonic() - self._last_activity
            if self._in_flight == 0 and idle >= quiet:
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"the bot kept calling the API for {limit:g}s without a "
                    f"{quiet * 1000:.0f} ms pause"
                )
            await asyncio.sleep(max(quiet - idle, 0.005) if self._in_flight == 0 else 0.005)

    async def wait_handled(self, update_id: int, what: str, within: float | None = None) -> None:
        """Wait until the bot has finished handling ``update_id`` (or Telegram dropped it)."""
        limit = self.wait_timeout if within is None else within
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        updates = self.state.updates
        while update_id not in updates.dropped:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._stuck(update_id, what, limit))
            if self._processor is not None:
                try:
                    await self._processor.wait_for(update_id, timeout=min(remaining, 0.05))
                except TimeoutError:
                    continue
                return
            if update_id in updates.delivered:
                await self.wait_quiet(within=remaining)
                return
            await asyncio.sleep(0.005)

    def _stuck(self, update_id: int, what: str, timeout: float) -> str:
        if update_id in self.state.updates.delivered:
            why = (
                "the bot fetched it with getUpdates but has not finished handling it "
                "(a hanging handler, or one waiting for something that never comes?)"
            )
        else:
            why = (
                f"the bot never fetched it with getUpdates - is an Application polling "
                f"{self._url} with token {self.token.split(':')[0]}:...?"
            )
        if self._processor is not None and not self._processor.done:
            why += (
                "; the attached TrackingUpdateProcessor has not finished any update yet - "
                "was it passed to the Application as its update processor?"
            )
        how = "TrackingUpdateProcessor" if self._processor else "a 50 ms quiet period"
        return (
            f"Timed out after {timeout:g}s waiting for the bot to handle update {update_id} "
            f"({what}), waiting via {how}: {why}"
        )
