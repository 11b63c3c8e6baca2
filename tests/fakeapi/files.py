"""Files that exist "on Telegram's servers": uploads from the bot and documents users send."""

from __future__ import annotations

import secrets
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class StoredFile:
    """One file; ``file_path`` is what getFile returns and the download route serves."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.data)

    def to_api(self) -> dict[str, Any]:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }

    def document_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.file_name is not None:
            body["file_name"] = self.file_name
        if self.mime_type is not None:
            body["mime_type"] = self.mime_type
        return body

    def photo_json(self) -> list[dict[str, Any]]:
        size = {"width": self.width, "height": self.height}
        return [{**self.document_json(), **size}]


def _png_size(data: bytes) -> tuple[int, int]:
    if data.startswith(_PNG_MAGIC) and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 0, 0


class FileStore:
    """Files by id and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        data: bytes,
        *,
        kind: str = "documents",
        file_name: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        number = len(self._by_id) + 1
        suffix = PurePosixPath(file_name).suffix if file_name else ""
        width, height = _png_size(data) if kind == "photos" else (0, 0)
        stored = StoredFile(
            file_id=f"fake-{kind}-{number}-{secrets.token_hex(6)}",
            file_unique_id=f"fake-unique-{number}",
            file_path=f"{kind}/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            url=url,
            width=width,
            height=height,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)
