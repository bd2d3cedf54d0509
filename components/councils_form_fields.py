"""The meeting form's field ids and field builders, shared by the form, its item blocks and follow-up rows.

Form fields share one id shape, {"type": "cf", "field": name, "item": i, "fu": j} (i, j = -1 where
they do not apply), so the save callback reads the whole form with one pattern-matching State;
each field has a feedback slot {"type": "cf-fb", ...same keys} for its error message.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.i18n import t

ROOT = -1  # item/fu index of meeting-level fields


def fid(field: str, item: int = ROOT, fu: int = ROOT) -> dict[str, Any]:
    return {"type": "cf", "field": field, "item": item, "fu": fu}


def fb(field: str, item: int = ROOT, fu: int = ROOT) -> html.Div:
    return html.Div(id={"type": "cf-fb", "field": field, "item": item, "fu": fu}, className="invalid-feedback d-block")


def labelled_field(label: str, control: Any, name: str, item: int = ROOT, fu: int = ROOT, **col: Any) -> dbc.Col:
    """A form column: the label, the control, and the control's feedback slot below it."""
    return dbc.Col([dbc.Label(label, className="small mb-1"), control, fb(name, item, fu)], **col)


def select_field(
    name: str, options: list[tuple[str, str]], value: str | None, lang: str, item: int = ROOT, fu: int = ROOT
) -> dbc.Select:
    return dbc.Select(
        id=fid(name, item, fu),
        options=[{"label": lbl, "value": v} for v, lbl in options],
        value=value or "",
        placeholder=t("form.choose", lang),
        size="sm",
    )


def hidden_field(name: str, value: Any, item: int = ROOT, fu: int = ROOT) -> dcc.Input:
    return dcc.Input(id=fid(name, item, fu), type="hidden", value="" if value is None else str(value))


def num_text(value: int | None) -> str:
    """A number input's value: "" while none is given."""
    return "" if value is None else str(value)
