"""Reading a bureau's file safely: what it is, whether it is safe to open, and its rows one at a time.

Everything a file can do wrong is refused here with a message (`Refused`), before a row is validated:
- too large (`ImportLimits.max_bytes`), empty, or of the wrong type — judged by its first bytes, not only its
  name: an `.xls` or password-protected workbook (OLE), a PDF or image renamed `.csv`, a CSV renamed `.xlsx`;
- an xlsx that would unpack to too much or compresses suspiciously well (a zip bomb), judged from the zip's
  directory before any member is opened: openpyxl stops reading a member at its stated size, so the stated
  sizes bound what it can ever unpack;
- a CSV in an encoding other than UTF-8 (with or without BOM) or GB18030 (which includes GBK): strict UTF-8 is
  tried first, over the whole file, because GB18030 would decode most UTF-8 bytes into the wrong characters;
- a sheet with a run of `max_blank_run` blank rows (a million empty, formatted rows cost minutes to walk):
  reading stops there and the file is refused; fewer blank rows at the end are ignored.

Rows are streamed: openpyxl in read-only mode with `data_only=True` (a formula is read as the value Excel last
computed for it, never as the formula), and the csv module over a decoding stream. `reset_dimensions` makes
openpyxl read every row whatever the sheet's stated dimension says (some programs write a wrong one).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

import openpyxl

from data_access.imports.messages import Text
from data_access.imports.report import ImportLimits
from data_access.imports.values import EXCEL_EPOCH_1900

FileType = Literal["xlsx", "csv"]
Cells = tuple[Any, ...]
NumberedRow = tuple[int, Cells]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_BINARY_MAGIC: tuple[tuple[bytes, Text], ...] = (
    (b"%PDF", Text("PDF 文件", "a PDF document")),
    (b"\x89PNG", Text("PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", Text("JPEG 图片", "a JPEG image")),
    (b"GIF8", Text("GIF 图片", "a GIF image")),
    (b"\x1f\x8b", Text("gzip 压缩包", "a gzip archive")),
    (b"Rar!", Text("RAR 压缩包", "a RAR archive")),
    (b"7z\xbc\xaf", Text("7z 压缩包", "a 7z archive")),
)
_WORKBOOK = Text("Excel 工作簿", "an Excel workbook")
_LARGE_MEMBER = 1024 * 1024  # members below this may compress as well as they like (styles, empty sheets)


class Refused(Exception):
    """The file (or one of its sheets) cannot be imported at all; `key` and `params` say why."""

    def __init__(self, key: str, in_sheet: str = "", **params: Any) -> None:
        super().__init__(key)
        self.key, self.in_sheet, self.params = key, in_sheet, params


@dataclass(frozen=True)
class Source:
    """The file to import: a path (streamed from disk) or the bytes of an upload; `name` is the file's name as
    the user gave it (its extension decides what it should be; audit and report show it)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: Path | str, name: str | None = None) -> Source:
        path = Path(path)
        return cls(name or path.name, path=path)

    def open(self) -> IO[bytes]:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None, "a Source needs a path or data"
        return self.path.open("rb")

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower()


# --------------------------------------------------------------------------- what the file is


def check_file(source: Source, limits: ImportLimits) -> FileType:
    """The file's type, once its size, extension, first bytes and (xlsx) zip directory are acceptable."""
    size = source.size()
    if size == 0:
        raise Refused("import.file.empty")
    if size > limits.max_bytes:
        mb = 1024 * 1024
        raise Refused("import.file.too_large", size=f"{size / mb:.1f}", limit=f"{limits.max_bytes / mb:g}")
    ext = source.extension
    if ext == ".xls":
        raise Refused("import.file.xls")
    if ext not in (".xlsx", ".csv"):
        raise Refused("import.file.extension", ext=ext or source.name)
    with source.open() as fh:
        head = fh.read(8192)
        if head.startswith(_OLE):
            raise Refused("import.file.xls")
        for magic, what in _BINARY_MAGIC:
            if head.startswith(magic):
                raise Refused("import.file.mismatch", ext=ext, actual=what)
        if ext == ".csv":
            if head.startswith(_ZIP):
                raise Refused("import.file.mismatch", ext=ext, actual=_WORKBOOK)
            if b"\x00" in head:
                raise Refused("import.file.not_text")
            return "csv"
        if not head.startswith(_ZIP):
            raise Refused("import.file.mismatch", ext=ext, actual=Text("文本文件", "a text file"))
        fh.seek(0)
        _check_zip(fh, limits)
    return "xlsx"


