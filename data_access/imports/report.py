"""What an import found and did: counts per table, every rejected cell, or why the whole file was refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_access.imports.messages import Message


@dataclass(frozen=True)
class ImportLimits:
    """What a file may be; the defaults suit a city's yearly work orders (100,000 rows is ~6 MB of xlsx)."""

    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_unpacked_bytes: int = 400 * 1024 * 1024  # an xlsx's members, summed, as the zip directory states them
    max_ratio: int = 200  # uncompressed ÷ compressed of any xlsx member over 1 MB (real sheets: 5–30)
    max_members: int = 2_000  # an xlsx's files (a workbook of five sheets has ~20)
    max_rows: int = 500_000  # data rows over all sheets
    max_blank_run: int = 1_000  # consecutive blank rows at which reading a sheet stops (and the file is refused)
    max_rejections: int = 1_000  # rejected cells kept in the report (all are counted)
    batch_rows: int = 2_000  # rows validated, looked up and written together


@dataclass(frozen=True)
class Rejection:
    """One refused cell or row, as the clerk finds it in the file."""

    sheet: str  # the worksheet's name as in the file ("" for a CSV)
    row: int  # the spreadsheet's row number (header rows counted)
    column: str  # the header as written in the file ("" when the row as a whole is meant)
    value: str  # the cell as read (shortened)
    reason: Message


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows, not cells

    def add(self, other: Counts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected


@dataclass
class ImportReport:
    kind: str
    city_code: str
    filename: str
    sha256: str = ""
    size: int = 0
    dry_run: bool = True
    counts: dict[str, Counts] = field(default_factory=dict)  # per table (SheetSpec.key), in the kind's order
    rejections: list[Rejection] = field(default_factory=list)
    rejections_not_listed: int = 0  # beyond ImportLimits.max_rejections
    refusal: Message | None = None  # the file as a whole was refused (size, type, zip bomb, columns, …)
    refusal_sheet: str = ""
    ignored_columns: list[str] = field(default_factory=list)  # headers of columns no table uses
    sheets: dict[str, str] = field(default_factory=dict)  # table key → the worksheet it was read from
    loaded: bool = False  # written (the caller commits)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Loadable (or loaded): the file was read and no row was rejected."""
        return self.refusal is None and not self.total.rejected

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.counts.values():
            total.add(counts)
        return total

    def reject(self, rejection: Rejection, limit: int) -> None:
        if len(self.rejections) < limit:
            self.rejections.append(rejection)
        else:
            self.rejections_not_listed += 1
