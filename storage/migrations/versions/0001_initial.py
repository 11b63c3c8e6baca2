"""The initial schema: sellers, contacts and everything hanging off them.

Timestamps are `DateTime(timezone=True)` and enums plain `String(16)`, so the migration does not
import the app (its `UTCDateTime` and enum classes) and stays valid however those evolve.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 11:49:53.602934
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seller",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("timezone_confirmed", sa.Boolean(), nullable=False),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=False),
        sa.Column("quiet_start_hour", sa.SmallInteger(), nullable=False),
        sa.Column("quiet_end_hour", sa.SmallInteger(), nullable=False),
        sa.Column("birthday_lead_days", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("company", sa.String(length=128), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("birth_day", sa.SmallInteger(), nullable=True),
        sa.Column("birth_month", sa.SmallInteger(), nullable=True),
        sa.Column("birth_year", sa.SmallInteger(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("market_fit", sa.String(length=16), nullable=False),
        sa.Column("budget", sa.String(length=16), nullable=False),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("do_not_contact", sa.Boolean(), nullable=False),
        sa.Column("last_contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["seller.id"], name=op.f("fk_contact_owner_id_seller"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    op.create_index(op.f("ix_contact_owner_id"), "contact", ["owner_id"], unique=False)
    op.create_index("ix_contact_owner_stage", "contact", ["owner_id", "stage"], unique=False)
    op.create_table(
        "conversation_state",
        sa.Column("seller_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("flow", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["seller.id"],
            name=op.f("fk_conversation_state_seller_id_seller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seller_id", name=op.f("pk_conversation_state")),
    )
    op.create_table(
        "concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_concern_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["seller.id"], name=op.f("fk_concern_owner_id_seller"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern")),
    )
    op.create_index(op.f("ix_concern_contact_id"), "concern", ["contact_id"], unique=False)
    op.create_index(op.f("ix_concern_owner_id"), "concern", ["owner_id"], unique=False)
    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_interaction_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["seller.id"],
            name=op.f("fk_interaction_owner_id_seller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
    )
    op.create_index(op.f("ix_interaction_contact_id"), "interaction", ["contact_id"], unique=False)
    op.create_index(op.f("ix_interaction_owner_id"), "interaction", ["owner_id"], unique=False)
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exact_time", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("sent_message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_reminder_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["seller.id"],
            name=op.f("fk_reminder_owner_id_seller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    )
    op.create_index(op.f("ix_reminder_contact_id"), "reminder", ["contact_id"], unique=False)
    op.create_index(op.f("ix_reminder_owner_id"), "reminder", ["owner_id"], unique=False)
    op.create_index("ix_reminder_status_due", "reminder", ["status", "due_at"], unique=False)
    op.create_table(
        "stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_stage_change_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["seller.id"],
            name=op.f("fk_stage_change_owner_id_seller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_change")),
    )
    op.create_index(
        op.f("ix_stage_change_contact_id"), "stage_change", ["contact_id"], unique=False
    )
    op.create_index(op.f("ix_stage_change_owner_id"), "stage_change", ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_stage_change_owner_id"), table_name="stage_change")
    op.drop_index(op.f("ix_stage_change_contact_id"), table_name="stage_change")
    op.drop_table("stage_change")
    op.drop_index("ix_reminder_status_due", table_name="reminder")
    op.drop_index(op.f("ix_reminder_owner_id"), table_name="reminder")
    op.drop_index(op.f("ix_reminder_contact_id"), table_name="reminder")
    op.drop_table("reminder")
    op.drop_index(op.f("ix_interaction_owner_id"), table_name="interaction")
    op.drop_index(op.f("ix_interaction_contact_id"), table_name="interaction")
    op.drop_table("interaction")
    op.drop_index(op.f("ix_concern_owner_id"), table_name="concern")
    op.drop_index(op.f("ix_concern_contact_id"), table_name="concern")
    op.drop_table("concern")
    op.drop_table("conversation_state")
    op.drop_index("ix_contact_owner_stage", table_name="contact")
    op.drop_index(op.f("ix_contact_owner_id"), table_name="contact")
    op.drop_table("contact")
    op.drop_table("seller")
