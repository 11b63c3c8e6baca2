"""The reminder dispatcher: who holds a claim, and whether a send's outcome was unknown.

- `claimed_by`: the id of the dispatcher process that claimed the row (`host:pid:boot`). A
  new process takes back at start the claims of one that is provably dead, instead of
  waiting for them to grow stale; settling touches only the rows its own dispatcher holds.
- `outcome_unknown_at`: when a send of the row timed out or got a 5xx after the request was
  written, so it may have been delivered. Such a row is sent again at most once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("outcome_unknown_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("outcome_unknown_at")
        batch.drop_column("claimed_by")
