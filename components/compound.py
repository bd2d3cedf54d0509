"""The compound view: one compound's facts across both reforms, from plain data."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from components.formatting import count, day, money
from components.i18n import t
from components.overview import kpi_card
from data_access.compounds import ApplicationRow, CompoundView


def _applications(rows: list[ApplicationRow], lang: str) -> object:
    if not rows:
        return html.P(t("compound.applications.none", lang), className="text-muted mb-0")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in (
                    "compound.col.filed_on",
                    "compound.col.applicant",
                    "compound.col.elevators",
                    "compound.col.notice",
                    "compound.col.objections",
                    "compound.col.decision",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(day(r.filed_on, lang)),
                    html.Td(t(f"compound.applicant.{r.applicant_type}", lang)),
                    html.Td(r.elevators, className="text-end"),
                    html.Td(
                        f"{r.notice_from:%Y-%m-%d} – {r.notice_to:%Y-%m-%d}" if r.notice_from and r.notice_to else "—"
                    ),
                    html.Td(r.written_objections, className="text-end"),
                    html.Td(t(f"compound.decision.{r.decision}", lang)),
                ]
            )
            for r in rows
        ]
    )
    return dbc.Table([head, body], size="sm", responsive=True, hover=True, className="mb-0", id="compound-applications")


def compound_page(v: CompoundView, city_name: str, as_of: date, lang: str) -> list[object]:
    p = v.profile
    as_of_text = t("overview.as_of", lang, date=day(as_of, lang))
    covers = ", ".join(money(c, lang) for c in p.cover_per_elevator_fen) or "—"
    red_lines = [
        t("compound.red.project", lang, status=t(f"compound.status.{v.project_status}", lang))
        if v.project_status
        else t("compound.red.none", lang),
        t("compound.red.score", lang, score=v.project_score) if v.project_score is not None else None,
        t("compound.red.station", lang, yes=t("compound.yes" if v.has_service_station else "compound.no", lang)),
        t(
            "compound.red.council",
            lang,
            meetings=count(v.council_meetings, lang),
            items=count(v.council_items_resolved, lang),
        ),
    ]
    cards = [
        kpi_card(
            "compound-buildings",
            t("compound.buildings", lang),
            count(p.buildings, lang),
            [t("compound.households", lang, households=count(p.households, lang), residents=count(p.residents, lang))],
            as_of_text,
        ),
        kpi_card(
            "compound-elevators",
            t("compound.elevators", lang),
            count(p.elevators, lang),
            [
                t("compound.avg_age", lang, years=p.average_elevator_age_years)
                if p.average_elevator_age_years is not None
                else None
            ],
            as_of_text,
        ),
        kpi_card(
            "compound-insured",
            t("compound.insured", lang),
            count(p.insured_elevators, lang),
            [t("compound.insured.note", lang, buildings=p.buildings_with_insured_elevators, cover=covers)],
            as_of_text,
        ),
        kpi_card(
            "compound-deposits",
            t("compound.deposits", lang),
            money(v.deposits_total_fen, lang),
            [f"{t('compound.pooled', lang)} {money(v.pooled_balance_fen, lang)}"],
            as_of_text,
        ),
        kpi_card(
            "compound-orders",
            t("compound.orders", lang),
            count(v.elevator_work_orders_in_year, lang),
            [
                t("compound.orders.note", lang, last=count(v.elevator_work_orders_last_year, lang)),
                f"{t('compound.faults', lang)} {count(v.faults_in_year, lang)}",
            ],
            as_of_text,
        ),
        kpi_card(
            "compound-red",
            t("compound.red", lang),
            t(f"compound.status.{v.project_status}", lang) if v.project_status else "—",
            red_lines,
            as_of_text,
        ),
    ]
    return [
        html.Div(
            [
                html.H1(
                    [p.name, html.Small(f" {city_name} {p.district}", className="text-muted fs-6")], id="page-title"
                ),
                html.Div(as_of_text, className="small text-muted"),
            ],
            className="page-head my-3",
        ),
        dbc.Row([dbc.Col(c, xs=12, sm=6, xl=4, className="mb-3") for c in cards], className="g-3"),
        dbc.Card(
            dbc.CardBody(
                [html.H2(t("compound.applications", lang), className="h6 mb-2"), _applications(v.applications, lang)]
            ),
            className="shadow-sm",
        ),
    ]
