"""The frame around every page: navbar from the page registry, demo banner, footer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.i18n import t
from data_access.compounds import CompoundHit
from data_access.geography import CityRow


def nav_entries(registry: Iterable[Mapping[str, Any]], role: str) -> list[Mapping[str, Any]]:
    """Pages this role may open, in their declared order (hidden pages stay out of the menu)."""
    pages = [p for p in registry if role in p.get("roles", ()) and not p.get("hide_from_nav")]
    return sorted(pages, key=lambda p: (p.get("order", 99), p["path"]))


def city_label(cities: list[CityRow], city_code: str | None, lang: str) -> str:
    for c in cities:
        if c.code == city_code:
            return c.name if lang == "zh" else c.name_en
    return t("app.province", lang)


def compound_search_options(hits: Sequence[CompoundHit], lang: str) -> list[dict[str, Any]]:
    """Suggestions of the navbar's compound search: the name with its city and district (names repeat across cities),
    the compound's id as the value."""
    out = []
    for h in hits:
        place = f"{h.city}{h.district}" if lang == "zh" else f"{h.district_en}, {h.city_en}"
        out.append({"label": f"{h.name} · {place}", "value": str(h.id)})
    return out


def compound_search(lang: str) -> html.Div:
    """A box that suggests compounds as one types (pages/compound.py answers, within the viewer's scope) and opens the
    chosen one's view; with it the tab's memory of the last list page, for the compound view's way back."""
    return html.Div(
        [
            dcc.Dropdown(
                id="nav-compound-search",
                options=[],
                placeholder=t("search.compound", lang),
                searchable=True,
                clearable=False,
                maxHeight=420,
                search_value="",
                className="nav-compound-search",
                labels={
                    "search": t("search.compound.placeholder", lang),
                    "no_options_found": t("search.compound.none", lang),
                    "clear_search": t("search.compound.clear", lang),
                    "clear_selection": t("search.compound.clear", lang),
                },
            ),
            html.Label(
                t("search.compound", lang),
                htmlFor="nav-compound-search",
                className="visually-hidden",
                id="nav-compound-search-label",  # assets/a11y.js names the dropdown by it
            ),
            dcc.Location(id="nav-search-url", refresh="callback-nav"),
            dcc.Store(id="nav-last-list", storage_type="session"),
        ],
        className="d-flex align-items-center me-xl-2 my-2 my-xl-0",
        id="nav-search",
        role="search",
    )


