"""Contacts: the person's Telegram user id, and when the birthday question was last skipped.

`telegram_user_id` is known when the seller forwards a message from the person; with it
(indexed with the owner) a meeting with someone already in the book is caught by more than
the name. `birthday_skipped_at` lets /meet leave the birthday question alone for a while
after the seller skipped it. Both are nullable: existing rows simply do not know them yet.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("birthday_skipped_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_contact_owner_telegram_user",
        "contact",
        ["owner_id", "telegram_user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_contact_owner_telegram_user", table_name="contact")
    # Dropping columns rebuilds the table on SQLite: keep its AUTOINCREMENT (0004).
    with op.batch_alter_table("contact", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("birthday_skipped_at")
        batch.drop_column("telegram_user_id")
