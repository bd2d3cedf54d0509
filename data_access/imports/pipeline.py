"""Import one file: validate every row first, then — only if none is rejected — write it all in one transaction.

1. The file is checked (`files.check_file`), its sheets matched to the kind's tables (`layout`).
2. Validation streams each table's rows in batches: the row's pydantic model (`schema`), duplicates within the
   file (the second row names the first), references and scope (`Table.resolve`), the stored record of its
   natural key (`Table.lookup`) and whether the row would change it. What a write needs is spooled to a
   temporary file, not kept in memory: memory holds one batch and the natural keys seen, whatever the file's
   length.
3. Any rejected row: the report lists it, nothing is written. Otherwise the spooled rows are written table by
   table (parents first), batch by batch with executemany; then, in the same transaction, the data set's
   generation is renewed (every cached figure of the previous data stops matching) and the pre-aggregated
   tables are rebuilt (`rollup_refresh.refresh_rollups`: it offers no partial refresh for ledgers, faults or
   work orders, and the figures must never show the new rows without them); last the audit entry.

The caller commits (or rolls back), as with every writer. Validation alone (`validate_file`) writes nothing.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from itertools import islice
from typing import IO, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data_access.core.clock import today_local
from data_access.core.dataset import mark_imported, renew_generation
from data_access.core.models import City
from data_access.imports.claims import Claims
from data_access.imports.events import Faults, Visits, WorkOrders
from data_access.imports.files import NumberedRow, Refused, Source, check_file, guard_blank_runs, open_sheets
from data_access.imports.kinds import KINDS
from data_access.imports.layout import Layout, match_sheets
from data_access.imports.ledgers import LEDGER_TABLES
from data_access.imports.messages import Message
from data_access.imports.policies import Policies
from data_access.imports.registry import REGISTRY_TABLES
from data_access.imports.report import Counts, ImportLimits, ImportReport, Rejection
from data_access.imports.schema import key_of, validate_row
from data_access.imports.spec import KindSpec
from data_access.imports.tables import CityInfo, Context, Row, Table
from data_access.rollup_refresh import refresh_rollups
from data_access.users import audit

Progress = Callable[[str, int, int], None]  # (stage: "validate" | "write" | "rollups", done, total)
_ALL_TABLES: tuple[type[Table], ...] = (*REGISTRY_TABLES, *LEDGER_TABLES, Policies, WorkOrders, Faults, Visits, Claims)
TABLES: dict[str, type[Table]] = {t.spec.key: t for t in _ALL_TABLES}
VALUE_SHOWN = 100  # characters of a rejected cell the report keeps


class ImportRequestError(ValueError):
    """The request itself is wrong (an unknown kind or city): no file was read."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


def kind_spec(kind: str) -> KindSpec:
    if kind not in KINDS:
        raise ImportRequestError(Message("import.file.unknown_kind", {"kind": kind, "kinds": ", ".join(KINDS)}))
    return KINDS[kind]


def find_city(session: Session, city_code: str) -> CityInfo:
    found = session.execute(select(City.id, City.code, City.name, City.name_en).where(City.code == city_code)).first()
    if found is None:
        raise ImportRequestError(Message("import.file.unknown_city", {"city": city_code}))
    return CityInfo(*found)


@dataclass(frozen=True)
class Who:
    """Who imports, for the audit log: a user, or the command line."""

    user_id: int | None = None
    username: str = "cli"


