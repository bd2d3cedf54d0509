"""UI strings of the /red-property page (merged into the one catalogue in components/i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
