"""The contact book: search keys, keep-in-touch periods and undo.

`search_key` and `search_text` hold folded text (see `storage.vocabulary.fold`); existing rows
are filled in here with a frozen copy of that function, so the migration never changes meaning
when the app's folding evolves.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 12:40:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPELLED_OUT = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})


def _fold(text: str) -> str:
    lowered = text.casefold().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", plain).strip()


def upgrade() -> None:
    with op.batch_alter_table("seller") as batch:
        batch.add_column(sa.Column("keep_in_touch", sa.JSON(), nullable=True))
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("search_key", sa.String(length=1024), nullable=True))
    with op.batch_alter_table("interaction") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    _backfill()
    with op.batch_alter_table("seller") as batch:
        batch.alter_column("keep_in_touch", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("contact") as batch:
        batch.alter_column("search_key", existing_type=sa.String(length=1024), nullable=False)
    op.create_table(
        "undo_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["seller.id"],
            name=op.f("fk_undo_item_owner_id_seller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo_item")),
    )
    op.create_index(op.f("ix_undo_item_owner_id"), "undo_item", ["owner_id"], unique=False)


def _backfill() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE seller SET keep_in_touch = '{}'"))
    contacts = connection.execute(sa.text("SELECT id, name, company, email, phone FROM contact"))
    for row in contacts.mappings().all():
        key = _fold(
            " ".join(filter(None, [row["name"], row["company"], row["email"], row["phone"]]))
        )
        connection.execute(
            sa.text("UPDATE contact SET search_key = :key WHERE id = :id"),
            {"key": key[:1024], "id": row["id"]},
        )
    notes = connection.execute(sa.text("SELECT id, text FROM interaction WHERE text IS NOT NULL"))
    for row in notes.mappings().all():
        connection.execute(
            sa.text("UPDATE interaction SET search_text = :folded WHERE id = :id"),
            {"folded": _fold(row["text"]), "id": row["id"]},
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_undo_item_owner_id"), table_name="undo_item")
    op.drop_table("undo_item")
    with op.batch_alter_table("interaction") as batch:
        batch.drop_column("search_text")
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("search_key")
    with op.batch_alter_table("seller") as batch:
        batch.drop_column("keep_in_touch")
