"""Fixtures shared by every test folder: databases on both backends."""

from pathlib import Path

import pytest

from tests.e2e import backend

pytest_plugins = ["tests.storage.databases"]
E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass (`PROSPEKT_TEST_DATABASE=postgresql`) keeps the end-to-end tests
    whose bot runs on the pass's database; the rest ran in the SQLite pass (tests taking
    `db_backend` ran there on both databases already)."""
    if not backend.POSTGRESQL:
        return
    kept, left_out = [], []
    for item in items:
        end_to_end = item.path.is_relative_to(E2E)
        on_both = "db_backend" in getattr(item, "fixturenames", ())
        if end_to_end and not on_both and item.get_closest_marker("sqlite_only") is None:
            kept.append(item)
        else:
            left_out.append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept
