"""The floors of the code, and that each imports only what is below it.

    app          bot/app.py, bot/__main__.py: wires everything
    features     bot/meeting, contacts, search, reminders, today, pipeline, settings, account,
                 basics: never import each other
    ui           bot/ui: the presentation floor every feature shows with; imports no feature
    core         bot/*.py (context, flow, texts, config, access, errors, ...): no ui, no feature
    records      bot/records: a seller's writes with their effects, reminder planning; no Telegram
    rules        bot/rules: pure rules; no Telegram, no database, nothing of bot but rules
    storage      storage/: tables and queries; no Telegram, no bot

The meta-tests below build a small tree that breaks each rule once and check the checker
sees it, so a checker that silently passes everything cannot hide here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = (
    "meeting",
    "contacts",
    "search",
    "reminders",
    "today",
    "pipeline",
    "settings",
    "imports",
    "account",
    "basics",
)
FLOORS = ("rules", "records", "ui")
BELOW = {
    "rules": {"rules"},
    "records": {"rules", "records"},
    "core": {"rules", "records", "core"},
    "ui": {"rules", "records", "core", "ui"},
}
NO_TELEGRAM = ("rules", "records")
NO_DATABASE = ("rules",)


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


def place(module: str) -> str:
    """Where a `bot` module stands: a floor, a feature's name, "core" or "app"."""
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else ""
    if head in FLOORS or head in FEATURES:
        return head
    return "app" if head in ("app", "__main__") else "core"


def module_name(root: Path, path: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def allowed(importer: str, imported: str) -> bool:
    """May the `bot` module `importer` import the `bot` module `imported`?"""
    mine, theirs = place(importer), place(imported)
    if mine == "app":
        return True
    if mine in FEATURES:
        return theirs in BELOW["ui"] or theirs == mine
    return theirs in BELOW[mine]


def violations(root: Path) -> list[str]:
    """Every import in `root`'s bot/ and storage/ that crosses the floors the wrong way."""
    found: list[str] = []
    for path in sorted(root.glob("storage/**/*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in ("telegram", "bot"):
                found.append(f"{path.relative_to(root)} imports {name}")
    for path in sorted(root.glob("bot/**/*.py")):
        module = module_name(root, path)
        for name in sorted(imported_modules(path)):
            top = name.split(".")[0]
            where = place(module)
            if top == "bot" and not allowed(module, name):
                found.append(f"{module} ({where}) imports {name} ({place(name)})")
            elif (top == "telegram" and where in NO_TELEGRAM) or (
                where in NO_DATABASE
                and (
                    top in ("sqlalchemy", "aiosqlite", "asyncpg")
                    or (top == "storage" and not name.startswith("storage.vocabulary"))
                )
            ):
                found.append(f"{module} ({where}) imports {name}")
    return found


def test_every_import_respects_the_floors() -> None:
    assert violations(ROOT) == []


def test_the_domain_vocabulary_is_stdlib_only() -> None:
    path = ROOT / "storage" / "vocabulary.py"
    assert {n for n in imported_modules(path) if n.split(".")[0] in ("sqlalchemy", "bot")} == set()


def test_every_bot_package_has_a_place() -> None:
    """A new package under bot/ must be named here, as a floor or a feature."""
    packages = {p.name for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(FLOORS) | set(FEATURES)


# --- the checker itself ----------------------------------------------------------------------

BROKEN = {
    "storage imports telegram": ("storage/q.py", "from telegram import Bot"),
    "storage imports bot": ("storage/q.py", "from bot.rules.dates import When"),
    "rules import telegram": ("bot/rules/r.py", "import telegram"),
    "rules import a database": ("bot/rules/r.py", "from sqlalchemy import select"),
    "rules import storage": ("bot/rules/r.py", "from storage.models import Contact"),
    "rules import records": ("bot/rules/r.py", "from bot.records import planning"),
    "records import telegram": ("bot/records/w.py", "from telegram import Update"),
    "records import core": ("bot/records/w.py", "from bot.context import BotContext"),
    "core imports ui": ("bot/flow.py", "from bot.ui.screen import reply"),
    "core imports a feature": ("bot/flow.py", "from bot.meeting import draft"),
    "ui imports a feature": ("bot/ui/card.py", "from bot.contacts.actions import ACTIONS"),
    "a feature imports another": ("bot/today/h.py", "from bot.meeting.entry import begin"),
    "a feature imports the app": ("bot/search/h.py", "from bot.app import build_application"),
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return root


def _allowed_tree(root: Path) -> Path:
    return _tree(
        root,
        {
            "storage/q.py": "from storage.vocabulary import Stage",
            "bot/rules/r.py": "from storage.vocabulary import Stage\nfrom bot.rules import dates",
            "bot/records/w.py": "from bot.rules.dates import When\nfrom storage.models import X",
            "bot/flow.py": "from bot.context import BotContext\nfrom bot.records import planning",
            "bot/ui/card.py": "from bot.flow import begin\nfrom telegram import Update",
            "bot/today/h.py": "from bot.ui.card import show_card\nfrom bot.today import focus",
            "bot/search/h.py": "from bot.records.contacts import ContactRecords",
            "bot/app.py": "from bot.meeting.entry import begin\nfrom bot.today.h import x",
        },
    )


def test_the_checker_passes_a_tree_that_keeps_the_floors(tmp_path: Path) -> None:
    assert violations(_allowed_tree(tmp_path)) == []


@pytest.mark.parametrize("rule", BROKEN, ids=list(BROKEN))
def test_the_checker_sees_each_rule_broken(tmp_path: Path, rule: str) -> None:
    relative, line = BROKEN[rule]
    root = _allowed_tree(tmp_path)
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")

    found = violations(root)

    offender = module_name(root, path) if relative.startswith("bot") else relative
    assert found, f"{rule}: not seen"
    assert all(line.startswith(f"{offender} ") for line in found), found
