"""/insurance — the fund centre's desk: the applications and where each stands, the renewal worklist, and the
form that files a new application (with every elevator's five conditions checked live).

Leaders, data stewards, administrators and the press read (the press without applicants' names); only the city's
fund centre writes, and every writing callback leaves that check to the writer, which makes it itself.

Light at any size (issue 18): each tab is its own URL and only the open one is read; the applications' grid carries
no rows (its blocks are read, sorted and filtered in SQL by `_rows`, for the viewer and the URL's city exactly as the
layout reads them; kept by render_cache like the compound grids' blocks); the renewal worklist shows its first
RENEWALS_SHOWN rows with how many there are, and its search asks the server (`_search`). The worklist keeps plain
rows rather than an infinite grid because a batch renewal ticks them, the header's box ticking every row shown, which
AG Grid's infinite row model cannot do.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from auth import current_lang
from components.formatting import one_or_many
from components.i18n import t
from components.insurance import account_check_line, account_options, elevator_options, filing_form
from components.insurance_desk import (
    RENEWAL_WINDOWS,
    application_grid,
    application_grid_rows,
    renewal_count_line,
    renewal_grid_rows,
    renewal_panel,
    stage_summary,
    stages_matching,
)
from data_access import get_session
from data_access.core.rules import Stage
from data_access.insurance import (
    APPLICATION_SORTS,
    RENEWAL_WINDOW_DAYS,
    TEXT_FILTER_COLUMNS,
    TEXT_OPS,
    TextCondition,
    TextFilter,
    account_check,
    account_choices,
    application_page,
    compound_choices,
    renewal_list,
    stage_totals,
)
from data_access.insurance_records import ApplicationInput, file_application, renew
from pages._common import PageContext, page_context, page_layout, today
from pages._insurance import READER_ROLES, Parsed, feedback, reader, redacts, refused, run_write
from pages._urlargs import CITY, Arg, Choice, Opaque, PageArgs, PositiveId, UrlArgs, parse, query_of, reduce_query

TABS = ("applications", "renewals", "new")
TAB = Arg("tab", Choice(TABS))  # each tab is its own view of the page: only the open one is read and drawn
DAYS = Arg("days", Choice(tuple(str(n) for n in RENEWAL_WINDOWS)))  # the renewal worklist's horizon
RENEWED = Arg("renewed", PositiveId())  # after a batch renewal: how many were renewed, said above the list
URL_ARGS = UrlArgs((CITY, TAB, DAYS, RENEWED, Arg("v", Opaque())))

dash.register_page(
    __name__,
    path="/insurance",
    name="insurance",
    title="保险办理",
    nav_key="nav.insurance",
    roles=READER_ROLES,
    order=25,
    url_args=URL_ARGS,
)

FORM_FIELDS = {  # the writer's field names → the filing form's feedback slots
    "account": "if-account-fb",
    "elevators": "if-elevators-fb",
    "applicant_type": "if-type-fb",
    "applicant_name": "if-name-fb",
    "applicant_contact": "if-contact-fb",
    "owner_count": "if-owners-fb",
    "filed_on": "if-filed-fb",
}


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> dbc.Container:
    lang = current_lang()
    viewer = reader()
    if viewer is None:
        return dbc.Container(dbc.Alert(t("ins.forbidden", lang), color="danger", id="forbidden"), className="py-4")
    ctx = page_context(args.get(CITY), None, args.notices)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    session, now = get_session(), today()
    window = int(args.get(DAYS) or RENEWAL_WINDOW_DAYS)
    may_write = ctx.area.city_id is not None and viewer.may_insure_for(ctx.area.city_id)
    ids = TABS if may_write else TABS[:2]
    wanted = args.get(TAB) or "applications"
    active = wanted if wanted in ids else "applications"

    def content(tab_id: str) -> Any:
        """The open tab's lists; another tab is opened by its own URL (pages/insurance.py: _tab)."""
        if tab_id != active:
            return html.Div(t("ins.tab.loading", lang), className="small text-muted py-3")
        if tab_id == "applications":
            counts = stage_totals(session, ctx.area, now)
            return [
                stage_summary(counts, lang),
                application_grid(lang, redacts(viewer), sum(a for _s, a, _e in counts)),
            ]
        if tab_id == "renewals":
            return renewal_panel(renewal_list(session, ctx.area, now, window), lang, window, may_write, now)
        assert ctx.area.city_id is not None
        return filing_form(compound_choices(session, ctx.area.city_id), lang, now)

    tabs = [dbc.Tab(content(i), label=t(f"ins.tab.{i}", lang), tab_id=i) for i in ids]
    renewed = args.get(RENEWED)
    city_links = [
        dcc.Link(
            c.name if lang == "zh" else c.name_en,
            href="/insurance?" + urlencode({"city": c.code}),
            className="btn btn-sm " + ("btn-primary" if ctx.city and c.id == ctx.city.id else "btn-outline-secondary"),
        )
        for c in ctx.cities
    ]
    return dbc.Container(
        [
            dcc.Location(id="ins-url", refresh="callback-nav"),
            html.Div(
                [
                    html.H1([ctx.place, " · ", t("ins.title", lang)], id="page-title"),
                    html.Div(t("ins.subtitle", lang), className="subtitle"),
                ],
                className="page-head my-3",
            ),
            html.Div(city_links, className="d-flex flex-wrap gap-2 mb-3") if len(city_links) > 1 else None,
            None if may_write else dbc.Alert(t("ins.read_only", lang), color="light", className="py-2 small"),
            dbc.Alert(
                t(one_or_many("ins.renew.done", renewed, lang), lang, n=renewed), color="success", id="ins-renewed"
            )
            if renewed
            else None,
            dbc.Tabs(tabs, active_tab=active, id="ins-tabs", className="mb-3"),
        ],
        fluid="xl",
        className="pb-4",
    )


