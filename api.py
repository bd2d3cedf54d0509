"""Data-sharing API for the data bureau's platform: GET /api/v1/indicators.

Reading needs a signed-in session (narrowed to the account's scope) or an API token
(`Authorization: Bearer hgd_...`, province-wide). Money is a decimal string of yuan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from sqlalchemy.orm import Session

from auth import current_viewer
from data_access import get_session
from data_access.cache import cached_query
from data_access.core.clock import today_local
from data_access.core.dataset import demo_city_codes
from data_access.core.rules import STAGE_ORDER
from data_access.core.scope import Area
from data_access.geography import UnknownPlace, list_cities, resolve_area
from data_access.indicators import as_of_for_year, headline
from data_access.insurance_figures import insurance_summary
from data_access.users import AccessDenied

bp = Blueprint("api", __name__, url_prefix="/api/v1")
FIRST_YEAR = 2000


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message, status=status), status


def _yuan(fen: int) -> str:
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _today() -> date:
    return current_app.config["TODAY"] or today_local()


@bp.get("/indicators")
def indicators() -> tuple[Response, int]:
    raw_year = request.args.get("year", "")
    today = _today()
    if not raw_year.isdigit():
        return _error(400, "year is required, as four digits (e.g. year=2021)")
    year = int(raw_year)
    if not FIRST_YEAR <= year <= today.year:
        return _error(400, f"year must be between {FIRST_YEAR} and {today.year}")
    unknown = set(request.args) - {"year", "city", "district"}
    if unknown:
        return _error(400, f"unknown parameter(s): {', '.join(sorted(unknown))}")
    session = get_session()
    try:
        area, city, district = resolve_area(session, request.args.get("city"), request.args.get("district"))
    except UnknownPlace as exc:
        return _error(400, str(exc))
    viewer = current_viewer()
    if viewer is not None and not getattr(g, "api_token", False):
        try:
            allowed = viewer.area_for(area.city_id)
        except AccessDenied:
            return _error(403, "this account may not read that city")
        if area.city_id is None and allowed.city_id is not None:
            return _error(403, "this account may read only its own city: give city=")
    body = _indicators(session, area, city.name if city else None, city.code if city else None, district, year, today)
    response = jsonify(body)
    response.headers["Cache-Control"] = "private, no-store"
    return response, 200


@cached_query(councils=True)
def _indicators(
    session: Session,
    area: Area,
    city_name: str | None,
    city_code: str | None,
    district: str | None,
    year: int,
    today: date,
) -> dict[str, Any]:
    """The answer's body, kept in the result cache like the figures it is made of: a repeated call (a platform
    polling the same area and year) costs the token check and one cache read, not the figures' cache reads, their
    unpickling and the body's assembly again (issue 18). The access checks run before, on every call; the body
    depends only on the area, the year, today and the data set (its generation and council generation are in the
    key; an import that ends a city's demo mark renews the generation)."""
    as_of = as_of_for_year(year, today)
    h = headline(session, area, as_of)
    ins = insurance_summary(session, area, year, today)  # the figures the insurance page's cards show
    codes = [city_code] if city_code else [c.code for c in list_cities(session)]
    demo = bool(demo_city_codes(session, codes))  # a city whose own records were imported is not demo data
    return {
        "year": year,
        "city": city_name,
        "district": district,
        "as_of": as_of.isoformat(),
        "demo_data": demo,
        "money": "decimal strings of yuan (CNY), two places",
        "fund": {
            "deposits_total_yuan": _yuan(h.fund.deposits_total_fen),
            "balance_yuan": _yuan(h.fund.balance_fen),
            "used_yuan": _yuan(h.fund.used_in_year_fen),
            "usage_rate": _rate(h.fund.usage_rate),
            "value_added_income_yuan": _yuan(h.fund.value_added_income_in_year_fen),
            "premiums_paid_yuan": _yuan(h.fund.premiums_in_year_fen),
        },
        "elevators": {
            "registered": h.coverage.registered,
            "past_warranty": h.coverage.past_warranty,
            "eligible": h.coverage.eligible,
            "applied": h.coverage.applied,
            "eligible_applied": h.coverage.eligible_applied,
            "insured": h.coverage.insured,
            "coverage_rate": _rate(h.coverage.coverage_rate),
            "rescue_arrival_median_min": _rate(ins.rescue_arrival_median_minutes),
            "insured_answered_30min_share": _rate(ins.insured_answered_30min_share),
            "uninsured_answered_30min_share": _rate(ins.uninsured_answered_30min_share),
        },
        "insurance": {
            "premiums_yuan": _yuan(ins.premiums_fen),
            "claims_paid_yuan": _yuan(ins.claims_paid_fen),
            "loss_ratio": _rate(ins.loss_ratio),
            "policies_ending_60d": ins.policies_ending,
            "accounts_unable_to_renew": ins.accounts_unable_to_renew,
            "applications_by_stage": {
                stage.value: {"applications": apps, "elevators": lifts} for stage, apps, lifts in ins.stages
            },
        },
        "complaints": {"elevator_work_orders": h.complaints.this_period},
        "red_property": {
            "accepted_projects": h.red_property.accepted_projects,
            "industry_party_committees": h.red_property.industry_party_committees,
            "companies_with_party_org": h.red_property.companies_with_party_org,
            "compounds_with_service_station": h.red_property.compounds_with_service_station,
            "council_items_resolved": h.red_property.council_items_resolved,
        },
    }


def _money(description: str) -> dict[str, str]:
    return {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": description + " (yuan, decimal string)"}


def _count(description: str) -> dict[str, str]:
    return {"type": "integer", "description": description}


RATE = {"type": ["string", "null"], "description": "decimal string, 0–1; null when the denominator is 0"}
MINUTES = {"type": ["string", "null"], "pattern": r"^\d+\.\d{2}$", "description": "decimal string of minutes"}
STAGE_COUNT = {
    "type": "object",
    "required": ["applications", "elevators"],
    "properties": {"applications": {"type": "integer"}, "elevators": {"type": "integer"}},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Housing governance indicators",
        "version": "1.0.0",
        "description": "Stocks are as of the year's end (today for the current year); flows are within the year.",
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "token from `flask create-token`"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "status"],
                "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
            },
            "Indicators": {
                "type": "object",
                "required": [
                    "year",
                    "city",
                    "district",
                    "as_of",
                    "demo_data",
                    "fund",
                    "elevators",
                    "insurance",
                    "complaints",
                    "red_property",
                ],
                "properties": {
                    "year": {"type": "integer"},
                    "city": {"type": ["string", "null"], "description": "null: province-wide"},
                    "district": {"type": ["string", "null"]},
                    "as_of": {"type": "string", "format": "date"},
                    "demo_data": {
                        "type": "boolean",
                        "description": "true: synthetic demo figures, not official (for the province: any city's)",
                    },
                    "money": {"type": "string"},
                    "fund": {
                        "type": "object",
                        "properties": {
                            "deposits_total_yuan": _money("cumulative deposits (缴存总额) as of as_of"),
                            "balance_yuan": _money("owner ledgers plus pooled accounts as of as_of"),
                            "used_yuan": _money("used within the year: owner-ledger uses plus pooled-account debits"),
                            "usage_rate": RATE | {"description": "used_yuan ÷ deposits_total_yuan"},
                            "value_added_income_yuan": _money("value-added income credited within the year"),
                            "premiums_paid_yuan": _money("insurance premiums paid within the year"),
                        },
                    },
                    "elevators": {
                        "type": "object",
                        "properties": {
                            "registered": _count("elevators in service as of as_of"),
                            "past_warranty": _count("past the city's warranty period"),
                            "eligible": _count("meeting all five programme conditions"),
                            "applied": _count("with an application filed and not withdrawn"),
                            "eligible_applied": _count("eligible and applied: the coverage targets' denominator"),
                            "insured": _count("with a policy in force on as_of"),
                            "coverage_rate": RATE | {"description": "insured ÷ eligible_applied"},
                            "rescue_arrival_median_min": MINUTES
                            | {
                                "description": "median minutes from report to arrival of the faults with trapped "
                                "passengers reported within the calendar year (those with an arrival time); null "
                                "without one"
                            },
                            "insured_answered_30min_share": RATE
                            | {
                                "description": "faults on elevators insured on the fault's local date, reported "
                                "1 January–as_of, answered within 30 minutes (unanswered ones count as not)"
                            },
                            "uninsured_answered_30min_share": RATE
                            | {"description": "the same for faults on elevators not insured on that date"},
                        },
                    },
                    "insurance": {
                        "type": "object",
                        "description": "The year's flows cover the calendar year; the worklist figures "
                        "(policies_ending_60d, accounts_unable_to_renew, applications_by_stage) are as of today, "
                        "whatever the year.",
                        "properties": {
                            "premiums_yuan": _money("premiums of the policies whose cover starts within the year"),
                            "claims_paid_yuan": _money("insurers' claim payments dated within the year"),
                            "loss_ratio": RATE
                            | {"description": "claims_paid_yuan ÷ premiums_yuan (may exceed 1); null without premiums"},
                            "policies_ending_60d": _count(
                                "the renewal worklist today: policies not renewed whose cover ends within 60 days "
                                "or ended within the last year"
                            ),
                            "accounts_unable_to_renew": _count(
                                "pooled accounts on that worklist whose balance cannot pay all their next premiums"
                            ),
                            "applications_by_stage": {
                                "type": "object",
                                "description": "applications and their elevators by stage today, every stage listed: "
                                + ", ".join(s.value for s in STAGE_ORDER),
                                "properties": {s.value: STAGE_COUNT for s in STAGE_ORDER},
                                "required": [s.value for s in STAGE_ORDER],
                            },
                        },
                    },
                    "complaints": {
                        "type": "object",
                        "properties": {
                            "elevator_work_orders": _count("12345 elevator work orders received within the year"),
                        },
                    },
                    "red_property": {
                        "type": "object",
                        "properties": {
                            "accepted_projects": _count("demonstration projects accepted by as_of"),
                            "industry_party_committees": _count("property-industry Party committees"),
                            "companies_with_party_org": _count("property companies with a Party organisation"),
                            "compounds_with_service_station": _count("compounds with a Party–mass service station"),
                            "council_items_resolved": _count("four-party council agenda items resolved by as_of"),
                        },
                    },
                },
            },
        },
    },
    "security": [{"bearer": []}, {"session": []}],
    "paths": {
        "/api/v1/indicators": {
            "get": {
                "summary": "Headline indicators for the province, a city or a district",
                "parameters": [
                    {"name": "year", "in": "query", "required": True, "schema": {"type": "integer"}},
                    {
                        "name": "city",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "name (株洲市), code (zhuzhou) or English name",
                    },
                    {"name": "district", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "indicators",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Indicators"}}},
                    },
                    "400": {
                        "description": "bad parameter",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                    "401": {"description": "no session and no valid token"},
                    "403": {"description": "outside the signed-in account's scope"},
                },
            }
        }
    },
}


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(OPENAPI)


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
