"""The reminder dispatcher: when a row was claimed for sending.

A dispatcher that dies between claiming a reminder and recording the send leaves it in
`sending`. `claimed_at` lets the next run give such rows back (status pending again) once
the claim is a few minutes old; a live dispatcher renews its claims while it holds them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("claimed_at")
