"""Starting without a usable configuration says what is wrong in one line and exits with 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,  # no .env there
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_is_one_clear_line_and_exit_code_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "prospekt: TELEGRAM_BOT_TOKEN is missing. See .env.example."
    ]


def test_malformed_token_is_refused_without_echoing_it(tmp_path: Path) -> None:
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN="not-a-token-secret-value")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "not-a-token-secret-value" not in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_time_zone_names_the_variable(tmp_path: Path) -> None:
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DEFAULT_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE" in result.stderr


def test_allowed_user_ids_are_read_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("ALLOWED_USER_IDS", "42, 7,")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.is_allowed(42)
    assert settings.is_allowed(7)
    assert not settings.is_allowed(8)


def test_everyone_is_allowed_without_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.delenv("ALLOWED_USER_IDS", raising=False)
    assert Settings(_env_file=None).is_allowed(12345)  # type: ignore[call-arg]


def test_the_token_never_shows_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert GOOD_TOKEN not in repr(settings)
    assert settings.token == GOOD_TOKEN


def test_language_must_be_one_we_speak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "de")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]