def navbar(
    *,
    lang: str,
    pages: list[Mapping[str, Any]],
    cities: list[CityRow],
    may_see_province: bool,
    display_name: str,
    role: str,
    csrf_token: str,
) -> dbc.Navbar:
    links: list[Any] = [
        dbc.NavItem(
            dbc.NavLink(
                t(p["nav_key"], lang),
                href=p["path"],
                active="exact",
                id={"type": "nav-link", "page": p["name"], "path": p["path"]},
            )
        )
        for p in pages
        if p.get("nav_group") not in ("tools", "present")
    ]
    # Administration and data loading sit in one menu, so the figures' pages keep one line (ten links since the
    # insurance pages pushed "Sign out" off the screen for administrators at 1440 px).
    tools = [
        dbc.DropdownMenuItem(
            t(p["nav_key"], lang), href=p["path"], id={"type": "nav-link", "page": p["name"], "path": p["path"]}
        )
        for p in pages
        if p.get("nav_group") == "tools"
    ]
    if tools:
        links.append(dbc.DropdownMenu(tools, label=t("nav.tools", lang), nav=True, in_navbar=True, id="nav-tools"))
    city_items = []
    if may_see_province:
        city_items.append(dbc.DropdownMenuItem(t("app.province", lang), href="?city=province", id="city-province"))
    city_items += [
        dbc.DropdownMenuItem(c.name if lang == "zh" else c.name_en, href=f"?city={c.code}", id=f"city-{c.code}")
        for c in cities
    ]
    other_lang = "en" if lang == "zh" else "zh"
    present = [present_menu(lang)] if any(p.get("nav_group") == "present" for p in pages) else []
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand([html.Span(className="brand-mark"), t("app.short_title", lang)], href="/"),
                dbc.NavbarToggler(id="navbar-toggler"),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="me-auto"),
                        compound_search(lang),
                        dbc.Nav(
                            [
                                *present,
                                dbc.DropdownMenu(
                                    city_items,
                                    label=t("app.province", lang),
                                    id="city-switch",
                                    nav=True,
                                    in_navbar=True,
                                    align_end=True,
                                ),
                                dbc.NavItem(
                                    dbc.NavLink(
                                        t("app.lang_switch", lang),
                                        href=f"/lang/{other_lang}",
                                        external_link=True,
                                        id="lang-switch",
                                    )
                                ),
                                dbc.NavItem(
                                    html.Span(
                                        f"{display_name} · {t('role.' + role, lang)}",
                                        className="navbar-text small text-muted px-2",
                                        id="whoami",
                                    )
                                ),
                                dbc.NavItem(
                                    html.Form(
                                        [
                                            dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
                                            html.Button(
                                                t("app.sign_out", lang),
                                                type="submit",
                                                className="btn btn-sm btn-outline-secondary",
                                                id="sign-out",
                                            ),
                                        ],
                                        method="post",
                                        action="/logout",
                                        className="d-flex align-items-center",
                                    )
                                ),
                            ],
                            navbar=True,
                            className="align-items-xl-center gap-xl-1",
                        ),
                    ],
                    id="navbar-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,  # the full width: eight links, the city switch and the account must fit on one line
        ),
        className="hg-navbar",
        color="white",
        dark=False,
        expand="xl",
        sticky="top",
    )


def present_menu(lang: str) -> dbc.DropdownMenu:
    """演示 / Present: the full-screen deck and its A4 briefing PDF, for the roles pages/present.py admits (the press
    too). Beside the city switch, not among the figures' pages: the main links keep one line. The items are nav
    links, so app.py's `_nav_keeps_city` points both at the city being shown (this year: the deck's default)."""
    deck = dbc.DropdownMenuItem(
        t("nav.present.deck", lang), href="/present", id={"type": "nav-link", "page": "present", "path": "/present"}
    )
    pdf = dbc.DropdownMenuItem(
        t("nav.present.pdf", lang),
        href="/briefing.pdf",
        external_link=True,  # a file from Flask, not a Dash page
        id={"type": "nav-link", "page": "briefing", "path": "/briefing.pdf"},
    )
    return dbc.DropdownMenu([deck, pdf], label=t("nav.present.menu", lang), nav=True, in_navbar=True, id="nav-present")


def demo_banner(lang: str, only: list[str] | None = None) -> html.Div:
    """The demo mark: for the whole view, or naming the cities (`only`) whose figures are still the demo's when the
    others' records were imported."""
    sep = "、" if lang == "zh" else ", "
    text = t("app.demo_banner.some", lang, cities=sep.join(only)) if only else t("app.demo_banner", lang)
    return html.Div(
        dbc.Container(text, fluid="xl", className="py-1"),
        className="demo-banner",
        id="demo-banner",
    )


MAIN_ID = "main-content"  # the <main> of every page (app.py), where the skip link lands


def skip_link(lang: str) -> html.A:
    """The first thing Tab reaches: "跳到主要内容 / Skip to main content", shown only while focused, so a keyboard
    user need not pass a dozen navbar links on every page (WCAG 2.4.1)."""
    return html.A(
        t("a11y.skip", lang), href=f"#{MAIN_ID}", className="skip-link visually-hidden-focusable", id="skip-link"
    )


def footer(lang: str) -> html.Footer:
    return html.Footer(dbc.Container(t("app.footer", lang), fluid="xl", className="py-3"), className="hg-footer")
