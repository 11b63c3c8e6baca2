"""Requests to the Bot API over aiohttp rather than PTB's default httpx.

Under a crowd of sellers the bot's one CPU core is the limit, and a reply's HTTP round trip
through httpx and httpcore (pure Python: connection pool, h11 parser, anyio) cost more of it
than anything Prospekt does itself. aiohttp, already here for the webhook server, parses HTTP
in C. Bodies without files go as JSON, which the Bot API takes like a form; files go as
multipart, as PTB's own request class sends them.
"""

from __future__ import annotations

import logging

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

JSON_HEADERS = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
PLAIN_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """`BaseRequest` over one `aiohttp.ClientSession`, with PTB's timeouts mapped onto
    aiohttp's: `pool` waits for a free connection, `connect` opens one, `read` waits between
    bytes of the answer, and `write` bounds the whole request (aiohttp has no write timeout),
    so a stalled upload ends too."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """What getUpdates adds its long-poll time to."""
        return self._read

    async def initialize(self) -> None:
        """Open the session on the running loop (it binds to the loop it is made on)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the session and its connections; initialize() opens a new one."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST (or GET) to the Bot API; its status code and body, or TimedOut / NetworkError
        as PTB's own request class raises them."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            _given(read_timeout, self._read),
            _given(write_timeout, self._media_write if files else self._write),
            _given(connect_timeout, self._connect),
            _given(pool_timeout, self._pool),
        )
        body: bytes | aiohttp.FormData | None = None
        headers = PLAIN_HEADERS
        if request_data is not None and files:
            body = _multipart(request_data)
        elif request_data is not None:
            body, headers = request_data.json_payload, JSON_HEADERS
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                answer = await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut("Timed out getting or opening a connection to Telegram") from error
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        if log.isEnabledFor(logging.DEBUG):  # as httpx logs them (the log handler hides the token)
            log.debug("HTTP Request: %s %s %s", method, url, response.status)
        return response.status, answer

    @staticmethod
    def _timeout(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        parts = (read, write, connect, pool)
        total = None if None in parts else sum(p for p in parts if p is not None)
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect, sock_read=read
        )


def _given(value: float | object | None, default: float | None) -> float | None:
    """The timeout a call passed, or this request's own where it passed none."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value  # type: ignore[return-value]


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """The parameters as fields and each file as a part, as the Bot API takes uploads."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, mime_type = upload
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
