"""The one settings class: environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Telegram tokens look like "123456789:AAH...": a numeric bot id, a colon, a 30+ char secret.
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
PLACEHOLDER_TOKENS = frozenset({"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "changeme"})


class DatabaseSettings(BaseSettings):
    """What the database commands (backup, restore, copy-db) read: no token needed."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///data/prospekt.sqlite3"


class Settings(DatabaseSettings):
    """Everything the bot reads from its environment; the token never leaves `SecretStr`."""

    telegram_bot_token: SecretStr
    telegram_api_url: str = "https://api.telegram.org"
    default_timezone: str = "Europe/Oslo"
    default_language: Literal["nb", "en"] | None = None
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_looks_real(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if token in PLACEHOLDER_TOKENS or not TOKEN_PATTERN.match(token):
            raise ValueError("does not look like a token from @BotFather (digits:secret)")
        return SecretStr(token)

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("default_language", mode="before")
    @classmethod
    def _empty_language_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise ValueError("must be Telegram user ids (numbers) separated by commas")
        return frozenset(int(part) for part in parts)

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()

    def is_allowed(self, user_id: int) -> bool:
        """Everyone is allowed unless ALLOWED_USER_IDS names who is."""
        return not self.allowed_user_ids or user_id in self.allowed_user_ids