def _clerk_city() -> int:
    """The fund centre's own city, for the form's lookups; anyone else gets nothing (the writer checks again)."""
    viewer = reader()
    if viewer is None or viewer.city_id is None or not viewer.may_insure_for(viewer.city_id):
        raise PreventUpdate
    return viewer.city_id


@callback(
    Output("if-account", "options"),
    Output("if-account", "value"),
    Input("if-compound", "value"),
    prevent_initial_call=True,
)
def _accounts(compound_id: int | None) -> tuple[list[dict[str, Any]], str | None]:
    city_id = _clerk_city()
    if not isinstance(compound_id, int):
        return [], None
    options = account_options(account_choices(get_session(), city_id, compound_id), current_lang())
    return options, options[0]["value"] if len(options) == 1 else None


@callback(
    Output("if-elevators", "options"),
    Output("if-elevators", "value"),
    Output("if-check", "children"),
    Input("if-account", "value"),
    Input("if-filed", "value"),
    State("if-elevators", "value"),
    prevent_initial_call=True,
)
def _check(account: str | None, filed: str | None, chosen: list[int] | None) -> tuple[list[Any], list[int], str]:
    """Every elevator of the account judged on the filing day, each failure with its reason, as the writer will."""
    city_id = _clerk_city()
    lang = current_lang()
    parsed = Parsed()
    on = parsed.day(filed, "filed_on") or today()
    if not account or not account.isdigit():
        return [], [], t("ins.form.pick_account", lang)
    check = account_check(get_session(), city_id, int(account), min(on, today()))
    if check is None:
        return [], [], t("ins.form.pick_account", lang)
    ids = {e.elevator_id for e in check.elevators}
    keep = [i for i in (chosen or []) if i in ids]
    return elevator_options(check, lang), keep, account_check_line(check, lang)


