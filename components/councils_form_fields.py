"""The meeting form's field ids and field builders, shared by the form, its item blocks and follow-up rows.

Form fields share one id shape, {"type": "cf", "field": name, "item": i, "fu": j} (i, j = -1 where
they do not apply), so the save callback reads the whole form with one pattern-matching State;
each field has a feedback slot {"type": "cf-fb", ...same keys} for its error message.
"""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.i18n import t

ROOT = -1  # item/fu index of meeting-level fields


def fid(field: str, item: int = ROOT, fu: int = ROOT) -> dict[str, Any]:
    return {"type": "cf", "field": field, "item": item, "fu": fu}


def fb(field: str, item: int = ROOT, fu: int = ROOT) -> html.Div:
    return html.Div(id={"type": "cf-fb", "field": field, "item": item, "fu": fu}, className="invalid-feedback d-block")


def dom_id(key: dict[str, Any] | str) -> str:
    """The id Dash writes into the page for a component id: a pattern-matching id becomes compact JSON with its keys
    sorted (dash-renderer's stringifyId). A label's `for` must name exactly this string to be tied to its field."""
    if isinstance(key, str):
        return key
    return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(key[k], ensure_ascii=False)}" for k in sorted(key)) + "}"


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
    """A form column: the label (marked when the field is required), the control, and its feedback slot below.

    The label names its control for assistive technology, not only by sitting above it: a `<label for>` the field's
    id, or, for a set of radio buttons (which no single `for` can name), a radiogroup labelled by the caption."""
    text: list[Any] = [label, required_mark(lang)] if name in REQUIRED else [label]
    caption_id = f"cf-label-{name}-{item}-{fu}"  # assets/a11y.js adds a dropdown's label to its name by this id
    if isinstance(control, dbc.RadioItems):
        caption: Any = html.Div(text, id=caption_id, className="form-label small mb-1")
        named: dict[str, Any] = {"aria-labelledby": caption_id}  # Dash takes aria-* as keyword arguments only
        control = html.Div(control, role="radiogroup", **named)
    else:
        caption = dbc.Label(text, html_for=dom_id(fid(name, item, fu)), id=caption_id, className="small mb-1")
    return dbc.Col([caption, control, fb(name, item, fu)], **col)


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
