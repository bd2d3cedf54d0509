"""Which table a sheet holds and where its columns are: headers in Chinese or English, in any order.

A sheet is matched to a table of the kind by its name (`小区 Compounds`, `小区`, `Compounds`) or, failing
that, by its headers (a CSV, or a clerk's `Sheet1`): the table most of whose headers appear in a row. The
header row is the first of the first `HEADER_SEARCH_ROWS` rows that names at least two of the table's columns,
so a title line above the headers is tolerated. The template's second header row (the English names under the
Chinese ones) is recognised and skipped. Columns no table uses are ignored and listed in the report (a
hotline export carries callers' phone numbers, which the product must not store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from data_access.imports.files import Cells, NumberedRow, RawSheet, Refused, is_blank_row
from data_access.imports.messages import Text
from data_access.imports.spec import NOTES_TITLE, KindSpec, SheetSpec, header_key

HEADER_SEARCH_ROWS = 10


@dataclass
class Layout:
    """Where one table's columns are in one sheet."""

    spec: SheetSpec
    title: str  # the sheet's name as in the file
    header_row: int
    positions: dict[str, int]  # column key → index in a row
    headers: dict[str, str]  # column key → header as written in the file
    first_data_row: int
    estimate: int | None
    ignored: list[str] = field(default_factory=list)
    shown_title: str = ""  # how rejections name the sheet: its name, or nothing for a CSV (it has one)

    @property
    def present(self) -> frozenset[str]:
        return frozenset(self.positions)

    def cells(self, cells: Cells) -> dict[str, object]:
        """A row's cells by column key (a short row's missing cells are None)."""
        width = len(cells)
        return {k: cells[i] if i < width else None for k, i in self.positions.items()}


@cache
def _lookup(spec: SheetSpec) -> dict[str, str]:
    """Normalised header → column key, for every name a column goes by."""
    return {header_key(name): c.key for c in spec.columns for name in c.names()}


def _recognised(spec: SheetSpec, cells: Cells) -> int:
    lookup = _lookup(spec)
    return len({lookup[k] for c in cells if c is not None and (k := header_key(c)) in lookup})


def match_sheets(kind: KindSpec, sheets: list[RawSheet]) -> list[tuple[Layout, RawSheet]]:
    """Each sheet that holds one of the kind's tables, with its layout, in the kind's table order."""
    found: dict[str, tuple[Layout, RawSheet]] = {}
    for sheet in sheets:
        if header_key(sheet.title) in (header_key(NOTES_TITLE), "说明", "notes"):
            continue
        layout = _sheet_layout(kind, sheet)
        if layout is None:
            continue
        if layout.spec.key in found:
            first = found[layout.spec.key][0].title
            label, second = layout.spec.label, sheet.title
            raise Refused("import.file.sheet_twice", second, table=label, first=first, second=second)
        found[layout.spec.key] = (layout, sheet)
    if not found:
        raise Refused("import.file.no_data")
    return [found[s.key] for s in kind.sheets if s.key in found]


def _sheet_layout(kind: KindSpec, sheet: RawSheet) -> Layout | None:
    """The sheet's layout; None for an empty sheet. A sheet matching no table is refused, not skipped: its rows
    would otherwise be silently left out of an import that reports success."""
    title = header_key(sheet.title)
    by_name = next((s for s in kind.sheets if title in {header_key(n) for n in s.names()}), None)
    rows = sheet.rows()
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    getattr(rows, "close", lambda: None)()  # a workbook's sheet stream is reopened for the full read
    if all(is_blank_row(cells) for _, cells in head):
        return None
    candidates = (by_name,) if by_name else kind.sheets
    for index, (number, cells) in enumerate(head):
        best = max(candidates, key=lambda s: _recognised(s, cells))
        if _recognised(best, cells) >= 2:
            following = head[index + 1] if index + 1 < len(head) else None
            return _layout(best, sheet, number, cells, following)
    if by_name:
        raise Refused("import.file.no_header", sheet.title, sheet=sheet.title, n=HEADER_SEARCH_ROWS)
    raise Refused("import.file.unknown_sheet", sheet.title, sheet=sheet.title, kind=kind.label)


def _layout(spec: SheetSpec, sheet: RawSheet, number: int, cells: Cells, following: NumberedRow | None) -> Layout:
    lookup = _lookup(spec)
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        key = lookup.get(header_key(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in positions:
            raise Refused("import.file.duplicate_column", sheet.title, sheet=sheet.title, column=str(cell).strip())
        else:
            positions[key], headers[key] = index, str(cell).strip()
    missing = [c for c in spec.required() if c.key not in positions]
    if missing:
        names = Text("、".join(c.zh for c in missing), ", ".join(c.en for c in missing))
        raise Refused("import.file.missing_columns", sheet.title, sheet=sheet.title, columns=names)
    first_data = number + 1
    if following is not None and _second_header(lookup, positions, following[1]):
        first_data = following[0] + 1
    shown = "" if sheet.is_csv else sheet.title
    return Layout(spec, sheet.title, number, positions, headers, first_data, sheet.estimate, ignored, shown)


def _second_header(lookup: dict[str, str], positions: dict[str, int], cells: Cells) -> bool:
    """The template's row of English names: every non-blank cell names the column it stands under."""
    at = {i: k for k, i in positions.items()}
    named = [(i, c) for i, c in enumerate(cells) if c is not None and str(c).strip()]
    return bool(named) and all(lookup.get(header_key(c)) == at.get(i) for i, c in named)
