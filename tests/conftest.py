"""Fixtures shared by every test folder: databases on both backends."""

pytest_plugins = ["tests.storage.databases"]