def validate_file(
    session: Session,
    kind: str,
    source: Source,
    city_code: str,
    *,
    limits: ImportLimits | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """A dry run: the report `load_file` would give (counts new / updated / unchanged / rejected, every rejected
    cell, or why the file is refused), with nothing written."""
    return _run(session, kind, source, city_code, None, limits or ImportLimits(), today, progress)


def load_file(
    session: Session,
    kind: str,
    source: Source,
    city_code: str,
    *,
    who: Who | None = None,
    limits: ImportLimits | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then write it if no row is rejected (`report.loaded`); the caller commits.
    A rejected file writes nothing at all, not even an audit entry."""
    return _run(session, kind, source, city_code, who or Who(), limits or ImportLimits(), today, progress)


def _run(
    session: Session,
    kind: str,
    source: Source,
    city_code: str,
    who: Who | None,
    limits: ImportLimits,
    today: date | None,
    progress: Progress | None,
) -> ImportReport:
    spec, city = kind_spec(kind), find_city(session, city_code)
    started = time.perf_counter()
    report = ImportReport(kind, city.code, source.name, dry_run=who is None)
    with _Spool() as spool:
        try:
            file_type = check_file(source, limits)
            report.size, report.sha256 = source.size(), source.sha256()
            with open_sheets(source, file_type) as (sheets, epoch):
                matched = match_sheets(spec, sheets)
                ctx = Context(session.connection(), city, today or today_local())
                checker = _Validation(ctx, report, limits, epoch, progress, spool if who else None)
                checker.estimate = sum(layout.estimate or 0 for layout, _ in matched)
                tables = {layout.spec.key: (TABLES[layout.spec.key](ctx), layout) for layout, _ in matched}
                for layout, sheet in matched:
                    checker.table(tables[layout.spec.key][0], layout, sheet.rows())
        except Refused as refused:
            report.refusal, report.refusal_sheet = Message(refused.key, refused.params), refused.in_sheet
        if who is not None and report.ok:
            _write(ctx, tables, spool, report, progress)
            _finish(session, report, who, progress)
            report.loaded = True
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- validation


class _Validation:
    """The validation pass over one file's tables (in the kind's order, so parents are seen first)."""

    def __init__(
        self,
        ctx: Context,
        report: ImportReport,
        limits: ImportLimits,
        epoch: datetime,
        progress: Progress | None,
        spool: _Spool | None,
    ) -> None:
        self.ctx, self.report, self.limits, self.epoch = ctx, report, limits, epoch
        self.progress, self.spool = progress, spool
        self.rows_read, self.estimate = 0, 0

    def table(self, table: Table, layout: Layout, rows: Iterator[NumberedRow]) -> None:
        spec = layout.spec
        counts = self.report.counts.setdefault(spec.key, Counts())
        self.report.sheets[spec.key] = layout.title
        shown = layout.shown_title
        self.report.ignored_columns += [f"{shown}: {h}" if shown else h for h in layout.ignored]
        data = (r for r in guard_blank_runs(_readable(rows), layout.title, self.limits.max_blank_run))
        data = (r for r in data if r[0] >= layout.first_data_row)
        while batch := list(islice(data, self.limits.batch_rows)):
            self.rows_read += len(batch)
            if self.rows_read > self.limits.max_rows:
                raise Refused("import.file.too_many_rows", layout.title, limit=self.limits.max_rows)
            self._batch(table, layout, batch, counts)
            if self.progress:
                self.progress("validate", self.rows_read, max(self.estimate, self.rows_read))
        for name, n in table.counts_extra().items():
            self.report.counts[name] = Counts(new=n)

    def _batch(self, table: Table, layout: Layout, batch: list[NumberedRow], counts: Counts) -> None:
        checked = [self._row(layout, number, cells) for number, cells in batch]
        good = [r for r, _ in checked if not r.problems]
        table.resolve(good)
        good = [r for r in good if not r.problems]
        table.lookup(good)
        write: list[tuple[int, dict[str, Any], int | None]] = []
        for row, cells in checked:
            if row.problems:
                counts.rejected += 1
                self._reject(layout, row, cells)
            elif row.existing is None:
                counts.new += 1
                write.append((row.number, row.values, None))
            elif table.same(row, layout.present):
                counts.unchanged += 1
            else:
                counts.updated += 1
                write.append((row.number, row.values, row.existing["id"]))
        if self.spool is not None and write and not self.report.total.rejected:
            self.spool.add(layout.spec.key, write)

    def _row(self, layout: Layout, number: int, raw: tuple[Any, ...]) -> tuple[Row, dict[str, object]]:
        spec = layout.spec
        cells = layout.cells(raw)
        values, problems = validate_row(spec, cells, self.ctx.today, self.epoch)
        row = Row(number, values or {}, list(problems))
        key = tuple(values[k] for k in spec.natural_key) if values else key_of(spec, cells, self.epoch)
        if key is not None:
            seen = self.ctx.seen.setdefault(spec.key, {})
            first = seen.setdefault(key, number)
            if first != number:
                row.problem(spec.natural_key[-1], "import.err.duplicate", first=first, what=spec.key_label)
        return row, cells

    def _reject(self, layout: Layout, row: Row, cells: dict[str, object]) -> None:
        for column, reason in row.problems:
            header = layout.headers.get(column) or (layout.spec.column(column).zh if column else "")
            shown = Rejection(layout.shown_title, row.number, header, _shown(cells.get(column)), reason)
            self.report.reject(shown, self.limits.max_rejections)


def _readable(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    """The reader's rows; a parser failure in the middle of a sheet (a damaged file) refuses the file."""
    while True:
        try:
            item = next(rows)
        except StopIteration:
            return
        except Refused:
            raise
        except Exception as exc:  # openpyxl and zipfile raise many kinds; each means the file is damaged
            raise Refused("import.file.unreadable", detail=type(exc).__name__) from exc
        yield item


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


# --------------------------------------------------------------------------- writing


class _Spool:
    """Rows to write, pickled batch by batch to a temporary file (memory stays one batch, whatever the file)."""

    def __init__(self) -> None:
        self.file: IO[bytes] | None = None
        self.offsets: dict[str, list[int]] = {}

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.file is not None:
            self.file.close()

    def add(self, table: str, rows: list[tuple[int, dict[str, Any], int | None]]) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.file.seek(0, 2)
        self.offsets.setdefault(table, []).append(self.file.tell())
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, table: str) -> Iterator[list[tuple[int, dict[str, Any], int | None]]]:
        for offset in self.offsets.get(table, []):
            assert self.file is not None
            self.file.seek(offset)
            yield pickle.load(self.file)  # noqa: S301 - our own temporary file, written above


