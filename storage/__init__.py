"""Prospekt's storage layer: tables, owner-scoped queries and migrations (no Telegram here)."""