@callback(
    Output("if-status", "children"),
    *[Output(slot, "children") for slot in FORM_FIELDS.values()],
    Output("ins-url", "href", allow_duplicate=True),
    Input("if-submit", "n_clicks"),
    State("if-account", "value"),
    State("if-elevators", "value"),
    State("if-type", "value"),
    State("if-name", "value"),
    State("if-contact", "value"),
    State("if-owners", "value"),
    State("if-filed", "value"),
    prevent_initial_call=True,
)
def _file(
    n: int | None,
    account: str | None,
    elevators: list[int] | None,
    applicant_type: str | None,
    name: str | None,
    contact: str | None,
    owners: Any,
    filed: str | None,
) -> tuple[Any, ...]:
    if not n:
        raise PreventUpdate
    lang = current_lang()
    parsed = Parsed()
    inp = ApplicationInput(
        pooled_account_id=int(account) if account and account.isdigit() else None,
        elevator_ids=[int(e) for e in elevators or [] if isinstance(e, int)],
        applicant_type=applicant_type,
        applicant_name=name or "",
        applicant_contact=contact or "",
        owner_count=parsed.whole(owners, "owner_count"),
        filed_on=parsed.day(filed, "filed_on"),
    )
    outcome = (
        refused(parsed.problems)
        if parsed.problems
        else run_write(lambda viewer: file_application(get_session(), viewer, inp, today()))
    )
    if not outcome.ok:
        return outcome.alert, *feedback(outcome.problems, FORM_FIELDS, lang), dash.no_update
    return None, *([[]] * len(FORM_FIELDS)), f"/insurance/application?id={outcome.value}"


@callback(
    Output("ins-renew-status", "children"),
    Output("ins-url", "href", allow_duplicate=True),
    Input("ins-renew", "n_clicks"),
    State("ins-renew-grid", "selectedRows"),
    State("ins-renew-paid", "value"),
    prevent_initial_call=True,
)
def _renew(n: int | None, selected: list[dict[str, Any]] | None, paid: str | None) -> tuple[Any, Any]:
    """Renew the ticked policies at once; the writer checks each (city, not renewed yet, the account can pay)."""
    if not n:
        raise PreventUpdate
    lang = current_lang()
    ids = [int(r["policy_id"]) for r in selected or [] if isinstance(r, dict) and str(r.get("policy_id", "")).isdigit()]
    if not ids:
        return dbc.Alert(t("ins.renew.none_selected", lang), color="warning", id="ins-refused"), dash.no_update
    parsed = Parsed()
    paid_on = parsed.day(paid, "paid_on")
    outcome = (
        refused(parsed.problems)
        if parsed.problems
        else run_write(lambda viewer: renew(get_session(), viewer, ids, paid_on, today()))
    )
    if not outcome.ok:
        return outcome.alert, dash.no_update
    renewed = len(outcome.value or [])
    return None, "/insurance?" + urlencode({"tab": "renewals", "renewed": renewed, "v": uuid.uuid4().hex[:8]})


@callback(
    Output("ins-url", "href", allow_duplicate=True),
    Input("ins-renew-days", "value"),
    State("ins-url", "search"),
    prevent_initial_call=True,
)
def _window(days: str | None, search: str | None) -> str:
    """Look further ahead (or nearer) in the renewal worklist: a link, so it can be bookmarked and shared."""
    if days not in {str(n) for n in RENEWAL_WINDOWS}:
        raise PreventUpdate
    city = reduce_query(search).get("city")
    return "/insurance?" + urlencode({**({"city": city} if city else {}), "tab": "renewals", "days": days})


@callback(
    Output("ins-url", "href", allow_duplicate=True),
    Input("ins-tabs", "active_tab"),
    State("ins-url", "search"),
    prevent_initial_call=True,
)
def _tab(tab: str | None, search: str | None) -> str:
    """Open another tab: its own URL, so the page reads and draws only what that tab shows (and a tab is a link)."""
    query = reduce_query(search)
    if tab not in TABS or tab == (query.get("tab") or "applications"):
        raise PreventUpdate
    kept = {k: query[k] for k in ("city", "days") if query.get(k)}
    return "/insurance?" + urlencode({**kept, "tab": tab})


