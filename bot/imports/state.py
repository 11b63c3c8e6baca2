"""The import's conversation row: what the preview showed, kept until the seller chooses.

No parsed file is kept between the preview and the choice: the row holds the file's id, its
name and the counts shown, and the file is fetched and read again when the import starts,
so a restart in between loses nothing.
"""

from __future__ import annotations

from typing import Any

FLOW = "import"
READING = "reading"  # the file is being fetched and read, in the background
PREVIEW = "preview"  # shown, waiting for Merge / Skip those / Add anyway / Cancel
STARTING = "starting"  # chosen; the background import takes it from here
RUNNING = "running"  # under way; `done` counts the contacts written so far

SOURCES = {"vcf": "import:vcf", "csv": "import:csv"}


def file_name(data: dict[str, Any]) -> str:
    return str(data.get("name") or "")
