"""The one settings class: environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Telegram tokens look like "123456789:AAH...": a numeric bot id, a colon, a 30+ char secret.
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook's secret_token allows
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
    # Webhook mode (several workers behind a proxy); polling when WEBHOOK_URL is unset.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen: str = "0.0.0.0"  # noqa: S104 - a worker in a container listens on every interface
    port: int = Field(default=8080, ge=1, le=65535)
    # Seconds between runs of each worker's reminder dispatcher. With several workers a
    # standby takes over from a sender that died at its next run, so this bounds the gap.
    reminder_interval: float = Field(default=30.0, ge=1.0, le=3600.0)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_looks_real(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if token in PLACEHOLDER_TOKENS or not TOKEN_PATTERN.match(token):
            raise ValueError("does not look like a token from @BotFather (digits:secret)")
        return SecretStr(token)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _https_webhook(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not value.startswith("https://"):
            raise ValueError("must be the public https:// address Telegram posts updates to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL")
        return self

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
