"""Sales: what a purchase was worth, so /pipeline can show the value won this month and year.

One row per "Bought" the seller gave an amount for, in the seller's currency (ISO 4217).
Deleted with its contact (and restored with it by undo).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("sold_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["seller.id"], name=op.f("fk_sale_owner_id_seller"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_sale_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale")),
    )
    op.create_index("ix_sale_owner_sold_at", "sale", ["owner_id", "sold_at"], unique=False)
    op.create_index(op.f("ix_sale_contact_id"), "sale", ["contact_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sale_contact_id"), table_name="sale")
    op.drop_index("ix_sale_owner_sold_at", table_name="sale")
    op.drop_table("sale")
