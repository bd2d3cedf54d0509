"""Importing a bureau's own records (issue 15): the registry, the maintenance fund's ledgers and pooled accounts,
insurance policies, 12345 work orders, elevator faults and visits, and the insurers' claims.

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
- `plan_deletion(session, kind, city_code)` and `delete_city_data(session, kind, city_code, who=…)`: what deleting
  a city's records of a kind would remove and what refers to them, and the deletion itself (children first, one
  transaction with the rollups and an audit entry; refused while anything refers to the records);
- `Message.text(lang)` / `render(key, lang, **params)`: the reports' words, Chinese or English.
"""

from __future__ import annotations

from data_access.imports.deletion import Blocker, DeletionReport, delete_city_data, plan_deletion
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
    "Blocker",
    "Choice",
    "Column",
    "Counts",
    "DeletionReport",
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
    "delete_city_data",
    "export_kind",
    "find_city",
    "kind_spec",
    "load_file",
    "plan_deletion",
    "render",
    "template_bytes",
    "validate_file",
]