def _check_zip(fh: IO[bytes], limits: ImportLimits) -> None:
    """Refuse a zip that is no workbook, is encrypted, or would unpack to too much (from its directory alone)."""
    try:
        members = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused("import.file.not_xlsx") from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or any(m.flag_bits & 0x1 for m in members):
        raise Refused("import.file.not_xlsx")
    if len(members) > limits.max_members:
        raise Refused("import.file.zip_bomb", detail=f"{len(members)} files")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise Refused("import.file.zip_bomb", detail=f"{unpacked / 1024 / 1024:.0f} MB")
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > _LARGE_MEMBER and ratio > limits.max_ratio:
            raise Refused("import.file.zip_bomb", detail=f"{m.filename} 1:{ratio:.0f}")


def detect_encoding(source: Source) -> str:
    """`utf-8-sig` (BOM), `utf-8`, or `gb18030` (a superset of GBK and GB2312): the first that decodes the
    whole file strictly. Decoding streams in 1 MB chunks."""
    with source.open() as fh:
        bom = fh.read(3) == codecs.BOM_UTF8
        for encoding in ("utf-8-sig",) if bom else ("utf-8", "gb18030"):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
            try:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise Refused("import.file.encoding")


# --------------------------------------------------------------------------- rows


@dataclass
class RawSheet:
    """One worksheet (or the CSV): its name, a rough row count for progress, and a way to read its rows."""

    title: str  # the worksheet's name; a CSV's file name without its extension (it may name the table)
    estimate: int | None
    _rows: Any  # () -> Iterator[NumberedRow]
    is_csv: bool = False

    def rows(self) -> Iterator[NumberedRow]:
        """Every row from the first, numbered as the spreadsheet numbers them (blank rows included)."""
        rows: Iterator[NumberedRow] = self._rows()
        return rows


@contextmanager
def open_sheets(source: Source, file_type: FileType) -> Iterator[tuple[list[RawSheet], datetime]]:
    """The file's sheets and the workbook's date epoch (Excel serial numbers count days from it)."""
    if file_type == "csv":
        encoding = detect_encoding(source)
        sheet = RawSheet(Path(source.name).stem, _csv_estimate(source), lambda: _csv_rows(source, encoding), True)
        yield [sheet], EXCEL_EPOCH_1900
        return
    fh = source.open()
    try:
        try:
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises whatever its parser meets; all mean "cannot read it"
            raise Refused("import.file.unreadable", detail=type(exc).__name__) from exc
        try:
            sheets = [_xlsx_sheet(ws) for ws in workbook.worksheets]
            yield sheets, workbook.epoch
        finally:
            workbook.close()
    finally:
        fh.close()


def _xlsx_sheet(ws: Any) -> RawSheet:
    try:
        estimate = ws.max_row  # the sheet's own <dimension>: a guess for the progress bar, never a limit
    except Exception:  # a malformed dimension: no estimate
        estimate = None

    def rows() -> Iterator[NumberedRow]:
        ws.reset_dimensions()
        yield from enumerate(ws.iter_rows(values_only=True), 1)

    return RawSheet(ws.title, estimate, rows)


def _csv_estimate(source: Source) -> int:
    with source.open() as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def _csv_rows(source: Source, encoding: str) -> Iterator[NumberedRow]:
    """Records (a quoted field may hold line breaks: Excel shows such a record as one row, and so do we)."""
    with source.open() as fh:
        text = io.TextIOWrapper(fh, encoding=encoding, newline="")
        first = text.readline()
        text.seek(0)
        delimiter = max((",", "\t", ";"), key=first.count)
        try:
            yield from enumerate((tuple(r) for r in csv.reader(text, delimiter=delimiter)), 1)
        except csv.Error as exc:
            raise Refused("import.file.unreadable", detail=str(exc)) from exc


def is_blank_row(cells: Cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def guard_blank_runs(rows: Iterator[NumberedRow], sheet: str, limit: int) -> Iterator[NumberedRow]:
    """The non-blank rows; refuses the sheet at a run of `limit` blank rows, ignores a shorter one at the end."""
    run_start, run = 0, 0
    for number, cells in rows:
        if is_blank_row(cells):
            if run == 0:
                run_start = number
            run += 1
            if run >= limit:
                raise Refused("import.file.blank_rows", sheet, sheet=sheet, row=run_start, n=limit)
            continue
        run = 0
        yield number, cells