def _write(
    ctx: Context,
    tables: dict[str, tuple[Table, Layout]],
    spool: _Spool,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Insert and update the spooled rows, table by table: a child's parents are written (and read back) first."""
    total, done = report.total.new + report.total.updated, 0
    for key, (table, layout) in tables.items():
        ctx.reload()
        for batch in spool.read(key):
            rows = [Row(number, values, existing=None if i is None else {"id": i}) for number, values, i in batch]
            table.resolve(rows)
            if any(r.problems for r in rows):  # validated moments ago in this transaction: cannot happen
                raise RuntimeError(f"{key}: a reference changed between validation and writing")
            table.before_write(rows)
            table.write(rows, layout.present)
            done += len(rows)
            if progress:
                progress("write", done, total)


def _finish(session: Session, report: ImportReport, who: Who, progress: Progress | None) -> None:
    """Renew the data set's generation, rebuild the pre-aggregated tables and audit, all in this transaction.
    A file that changes nothing (a re-import) leaves generation and rollups alone: cached figures stay valid."""
    if report.total.new or report.total.updated:
        renew_generation(session)
        mark_imported(session, report.city_code, today_local())  # the city's figures are now its own, not the demo's
        steps = iter(range(1, 100))

        def step(_name: str) -> None:
            if progress:
                progress("rollups", next(steps), ROLLUP_STEPS)

        refresh_rollups(session, progress=step)
    detail = {
        "kind": report.kind,
        "city": report.city_code,
        "file": report.filename,
        "sha256": report.sha256,
        "bytes": report.size,
        "counts": {k: asdict(c) for k, c in report.counts.items()},
    }
    audit(session, "import", "import", None, user_id=who.user_id, username=who.username, detail=detail)


ROLLUP_STEPS = 10  # the steps refresh_rollups reports


def analyse_tables(session: Session, kind: str) -> None:
    """Planner statistics for the kind's tables after a large load (the seed does the same after seeding); run it
    after the commit: it is not part of the import."""
    for table in _tables_of(kind_spec(kind).sheets):
        session.execute(text(f"ANALYZE {table}"))


def _tables_of(sheets: Iterable[Any]) -> list[str]:
    return [TABLES[s.key].table.name for s in sheets]
