"""A seller's private calendar subscription: the secret token in its address, if any.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 18:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so the sellers' rows and what hangs on them stay.
    op.add_column("seller", sa.Column("calendar_token", sa.String(64), nullable=True))
    op.create_index("ix_seller_calendar_token", "seller", ["calendar_token"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_seller_calendar_token", table_name="seller")
    op.drop_column("seller", "calendar_token")  # ALTER TABLE DROP COLUMN (SQLite 3.35+)
