"""Importing a bureau's own records (issue 15): the registry, 12345 work orders, elevator faults and visits.

A writer: it imports the core, `users` (the audit log) and the rollup maintenance, never a page's queries.
What a page or the command line calls:

- `KINDS` (kind name → `KindSpec`): every kind's tables and columns, described once; `TABLE_LABELS` names the
  report's counts;
- `validate_file(session, kind, source, city_code, progress=…)`: the dry run — an `ImportReport` with the counts
  (new / updated / unchanged / rejected) and every rejected cell (sheet, row, column, value, reason), or the
  reason the whole file is refused; nothing is written;
- `load_file(session, kind, source, city_code, who=Who(user_id, username), progress=…)`: the same validation
  and, when no row is rejected, the write in the caller's transaction (the caller commits); `progress(stage,
  done, total)` is called per batch, stage "validate", "write" or "rollups";
- `export_kind(session, kind, city_code)` and `template_bytes(kind)`: the xlsx template with a city's records,
  or empty;
- `Source.from_path(path, name)` / `Source(name, data=bytes)`: the file; `ImportLimits`: sizes and counts;
- `Message.text(lang)` / `render(key, lang, **params)`: the reports' words, Chinese or English.
"""

from __future__ import annotations

from data_access.imports.export import export_kind, template_bytes
from data_access.imports.files import Source
from data_access.imports.kinds import KINDS, TABLE_LABELS
from data_access.imports.messages import MESSAGES, Message, Text, render
from data_access.imports.pipeline import (
    ImportRequestError,
    Progress,
    Who,
    analyse_tables,
    find_city,
    kind_spec,
    load_file,
    validate_file,
)
from data_access.imports.report import Counts, ImportLimits, ImportReport, Rejection
from data_access.imports.spec import Choice, Column, KindSpec, SheetSpec

__all__ = [
    "KINDS",
    "MESSAGES",
    "Choice",
    "Column",
    "Counts",
    "ImportLimits",
    "ImportReport",
    "ImportRequestError",
    "KindSpec",
    "Message",
    "Progress",
    "Rejection",
    "SheetSpec",
    "TABLE_LABELS",
    "Source",
    "Text",
    "Who",
    "analyse_tables",
    "export_kind",
    "find_city",
    "kind_spec",
    "load_file",
    "render",
    "template_bytes",
    "validate_file",
]
