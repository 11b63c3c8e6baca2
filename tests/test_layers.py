"""The dependency rule: storage knows no Telegram, rules know no I/O, features stay apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Top-level and dotted names of everything a module imports, at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offending(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    found = []
    paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
    for path in paths:
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden and not name.startswith(allowed):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_storage_never_imports_telegram_or_the_bot() -> None:
    assert offending("storage", ("telegram", "bot")) == []


def test_rules_import_neither_telegram_nor_a_database() -> None:
    """Rules may name the domain's words (storage.vocabulary), nothing else of storage."""
    forbidden = ("telegram", "sqlalchemy", "storage", "aiosqlite", "asyncpg", "bot")
    allowed = ("storage.vocabulary", "bot.rules")
    assert offending("bot/rules", forbidden, allowed) == []


def test_the_domain_vocabulary_is_stdlib_only() -> None:
    assert offending("storage/vocabulary.py", ("sqlalchemy", "telegram", "bot", "storage")) == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "bot" / "handlers").glob("*.py")), ids=lambda p: p.name
)
def test_feature_handlers_do_not_import_each_other(path: Path) -> None:
    siblings = {f"bot.handlers.{p.stem}" for p in path.parent.glob("*.py") if p != path}
    assert imported_modules(path) & siblings == set()


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """Guard against a checker that silently passes everything."""
    module = tmp_path / "m.py"
    module.write_text("from telegram.ext import Application\nimport sqlalchemy.orm\n")
    assert {"telegram.ext", "sqlalchemy.orm"} <= imported_modules(module)
