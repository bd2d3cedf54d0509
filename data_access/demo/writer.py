"""Chunked Core inserts with ids assigned in Python.

The database is empty, so every table's ids can start at 1 and be handed out before the rows are
written; parents and children are then built as plain dicts and inserted with executemany in chunks,
which is an order of magnitude faster than ORM objects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Connection

from data_access.core.db import Base

CHUNK = 5_000


class RowWriter:
    """Buffers rows per table and flushes all buffers in foreign-key order when one is full."""

    def __init__(self, conn: Connection, chunk: int = CHUNK) -> None:
        self.conn = conn
        self.chunk = chunk
        self._tables: list[Table] = list(Base.metadata.sorted_tables)
        self._buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._ids: dict[str, int] = defaultdict(int)
        self.counts: Counter[str] = Counter()

    def next_id(self, table: str) -> int:
        self._ids[table] += 1
        return self._ids[table]

    def add(self, table: str, row: dict[str, Any]) -> None:
        buf = self._buffers[table]
        buf.append(row)
        if len(buf) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, parents first, so foreign keys hold at each statement."""
        for table in self._tables:
            rows = self._buffers.get(table.name)
            if rows:
                self.conn.execute(insert(table), rows)
                self.counts[table.name] += len(rows)
                self._buffers[table.name] = []

    def reset_sequences(self) -> None:
        """PostgreSQL only: move each serial sequence past the ids inserted explicitly."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in self._tables:
            if self.counts.get(table.name) and "id" in table.c and table.c.id.primary_key:
                self.conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE(MAX(id), 1)) FROM {table.name}"
                    )
                )