@callback(
    Output("ins-renew-grid", "rowData"),
    Output("ins-renew-count", "children"),
    Input("ins-renew-search", "value"),
    State("ins-url", "search"),
    prevent_initial_call=True,
)
def _search(text: str | None, search: str | None) -> tuple[list[dict[str, Any]], str]:
    """The worklist's first rows mentioning every word typed (policy number, elevator, compound or insurer), found
    on the server among all of the window's, for the viewer and the URL's city exactly as the page reads them."""
    viewer = reader()
    if viewer is None:
        raise PreventUpdate
    args = parse(URL_ARGS, query_of(search), today())
    ctx = page_context(args.get(CITY))
    if not isinstance(ctx, PageContext):
        raise PreventUpdate
    window = int(args.get(DAYS) or RENEWAL_WINDOW_DAYS)
    words = (text or "")[:60]
    found = renewal_list(get_session(), ctx.area, today(), window, words)
    return renewal_grid_rows(found.rows, ctx.lang), renewal_count_line(found, ctx.lang, searched=bool(words.strip()))


# --------------------------------------------------------------------------- the applications' grid, block by block

NO_ROWS: dict[str, Any] = {"rowData": [], "rowCount": 0}
MAX_BLOCK = 1000  # rows one request may ask for (a block is 100)


def _index(value: object, default: int) -> int:
    try:
        return max(0, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _conditions(model: dict[str, Any]) -> tuple[list[tuple[str, str]], bool]:
    """An AG Grid text filter's conditions as (type, text), and whether any one of them suffices (OR)."""
    listed = model.get("conditions")
    items: list[Any] = listed if isinstance(listed, list) else [model]
    out = [
        (str(c.get("type")), str(c.get("filter") or "")[:60])
        for c in items
        if isinstance(c, dict) and c.get("type") in TEXT_OPS
    ]
    return out, model.get("operator") == "OR"


def desk_request(request: dict[str, Any], lang: str) -> dict[str, Any]:
    """A block request of the applications' grid as application_page's arguments: the rows asked for, the sort
    (fields the grid has), the compound and district filters as typed, and the stage filter as the stages whose
    names in `lang` pass it. Anything else the browser sends is ignored."""
    start = _index(request.get("startRow"), 0)
    end = min(_index(request.get("endRow"), start + 100), start + MAX_BLOCK)
    sort = tuple(
        (str(item["colId"]), item["sort"] == "desc")
        for item in request.get("sortModel") or []
        if isinstance(item, dict) and item.get("colId") in APPLICATION_SORTS and item.get("sort") in ("asc", "desc")
    )
    filters: list[TextFilter] = []
    stages: frozenset[Stage] | None = None
    model = request.get("filterModel")
    for column, spec in (model if isinstance(model, dict) else {}).items():
        if not isinstance(spec, dict):
            continue
        conditions, any_of = _conditions(spec)
        if column == "stage" and conditions:
            chosen = stages_matching(conditions, any_of, lang)
            stages = chosen if stages is None else stages & chosen
        elif column in TEXT_FILTER_COLUMNS and conditions:
            filters.append(TextFilter(column, tuple(TextCondition(op, text) for op, text in conditions), any_of))
    return {"start": start, "count": end - start, "sort": sort, "filters": tuple(filters), "stages": stages}


@callback(
    Output("ins-grid", "getRowsResponse"),
    Input("ins-grid", "getRowsRequest"),
    State("ins-url", "search"),
    prevent_initial_call=True,
)
def _rows(request: dict[str, Any] | None, search: str | None) -> dict[str, Any]:
    """One block of the applications for the signed-in reader and the URL's city, read as the page reads them (the
    press's without names), sorted and filtered on the server."""
    if not isinstance(request, dict):
        raise PreventUpdate
    viewer = reader()
    if viewer is None:
        return NO_ROWS
    now = today()
    ctx = page_context(parse(URL_ARGS, query_of(search), now).get(CITY))
    if not isinstance(ctx, PageContext):
        return NO_ROWS
    page = application_page(get_session(), ctx.area, now, redacts(viewer), **desk_request(request, ctx.lang))
    return {"rowData": application_grid_rows(page.rows, ctx.lang), "rowCount": page.total}
