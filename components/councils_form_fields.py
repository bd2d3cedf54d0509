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


# What the record layer (council_records.validate_meeting) refuses to save without, for a held meeting: marked on
# the form from the start, so nobody learns it from the first refused save. Decision and outcome are asked of a held
# meeting only (the form opens on "held"); a resolution only once the outcome says resolved.
REQUIRED = frozenset(
    {
        "date",
        "time",
        "venue",
        "convener",
        "title",
        "category",
        "raising_party",
        "decision_method",
        "outcome",
        "owner_party",
        "action",
        "contact_name",
        "due_on",
    }
)


def required_mark(lang: str) -> html.Span:
    """The asterisk after a required field's label; screen readers hear "required" instead."""
    hidden: dict[str, Any] = {"aria-hidden": "true"}  # Dash takes aria-* as keyword arguments only
    return html.Span(
        [
            html.Span(" *", className="text-danger", **hidden),
            html.Span(t("form.required", lang), className="visually-hidden"),
        ]
    )


def labelled_field(
    label: str, control: Any, name: str, item: int = ROOT, fu: int = ROOT, *, lang: str, **col: Any
) -> dbc.Col:
    """A form column: the label (marked when the field is required), the control, and its feedback slot below."""
    text: list[Any] = [label, required_mark(lang)] if name in REQUIRED else [label]
    return dbc.Col([dbc.Label(text, className="small mb-1"), control, fb(name, item, fu)], **col)


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
