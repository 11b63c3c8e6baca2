"""Telegram's error envelope, so PTB maps our failures to the same exceptions as in production."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failed Bot API call; the server renders it as ``{"ok": false, ...}`` with ``status``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def server_error(status: int = 500) -> ApiError:
    """Telegram's own trouble (5xx): the request did nothing, trying again later may work."""
    return ApiError(status, "Internal Server Error" if status == 500 else "Bad Gateway")


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized")


def not_found() -> ApiError:
    return ApiError(404, "Not Found")
