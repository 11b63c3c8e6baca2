"""SQL that the two databases spell differently, behind one name."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for the session's database, with its `on_conflict_do_*` (both have them,
    in their own dialect)."""
    return insert_for(session.get_bind().dialect.name, model)


def insert_for(dialect: str, model: Any) -> postgresql.Insert | sqlite.Insert:
    """`insert` for a database named by its dialect ("postgresql", "sqlite")."""
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
