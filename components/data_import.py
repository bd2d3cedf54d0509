"""/import's pieces: the choice of kind and city, the upload area, the check's preview and the result.

Pure functions of plain data (an ImportReport, the kinds, the cities) → Dash components, in the UI language.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.formatting import count, one_or_many
from components.i18n import t
from data_access.geography import CityRow
from data_access.imports.kinds import KINDS, TABLE_LABELS
from data_access.imports.report import ImportReport

ANNOUNCED: dict[str, Any] = {"aria-live": "polite"}  # a status region screen readers read out when it changes
PREVIEW_ROWS = 100  # rejected cells listed on the page; the error file has all that were kept
# Where a city's imported records show up, per kind: the pages to look at after loading.
PAGES_OF_KIND = {
    "registry": ("/elevators", "nav.elevators"),
    "work-orders": ("/complaints", "nav.complaints"),
    "faults": ("/elevators", "nav.elevators"),
    "visits": ("/elevators", "nav.elevators"),
    "fund-ledger": ("/funds", "nav.funds"),
    "pooled-accounts": ("/funds", "nav.funds"),
    "policies": ("/elevators", "nav.elevators"),
    "claims": ("/insurance-value", "nav.insurance_value"),
}


def kind_options(lang: str) -> list[dict[str, str]]:
    return [{"label": spec.label.en if lang == "en" else spec.label.zh, "value": key} for key, spec in KINDS.items()]


def city_options(cities: list[CityRow], lang: str) -> list[dict[str, str]]:
    return [{"label": c.name_en if lang == "en" else c.name, "value": c.code} for c in cities]


def choose_card(kinds: list[dict[str, str]], cities: list[dict[str, str]], lang: str) -> dbc.Card:
    """Step 1: the kind and city; the template and the city's current records to start from."""
    city_locked = len(cities) == 1
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("import.step.what", lang), className="h5"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t("import.kind", lang), html_for="import-kind"),
                                dbc.Select(id="import-kind", options=kinds, value=kinds[0]["value"]),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("import.city", lang), html_for="import-city"),
                                dbc.Select(
                                    id="import-city", options=cities, value=cities[0]["value"], disabled=city_locked
                                ),
                            ],
                            md=6,
                        ),
                    ],
                    className="g-3",
                ),
                html.Div(
                    [
                        html.A(t("import.template", lang), id="import-template-link", href="#", className="me-4"),
                        html.A(t("import.export", lang), id="import-export-link", href="#"),
                    ],
                    className="mt-3",
                ),
                html.P(t("import.template.hint", lang), className="small text-muted mt-2 mb-0"),
            ]
        ),
        className="mb-3",
    )


def upload_card(max_bytes: int, lang: str) -> dbc.Card:
    """Step 2: the file. The browser refuses a larger one already; the server checks again."""
    mb = max_bytes // (1024 * 1024)
    # the bar's name: dbc.Progress takes no aria-label, assets/a11y.js gives it this (data-*: kwargs only)
    progress_name: dict[str, Any] = {"data-progress-label": t("import.progress", lang)}
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("import.step.file", lang), className="h5"),
                dcc.Upload(
                    id="import-upload",
                    children=html.Div(
                        [
                            html.Div(t("import.drop", lang)),
                            html.Div(t("import.drop.limit", lang, mb=mb), className="small"),
                        ]
                    ),
                    accept=".xlsx,.csv",
                    max_size=max_bytes,
                    multiple=False,
                    className="import-drop",
                ),
                html.Div(
                    dbc.Progress(id="import-progress", value=0, label="", className="mt-3", style={"height": "1.4rem"}),
                    **progress_name,
                ),
                html.Div(id="import-status", className="mt-2", role="status", **ANNOUNCED),
            ]
        ),
        className="mb-3",
    )


