"""/councils — what four-party councils raised, decided and followed up, filtered and rolled up."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, NoUpdate, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from components.councils_common import CATEGORIES, OUTCOMES
from components.councils_lists import (
    LINK_COLUMNS,
    compound_picker_options,
    council_filter_bar,
    council_tabs,
    follow_up_rows,
    follow_ups_grid,
    item_rows,
    items_grid,
    items_xlsx,
    meeting_rows,
    meetings_grid,
)
from components.councils_rollup import rollup_cards
from components.formatting import day
from components.i18n import t
from data_access import get_session
from data_access.council_access import council_access
from data_access.councils import (
    COMPOUND_OPTIONS_SHOWN,
    EXPORT_LIMIT,
    LIST_LIMIT,
    CouncilFilter,
    compound_options,
    council_figures,
    list_follow_ups,
    list_items,
    list_meetings,
)
from pages._common import ALL_ROLES, PageContext, page_context, page_layout, today
from pages._urlargs import (
    CITY,
    DISTRICT,
    Arg,
    Choice,
    IsoDate,
    PageArgs,
    PositiveId,
    UrlArgs,
    parse,
    query_of,
    reduce_query,
)

COMPOUND = Arg("compound", PositiveId())
CATEGORY = Arg("category", Choice(CATEGORIES))
OUTCOME = Arg("outcome", Choice(OUTCOMES))
FIRST = Arg("from", IsoDate())
LAST = Arg("to", IsoDate())
URL_ARGS = UrlArgs((CITY, DISTRICT, COMPOUND, CATEGORY, OUTCOME, FIRST, LAST))
FILTER_KEYS = tuple(a.name for a in URL_ARGS.args)  # city, district, compound, category, outcome, from, to

dash.register_page(
    __name__,
    path="/councils",
    name="councils",
    title="四方议事会",
    nav_key="nav.councils",
    roles=ALL_ROLES,
    order=50,
    url_args=URL_ARGS,
)


def _filter(ctx: PageContext, args: PageArgs) -> CouncilFilter:
    return CouncilFilter(
        area=ctx.area,
        compound_id=args.get(COMPOUND),
        category=args.get(CATEGORY),
        outcome=args.get(OUTCOME),
        first=args.get(FIRST),
        last=args.get(LAST),
    )


def _url_filters(search: str | None) -> tuple[PageArgs, PageContext | None]:
    """The list's filters from its URL, read exactly as the page's layout reads them (for the callbacks)."""
    args = parse(URL_ARGS, query_of(search), today())
    ctx = page_context(args.get(CITY), args.get(DISTRICT))
    return args, ctx if isinstance(ctx, PageContext) else None


def _search_of(ctx: PageContext, flt: CouncilFilter) -> str:
    """The query string of the filters a page was rendered with (the viewer's own city made explicit)."""
    values = {
        "city": ctx.city.code if ctx.city else None,
        "district": flt.area.district_id,
        "compound": flt.compound_id,
        "category": flt.category,
        "outcome": flt.outcome,
        "from": flt.first.isoformat() if flt.first else None,
        "to": flt.last.isoformat() if flt.last else None,
    }
    params = {k: str(v) for k, v in values.items() if v}
    return "?" + urlencode(params) if params else ""


def _shown(n: int) -> str:
    """A list's length, marked when the list was cut at LIST_LIMIT rows."""
    return f"{n:,}+" if n >= LIST_LIMIT else f"{n:,}"


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    ctx = page_context(args.get(CITY), args.get(DISTRICT), args.notices)
    if not isinstance(ctx, PageContext):
        return dbc.Container(ctx, fluid="xl", className="py-4")
    lang, session, now = ctx.lang, get_session(), today()
    access = council_access(ctx.viewer, now)
    compound_id = args.get(COMPOUND)
    chosen = compound_options(session, access, ctx.area, ids=[compound_id]) if compound_id is not None else []
    if compound_id is not None and not chosen:
        return dbc.Container(dbc.Alert(t("app.forbidden", lang), color="danger", id="forbidden"), className="py-4")
    first = compound_options(session, access, ctx.area, limit=COMPOUND_OPTIONS_SHOWN)
    compounds = chosen + [c for c in first if c.id != compound_id]
    flt = _filter(ctx, args)
    # The cards count what the lists below match: the same filter, the same access (an organiser's: their compounds).
    figures = council_figures(session, access, flt, now)
    items = list_items(session, access, flt, now, limit=LIST_LIMIT)  # for "the list was cut" (cached for _item_rows)
    # The page carries no rows (they were most of its weight): the open tab's list loads as the page appears
    # (_item_rows), the hidden tabs' when first opened (_meeting_rows, _overdue_rows), most visits never opening them.
    tabs: list[tuple[str, str, Any]] = [("items", t("councils.tab.items", lang), items_grid(lang, access.may_export))]
    if not access.published_only:
        overdue = list_follow_ups(session, access, flt, now, overdue_only=True, limit=LIST_LIMIT)  # the tab's count
        tabs += [
            ("meetings", t("councils.tab.meetings", lang), meetings_grid(lang, access.may_export)),
            (
                "overdue",
                f"{t('councils.tab.overdue', lang)} ({_shown(len(overdue))})",
                follow_ups_grid(lang, access.may_export),
            ),
        ]
    head_tools = []
    if access.may_record:
        head_tools.append(
            dcc.Link(t("councils.new", lang), href="/councils/edit", className="btn btn-primary", id="councils-new")
        )
    return dbc.Container(
        [
            dcc.Location(id="cl-url", refresh="callback-nav"),
            html.Div(
                [
                    html.Div(
                        [
                            html.H1([ctx.place, " · ", t("councils.title", lang)], id="page-title"),
                            html.Div(t("councils.subtitle", lang), className="subtitle"),
                            html.Div(t("overview.as_of", lang, date=day(now, lang)), className="small text-muted"),
                        ],
                        className="me-auto",
                    ),
                    *head_tools,
                ],
                className="page-head my-3 d-flex align-items-start gap-2",
            ),
            dbc.Alert(t("councils.press_note", lang), color="info", className="py-2 small")
            if access.published_only
            else None,
            council_filter_bar(
                lang=lang,
                cities=ctx.cities,
                may_see_province=ctx.viewer.may_see_province,
                city_code=ctx.city.code if ctx.city else None,
                districts=ctx.districts,
                district_id=ctx.area.district_id,
                compounds=[(c.id, c.name) for c in compounds],
                compound_id=compound_id,
                category=flt.category,
                outcome=flt.outcome,
                first=flt.first,
                last=flt.last,
            ),
            rollup_cards(figures, lang),
            dbc.Alert(
                t("councils.limit" if access.may_export else "councils.limit_no_export", lang, n=LIST_LIMIT),
                color="light",
                className="small py-1",
            )
            if len(items) >= LIST_LIMIT
            else None,
            # The URL this page was rendered for: the items list loads for exactly these filters.
            dcc.Store(id="councils-items-load", data=_search_of(ctx, flt)),
            dcc.Store(id="councils-meetings-loaded", data=False),
            dcc.Store(id="councils-overdue-loaded", data=False),
            dbc.Card(dbc.CardBody(council_tabs(tabs, lang)), className="shadow-sm"),
        ],
        fluid="xl",
        className="pb-4",
    )


@callback(
    Output("cl-url", "search"),
    Input("cl-city", "value"),
    Input("cl-district", "value"),
    Input("cl-compound", "value"),
    Input("cl-category", "value"),
    Input("cl-outcome", "value"),
    Input("cl-from", "value"),
    Input("cl-to", "value"),
    State("cl-url", "search"),
    prevent_initial_call=True,
)
def _filters_to_url(
    city: str, district: str, compound: str, category: str, outcome: str, first: str, last: str, search: str | None
) -> str | NoUpdate:
    """Every filter lives in the URL, so a link reopens the same view and back/forward work."""
    current = reduce_query(search)
    trigger = dash.ctx.triggered_id
    if trigger == "cl-city" and city != current.get("city", "province"):
        district = compound = ""  # a district and compound belong to one city
    if trigger == "cl-district" and district != current.get("district", ""):
        compound = ""
    values = dict(
        zip(
            FILTER_KEYS,
            ("" if city == "province" else city, district, compound, category, outcome, first, last),
            strict=True,
        )
    )
    params = {k: v for k, v in values.items() if v}
    new = "?" + urlencode(params) if params else ""
    return new if new != (search or "") else no_update


@callback(
    Output("cl-compound", "options"),
    Input("cl-compound", "search_value"),
    State("cl-compound", "value"),
    State("cl-url", "search"),
    prevent_initial_call=True,
)
def _search_compounds(text: str | None, chosen: str | None, search: str | None) -> list[dict[str, Any]]:
    """Compound names are searched on the server as the user types, among those the viewer may pick."""
    _, ctx = _url_filters(search)
    if ctx is None:
        raise PreventUpdate
    session, access = get_session(), council_access(ctx.viewer, today())
    picked = COMPOUND.kind.read(str(chosen or ""))  # the picker's value, read as the URL's compound is
    keep = compound_options(session, access, ctx.area, ids=[picked]) if picked is not None else []
    typed = text if isinstance(text, str) else ""
    found = compound_options(session, access, ctx.area, search=typed[:50], limit=COMPOUND_OPTIONS_SHOWN)
    return compound_picker_options([(c.id, c.name) for c in keep + [f for f in found if f not in keep]], ctx.lang)


def _readable(search: str | None) -> tuple[PageContext, PageArgs]:
    """The viewer and filters a list is loaded for, read from the URL as the layout reads them, refused as the layout
    refuses them (a compound the viewer may not pick)."""
    args, ctx = _url_filters(search)
    if ctx is None:
        raise PreventUpdate
    compound_id = args.get(COMPOUND)
    access = council_access(ctx.viewer, today())
    if compound_id is not None and not compound_options(get_session(), access, ctx.area, ids=[compound_id]):
        raise PreventUpdate
    return ctx, args


def _list_rows(search: str | None, loaded: bool | None) -> tuple[PageContext, PageArgs]:
    """As _readable, for a hidden tab's list: it loads once (its tab's later openings keep the rows it has), and never
    for the press (who has no such tabs)."""
    if loaded:
        raise PreventUpdate
    ctx, args = _readable(search)
    if council_access(ctx.viewer, today()).published_only:
        raise PreventUpdate
    return ctx, args


@callback(Output("councils-items-grid", "rowData"), Input("councils-items-load", "data"))
def _item_rows(search: str | None) -> list[dict[str, Any]]:
    """The items list, as the page appears, for the filters it was rendered with."""
    ctx, args = _readable(search if isinstance(search, str) else None)
    now = today()
    rows = list_items(get_session(), council_access(ctx.viewer, now), _filter(ctx, args), now, limit=LIST_LIMIT)
    return item_rows(rows, ctx.lang)


@callback(
    Output("councils-meetings-grid", "rowData"),
    Output("councils-meetings-loaded", "data"),
    Input("councils-tab-meetings", "n_clicks"),
    State("councils-meetings-loaded", "data"),
    State("cl-url", "search"),
    prevent_initial_call=True,
)
def _meeting_rows(_n: int | None, loaded: bool | None, search: str | None) -> tuple[list[dict[str, Any]], bool]:
    """The meetings list, the first time its tab is opened."""
    ctx, args = _list_rows(search, loaded)
    access = council_access(ctx.viewer, today())
    rows = list_meetings(get_session(), access, _filter(ctx, args), limit=LIST_LIMIT)
    return meeting_rows(rows, ctx.lang), True


@callback(
    Output("councils-overdue-grid", "rowData"),
    Output("councils-overdue-loaded", "data"),
    Input("councils-tab-overdue", "n_clicks"),
    State("councils-overdue-loaded", "data"),
    State("cl-url", "search"),
    prevent_initial_call=True,
)
def _overdue_rows(_n: int | None, loaded: bool | None, search: str | None) -> tuple[list[dict[str, Any]], bool]:
    """The overdue follow-ups list, the first time its tab is opened."""
    ctx, args = _list_rows(search, loaded)
    now = today()
    access = council_access(ctx.viewer, now)
    rows = list_follow_ups(get_session(), access, _filter(ctx, args), now, overdue_only=True, limit=LIST_LIMIT)
    return follow_up_rows(rows, ctx.lang), True


@callback(
    Output("cl-url", "href"),
    Input("councils-items-grid", "cellClicked"),
    Input("councils-meetings-grid", "cellClicked"),
    Input("councils-overdue-grid", "cellClicked"),
    prevent_initial_call=True,
)
def _open_meeting(*cells: dict[str, Any] | None) -> str:
    """A click (or Enter) on a title or date opens the meeting, on a compound's name the compound's view; each view
    checks the viewer's access itself. The row id is "meeting:row[:compound]" (components/councils_lists: row_key)."""
    cell = dash.ctx.triggered[0]["value"] if dash.ctx.triggered else None
    if not isinstance(cell, dict) or cell.get("colId") not in LINK_COLUMNS:
        raise PreventUpdate
    parts = str(cell.get("rowId", "")).split(":")
    if cell["colId"] == "compound":
        compound = PositiveId().read(parts[2]) if len(parts) == 3 else None
        if compound is None:
            raise PreventUpdate
        return f"/compound?id={compound}"
    meeting = PositiveId().read(parts[0])
    if meeting is None:
        raise PreventUpdate
    return f"/councils/meeting?id={meeting}"


for _grid in ("councils-items-grid", "councils-meetings-grid", "councils-overdue-grid"):

    @callback(Output(_grid, "exportDataAsCsv"), Input(f"{_grid}-csv", "n_clicks"), prevent_initial_call=True)
    def _export_csv(_n: int) -> bool:
        return True


@callback(
    Output("councils-items-download", "data"),
    Input("councils-items-xlsx", "n_clicks"),
    State("cl-url", "search"),
    prevent_initial_call=True,
)
def _export_xlsx(_n: int, search: str | None) -> dict[str, Any]:
    """Recomputed on the server for the same filters and viewer; only leaders and admins may export."""
    args, ctx = _url_filters(search)
    if ctx is None:
        raise PreventUpdate
    access = council_access(ctx.viewer, today())
    if not access.may_export:
        raise PreventUpdate
    session = get_session()
    compound_id = args.get(COMPOUND)
    if compound_id is not None and not compound_options(session, access, ctx.area, ids=[compound_id]):
        raise PreventUpdate
    rows = list_items(session, access, _filter(ctx, args), today(), limit=EXPORT_LIMIT)
    return dcc.send_bytes(items_xlsx(rows, ctx.lang), "council-items.xlsx")
