"""Contact ids are never reused on SQLite (AUTOINCREMENT).

Without it SQLite gives a deleted contact's id to the next new contact, so a button left in
the chat for the deleted one would open the new one. PostgreSQL sequences never reuse ids, so
this changes nothing there. SQLite can only add AUTOINCREMENT by rebuilding the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 13:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "contact", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