def counts_table(report: ImportReport, lang: str) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(t(f"import.col.{c}", lang)) for c in _COUNT_COLUMNS]))
    rows = []
    for key, counts in report.counts.items():
        label = TABLE_LABELS.get(key)
        name = (label.en if lang == "en" else label.zh) if label else key
        values = (counts.new, counts.updated, counts.unchanged, counts.rejected)
        rows.append(html.Tr([html.Td(name), *(html.Td(count(v, lang), className="text-end") for v in values)]))
    return dbc.Table([head, html.Tbody(rows)], bordered=True, size="sm", className="import-counts")


_COUNT_COLUMNS = ("table", "new", "updated", "unchanged", "rejected")


def rejection_rows(report: ImportReport, lang: str) -> list[list[Any]]:
    """Every kept rejection as (sheet, row, column, value, reason), for the page and the error file."""
    return [[r.sheet, r.row, r.column, r.value, r.reason.text(lang)] for r in report.rejections]


def preview(report: ImportReport, ticket_id: str, lang: str) -> html.Div:
    """Step 3: what the check found — loadable (confirm), refused rows (the list and its file), or a refused file."""
    name = report.filename
    parts: list[Any] = [html.H2(t("import.step.check", lang), className="h5")]
    if report.refusal is not None:
        reason = report.refusal.text(lang)
        parts.append(_verdict(t("import.refused", lang, name=name, reason=reason), "danger"))
        return html.Div(parts)
    total = report.total
    if report.ok:
        rows = total.new + total.updated + total.unchanged
        key = "import.ok" if total.new or total.updated else "import.nothing_new"
        parts.append(_verdict(t(key, lang, name=name, rows=count(rows, lang)), "success"))
    else:
        rejected = count(total.rejected, lang)
        parts.append(_verdict(t("import.rejected", lang, name=name, rejected=rejected), "danger"))
    parts.append(counts_table(report, lang))
    if not report.ok:
        parts.append(_rejections(report, ticket_id, lang))
    return html.Div(parts)


def _verdict(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, id="import-verdict")


def _rejections(report: ImportReport, ticket_id: str, lang: str) -> html.Div:
    columns = ("sheet", "row", "column", "value", "reason")
    head = html.Thead(html.Tr([html.Th(t(f"import.col.{c}", lang)) for c in columns]))
    shown = rejection_rows(report, lang)[:PREVIEW_ROWS]
    body = html.Tbody([html.Tr([html.Td(str(v)) for v in row]) for row in shown])
    more = len(report.rejections) - len(shown) + report.rejections_not_listed
    return html.Div(
        [
            html.A(
                t("import.errors.download", lang),
                href=f"/import/errors/{ticket_id}.xlsx",
                id="import-errors-link",
                className="d-inline-block mb-2",
            ),
            dbc.Table([head, body], bordered=True, size="sm", striped=True, id="import-rejections"),
            html.P(t(one_or_many("import.errors.more", more, lang), lang, n=count(more, lang)), className="small")
            if more > 0
            else None,
        ]
    )


def loaded(report: ImportReport, city_code: str, lang: str) -> dbc.Alert:
    total = report.total
    text = t(
        "import.loaded",
        lang,
        name=report.filename,
        new=count(total.new, lang),
        updated=count(total.updated, lang),
        unchanged=count(total.unchanged, lang),
        seconds=f"{report.seconds:.1f}",
    )
    path, nav_key = PAGES_OF_KIND.get(report.kind, ("/", "nav.overview"))
    link = html.A(t(nav_key, lang), href=f"{path}?city={city_code}", id="import-see-link")
    return dbc.Alert([html.Div(text), html.Div([t("import.see", lang), link])], color="success", id="import-verdict")


def failed(lang: str) -> dbc.Alert:
    return dbc.Alert(t("import.err.failed", lang), color="danger", id="import-verdict")


def notice(key: str, lang: str, **values: object) -> dbc.Alert:
    return dbc.Alert(t(key, lang, **values), color="warning", id="import-verdict")
