"""Files kept with records (council attachments, insurance application documents): what is accepted and how it is
stored. Shared by the writers so both refuse the same things the same way.

A file is accepted when its first bytes are a PDF, PNG or JPEG and its name ends accordingly; it is stored under a
random name (never derived from input) in a folder outside the web root, and served only by routes that check the
reader.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 120
# Accepted types: what the first bytes must be, and the file name endings that go with them.
ATTACHMENT_TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}


def display_name(filename: str) -> str:
    """The uploaded name, reduced to a harmless display label (no path, no control characters)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[:NAME_MAX] or "file"


def sniff_type(filename: str, data: bytes) -> str | None:
    """The content type if the bytes are a PDF, PNG or JPEG and the name's ending agrees; else None."""
    lower = (filename or "").lower()
    for content_type, (magic, endings) in ATTACHMENT_TYPES.items():
        if data.startswith(magic) and lower.endswith(endings):
            return content_type
    return None


def store_file(store: Path, data: bytes) -> Path:
    """Write the bytes under a new random name in `store` (created private if missing); the caller removes the file
    again if its transaction fails."""
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = store / secrets.token_hex(16)
    path.write_bytes(data)
    return path
