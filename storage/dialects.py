"""SQL that the two databases spell differently, behind one name."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for the database named by its dialect ("postgresql", "sqlite"), with its
    `on_conflict_do_*` (both have them, in their own dialect)."""
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
