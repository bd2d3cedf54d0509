"""The account administration page: the accounts table and the new-account form (pure functions)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.filters import AG_GRID_ZH
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.core.models import Role
from data_access.geography import CityRow
from data_access.users import UserRow

ROLES = tuple(r.value for r in Role)


def users_grid(rows: list[UserRow], lang: str) -> dag.AgGrid:
    columns = [
        {"field": "username", "headerName": t("admin.col.username", lang)},
        {"field": "display_name", "headerName": t("admin.col.display_name", lang)},
        {"field": "role", "headerName": t("admin.col.role", lang)},
        {"field": "city", "headerName": t("admin.col.city", lang)},
        {"field": "compounds", "headerName": t("admin.col.compounds", lang), "minWidth": 160},
        {
            "field": "active",
            "headerName": t("admin.col.active", lang),
            "cellClassRules": {"text-danger": f"params.value === '{t('admin.inactive', lang)}'"},
        },
        {"field": "created", "headerName": t("admin.col.created", lang)},
    ]
    data = [
        {
            "id": r.id,
            "username": r.username,
            "display_name": r.display_name,
            "role": t(f"role.{r.role}", lang),
            "city": r.city or (t("app.province", lang) if r.role == "leader" else "—"),
            "compounds": r.compounds or "—",
            "active": t("admin.active" if r.active else "admin.inactive", lang),
            "created": r.created_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M") if r.created_at else "",
        }
        for r in rows
    ]
    return dag.AgGrid(
        id="admin-users-grid",
        columnDefs=columns,
        rowData=data,
        getRowId="params.data.id + ''",  # text ids, as AG Grid wants
        defaultColDef={"sortable": True, "resizable": True, "minWidth": 100},
        columnSize="responsiveSizeToFit",
        dashGridOptions={
            # One user at a time, by its checkbox or a click on the row (AG Grid 32.2's selection options).
            "rowSelection": {"mode": "singleRow", "checkboxes": True, "enableClickSelection": True},
            "animateRows": False,
            **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
        },
        className="ag-theme-alpine",
        style={"height": "420px"},
    )


def _field(label: str, control: Any, name: str, **col: Any) -> dbc.Col:
    return dbc.Col(
        [
            # for= ties the label to its control; its id names a dropdown too (assets/a11y.js)
            dbc.Label(label, html_for=control.id, id=f"admin-label-{name}", className="small mb-1"),
            control,
            html.Div(id=f"admin-fb-{name}", className="invalid-feedback d-block"),
        ],
        **col,
    )


def new_user_form(cities: list[CityRow], lang: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("admin.new", lang), className="h6"),
                dbc.Row(
                    [
                        _field(
                            t("admin.username", lang),
                            dbc.Input(id="admin-username", size="sm", maxLength=60),
                            "username",
                            md=3,
                        ),
                        _field(
                            t("admin.display_name", lang),
                            dbc.Input(id="admin-display-name", size="sm", maxLength=60),
                            "display_name",
                            md=3,
                        ),
                        _field(
                            t("admin.role", lang),
                            dbc.Select(
                                id="admin-role",
                                size="sm",
                                placeholder="—",
                                options=[{"label": t(f"role.{r}", lang), "value": r} for r in ROLES],
                            ),
                            "role",
                            md=3,
                        ),
                        _field(
                            t("admin.password", lang),
                            dbc.Input(id="admin-password", type="password", size="sm", autocomplete="new-password"),
                            "password",
                            md=3,
                        ),
                    ],
                    className="g-2",
                ),
                dbc.Row(
                    [
                        _field(
                            t("admin.city", lang),
                            dbc.Select(
                                id="admin-city",
                                size="sm",
                                placeholder="—",
                                options=[
                                    {"label": c.name if lang == "zh" else c.name_en, "value": c.code} for c in cities
                                ],
                            ),
                            "city",
                            md=3,
                        ),
                        _field(
                            t("admin.compounds", lang),
                            dcc.Dropdown(id="admin-compounds", multi=True, options=[], value=[]),
                            "compounds",
                            md=9,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                dbc.Button(t("admin.create", lang), id="admin-create", color="primary", size="sm"),
            ]
        ),
        className="shadow-sm mb-3",
    )
