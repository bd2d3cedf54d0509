"""How an import kind is described: once, as data, read by validation, the template, its notes and the export.

A kind (`registry`, `work-orders`, …) is one workbook of one or more tables (`SheetSpec`); a table is a list
of columns (`Column`): its key, Chinese and English header, type, unit, whether it is required, the allowed
values in both languages, an example and a description. Nothing else in the package names a header or an
allowed value: the schema builds its pydantic model from these, the template writes these headers, the notes
sheet prints these descriptions, and the importer recognises these headers (and the aliases clerks' own files
use).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from data_access.imports.messages import Text

EnumType = type[enum.Enum]
ColumnType = Literal["text", "code", "int", "date", "datetime", "money", "bool", "enum"]

TYPE_LABELS: dict[ColumnType, Text] = {
    "text": Text("文本", "text"),
    "code": Text("编码（按文本填写）", "code (entered as text)"),
    "int": Text("整数", "whole number"),
    "date": Text("日期", "date"),
    "datetime": Text("日期时间（北京时间）", "date and time (Beijing time)"),
    "money": Text("金额（元，精确到分）", "amount (yuan, exact to the fen)"),
    "bool": Text("是/否", "yes/no"),
    "enum": Text("可选值之一", "one of the allowed values"),
}


@dataclass(frozen=True)
class Choice:
    """One allowed value: the code stored in the database and its labels (each accepted on import)."""

    value: str
    zh: str
    en: str


@dataclass(frozen=True)
class Column:
    key: str  # the field's name in the schema (English, snake case)
    zh: str  # header of the template's first row
    en: str  # header of its second row
    type: ColumnType
    required: bool = False
    description: Text = Text("", "")
    example: str = ""
    unit: Text = Text("", "")
    choices: tuple[Choice, ...] = ()
    enum: EnumType | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    not_future: bool = False  # a date or instant that cannot lie after today (in service, received, …)
    not_before: str | None = None  # key of a column of the same row this one cannot precede
    aliases: tuple[str, ...] = ()  # other headers bureaus' own files use for it
    positive: bool = False  # an amount above zero: a ledger's entry kind, not a sign, says which way money goes
    # Values of another kind's column (a pooled-account entry kind in the owner ledger): recognised so that the
    # rejection can say where such a row belongs (`elsewhere`) instead of merely listing the allowed values.
    misplaced: tuple[Choice, ...] = ()
    elsewhere: Text = Text("", "")

    @property
    def header(self) -> Text:
        return Text(self.zh, self.en)

    def names(self) -> tuple[str, ...]:
        """Every header under which the column is recognised (compared after `header_key`)."""
        return (self.zh, self.en, self.key, f"{self.zh}{self.en}", f"{self.zh} {self.en}", *self.aliases)

    def allowed(self) -> Text:
        """The allowed values as the notes sheet and a rejection list them."""
        if self.type == "bool":
            return Text("是 / 否", "是 (yes) / 否 (no)")
        if self.choices:
            return Text("、".join(c.zh for c in self.choices), ", ".join(f"{c.zh} ({c.en})" for c in self.choices))
        if self.positive:
            return Text("大于 0", "greater than 0")
        if self.minimum is not None and self.maximum is not None:
            return Text(f"{self.minimum}–{self.maximum}", f"{self.minimum}–{self.maximum}")
        if self.minimum is not None:
            return Text(f"≥ {self.minimum}", f"≥ {self.minimum}")
        return Text("", "")


@dataclass(frozen=True)
class SheetSpec:
    """One table of a kind: one worksheet of its workbook (or one CSV file)."""

    key: str  # e.g. "compounds"; also the name of its counts in a report
    zh: str
    en: str
    description: Text
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]  # column keys that identify a record: re-importing it updates, never duplicates
    key_label: Text  # how a rejection names the natural key ("the same registration code as row 7")

    @property
    def title(self) -> str:
        """The worksheet's name in a template and an export (Excel allows 31 characters)."""
        return f"{self.zh} {self.en}"[:31]

    @property
    def label(self) -> Text:
        return Text(self.zh, self.en)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def names(self) -> tuple[str, ...]:
        return (self.title, self.zh, self.en, self.key)


@dataclass(frozen=True)
class KindSpec:
    key: str  # the command line's and the URL's name, e.g. "work-orders"
    zh: str
    en: str
    description: Text
    sheets: tuple[SheetSpec, ...]  # in the order they are validated and written (parents before children)

    @property
    def label(self) -> Text:
        return Text(self.zh, self.en)

    def sheet(self, key: str) -> SheetSpec:
        return next(s for s in self.sheets if s.key == key)


NOTES_TITLE = "说明 Notes"
_UNIT_SUFFIX = re.compile(r"[(\[][^)\]]*[)\]]$")


def header_key(text: object) -> str:
    """A header or sheet name as compared: NFKC, case-folded, without spaces, `*` marks or a `(unit)` suffix."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("*", "")
    folded = "".join(folded.split())
    return _UNIT_SUFFIX.sub("", folded) or folded
