"""One row of a table, validated by a pydantic model built from the table's spec.

Each column becomes a field whose type is the column's (`date`, `datetime`, `int`, `bool`, the model's enum,
`str`), whose constraints are the column's (minimum, maximum, length), and whose `BeforeValidator` is the
column type's normaliser from `values` (which knows the forms bureaus write). Pydantic reports every failing
cell of a row at once; each error becomes a (column, `Message`) the report shows next to the cell. Rules that
involve today or another cell of the row (nothing in the future, closed not before received) follow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

import annotated_types
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo, create_model
from pydantic_core import PydanticCustomError

from data_access.core.clock import CITY_TZ
from data_access.imports.messages import Message
from data_access.imports.spec import Column, SheetSpec
from data_access.imports.values import (
    EXCEL_EPOCH_1900,
    BadValue,
    choice_code,
    is_blank,
    parse_bool,
    parse_code,
    parse_date,
    parse_datetime,
    parse_enum,
    parse_int,
    parse_money_fen,
    parse_text,
)

Problem = tuple[str, Message]  # (column key, or "" for the row, and why)

_PYTHON_TYPES: dict[str, Any] = {
    "text": str,
    "code": str,
    "int": int,
    "date": date,
    "datetime": datetime,
    "money": int,
    "bool": bool,
}


def _parser(column: Column) -> Callable[[object, datetime], object]:
    """The normaliser of the column's type, as f(cell, workbook epoch)."""
    kind = column.type
    if kind == "enum":
        assert column.enum is not None, column.key
        choices, enum_cls = [(c.value, c.zh, c.en) for c in column.choices], column.enum
        if column.misplaced:
            return lambda v, _e: _enum_or_elsewhere(v, column)
        return lambda v, _e: parse_enum(v, choices, enum_cls)
    if kind == "int":
        units = tuple(u for u in column.unit if u)
        return lambda v, _e: parse_int(v, units)
    simple: dict[str, Callable[[object], object]] = {
        "text": parse_text,
        "code": parse_code,
        "money": parse_money_fen,
        "bool": parse_bool,
    }
    if kind in simple:
        parse = simple[kind]
        return lambda v, _e: parse(v)
    return parse_date if kind == "date" else parse_datetime


def _enum_or_elsewhere(value: object, column: Column) -> object:
    """One of the column's values; a value of another kind's column (`misplaced`) is refused saying where it goes."""
    assert column.enum is not None, column.key
    code = choice_code(value, [(c.value, c.zh, c.en) for c in column.choices])
    if code is not None:
        return column.enum(code)
    if choice_code(value, [(c.value, c.zh, c.en) for c in column.misplaced]) is not None:
        raise BadValue("import.err.choice_elsewhere", where=column.elsewhere)
    raise BadValue("import.err.choice")


def _normaliser(column: Column) -> Callable[[object, ValidationInfo], object]:
    parse = _parser(column)

    def normalise(value: object, info: ValidationInfo) -> object:
        if is_blank(value):
            if column.required:
                raise PydanticCustomError("import.err.required", "import.err.required")
            return None
        epoch = info.context.get("epoch", EXCEL_EPOCH_1900) if info.context else EXCEL_EPOCH_1900
        try:
            return parse(value, epoch)
        except BadValue as exc:
            params = {"choices": column.allowed()} if exc.key == "import.err.choice" else exc.params
            raise PydanticCustomError(exc.key, exc.key, params) from exc

    return normalise


def _field(column: Column) -> tuple[Any, Any]:
    python_type: Any = column.enum if column.type == "enum" else _PYTHON_TYPES[column.type]
    limits = [
        limit
        for limit, given in (
            (annotated_types.Ge(column.minimum or 0), column.minimum is not None),
            (annotated_types.Le(column.maximum or 0), column.maximum is not None),
            (annotated_types.MaxLen(column.max_length or 0), column.max_length is not None),
        )
        if given
    ]
    # The limits apply to a value, not to a blank (None): they sit inside the optional.
    constrained: Any = Annotated[python_type, *limits] if limits else python_type
    return Annotated[constrained | None, BeforeValidator(_normaliser(column))], None


@cache
def row_model(spec: SheetSpec) -> type[BaseModel]:
    """The pydantic model of one row of the table (built once per table)."""
    fields: dict[str, Any] = {c.key: _field(c) for c in spec.columns}
    config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)
    model: type[BaseModel] = create_model(f"{spec.key}_row", __config__=config, **fields)
    return model


_BUILTIN_ERRORS: dict[str, tuple[str, str, str]] = {
    # pydantic's error type → (our key, our parameter, pydantic's ctx entry)
    "greater_than_equal": ("import.err.min", "min", "ge"),
    "less_than_equal": ("import.err.max", "max", "le"),
    "string_too_long": ("import.err.too_long", "max", "max_length"),
}


def _problem(error: Any) -> Problem:
    column = str(error["loc"][0]) if error["loc"] else ""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind.startswith("import."):
        return column, Message(kind, dict(ctx))
    if kind in _BUILTIN_ERRORS:
        key, param, source = _BUILTIN_ERRORS[kind]
        return column, Message(key, {param: ctx.get(source)})
    if kind == "missing":
        return column, Message("import.err.required")
    return column, Message("import.err.invalid", {"detail": error.get("msg", kind)})


def validate_row(
    spec: SheetSpec, cells: dict[str, object], today: date, epoch: datetime = EXCEL_EPOCH_1900
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The row's typed values (every column of the table; absent ones None), or the problems of its cells."""
    try:
        model = row_model(spec).model_validate(cells, context={"epoch": epoch})
    except ValidationError as exc:
        return None, [_problem(e) for e in exc.errors(include_url=False)]
    values = dict(model.__dict__)
    problems = _row_rules(spec, values, today)
    return (None if problems else values), problems


def _row_rules(spec: SheetSpec, values: dict[str, Any], today: date) -> list[Problem]:
    """Rules across a row or against the calendar: nothing after today; nothing before the column it follows."""
    problems: list[Problem] = []
    for column in spec.columns:
        value = values.get(column.key)
        if value is None:
            continue
        day = value.astimezone(CITY_TZ).date() if isinstance(value, datetime) else value
        if column.not_future and day > today:
            problems.append((column.key, Message("import.err.future", {"today": today.isoformat()})))
        if column.positive and value <= 0:
            problems.append((column.key, Message("import.err.amount_positive")))
        earlier = values.get(column.not_before) if column.not_before else None
        if earlier is not None and value < earlier:
            other = spec.column(column.not_before or "")
            shown = earlier.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M") if isinstance(earlier, datetime) else earlier
            problems.append((column.key, Message("import.err.before", {"other": other.header, "other_value": shown})))
    return problems


def key_of(spec: SheetSpec, cells: dict[str, object], epoch: datetime = EXCEL_EPOCH_1900) -> tuple[Any, ...] | None:
    """The row's natural key from its cells alone (None if a key cell is blank or unreadable): a row rejected
    for another cell still claims its key, so a later duplicate of it is named as one."""
    key: list[Any] = []
    for name in spec.natural_key:
        column, value = spec.column(name), cells.get(name)
        if is_blank(value):
            return None
        try:
            key.append(_parser(column)(value, epoch))
        except BadValue:
            return None
    return tuple(key)
