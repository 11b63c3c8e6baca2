"""The durable inbox: every update a seller sends, stored before Telegram is told it arrived.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox_update")),
    )
    op.create_index(
        "ix_inbox_update_state_lease", "inbox_update", ["state", "lease_until"], unique=False
    )
    op.create_index(op.f("ix_inbox_update_seller_id"), "inbox_update", ["seller_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_update_seller_id"), table_name="inbox_update")
    op.drop_index("ix_inbox_update_state_lease", table_name="inbox_update")
    op.drop_table("inbox_update")
