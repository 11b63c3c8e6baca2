"""The pipeline: an index on a seller's reminders by kind, status and due time.

/today reads one seller's pending follow-ups (those due, and whether a contact has any). With
only (status, due_at) to go by, SQLite walked every seller's pending reminders for that.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_reminder_owner_kind_status_due",
        "reminder",
        ["owner_id", "kind", "status", "due_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_owner_kind_status_due", table_name="reminder")
