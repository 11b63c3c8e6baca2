"""Alembic environment: the bot hands in a live connection; a developer's `alembic` builds one.

`storage.db.upgrade()` runs inside the bot's event loop, so it passes its connection through
`config.attributes["connection"]` (Alembic's async template would call `asyncio.run()`, which
fails in a running loop). Run by hand, the URL comes from `DATABASE_URL` or `sqlalchemy.url`.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.operations import MigrationScript
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Enum
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.models import Base
from storage.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render app types as plain SQLAlchemy ones, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"
    return False


def _number_revisions(context: MigrationContext, revision: Any, directives: list[Any]) -> None:
    """Give new revisions readable sequential ids (0002, 0003, ...) instead of random hex."""
    script: MigrationScript = directives[0]
    head = context.script.get_current_head() if context.script else None
    script.rev_id = f"{int(head) + 1:04d}" if head and head.isdigit() else "0001"


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch recreates the table
        compare_type=True,
        render_item=_render_item,
        process_revision_directives=_number_revisions,
        **kwargs,
    )


def _run(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set DATABASE_URL (or sqlalchemy.url in alembic.ini)")
    return url


async def _run_with_own_engine() -> None:
    engine = create_engine(_url())
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # called from storage.db.upgrade(): never touch logging
        _run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    if context.is_offline_mode():
        _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(_run_with_own_engine())


main()
