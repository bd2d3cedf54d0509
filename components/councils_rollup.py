"""The council list page's cards: five figures of exactly what the page's filters and the viewer's access match."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from components.formatting import count, day, one_or_many, percent
from components.i18n import t
from components.overview import kpi_card
from data_access.councils import CouncilFigures


def period_text(first: date | None, last: date, lang: str) -> str:
    """The meeting dates the cards count, as the filter gave them (an open start: since the first record)."""
    if first is None:
        return t("councils.period.until", lang, last=day(last, lang))
    return t("councils.period.range", lang, first=day(first, lang), last=day(last, lang))


def rollup_cards(r: CouncilFigures, lang: str) -> html.Div:
    """The cards of the filtered lists. Without dates they show this year's meetings (as the overview does) and say
    so in their labels; with dates the line above them names the period, so a year without meetings reads 0."""
    as_of = t("overview.as_of", lang, date=day(r.as_of, lang))
    cards = _activity_cards(r, lang, as_of) + _follow_through_cards(r, lang, as_of)
    head = (
        html.Div(
            t("councils.period.chosen", lang, period=period_text(r.first, r.last, lang)),
            className="small text-muted mb-2",
            id="councils-card-period",
        )
        if r.dated
        else None
    )
    return html.Div(
        [head, dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True) for c in cards], className="g-3")],
        className="mb-3",
        id="councils-cards",
    )


def _label(key: str, r: CouncilFigures, lang: str) -> str:
    """A flow card's label: the year when the filter has no dates, else "in the period chosen"."""
    return t(f"{key}.period" if r.dated else key, lang, year=r.as_of.year)


def _activity_cards(r: CouncilFigures, lang: str, as_of: str) -> list[dbc.Card]:
    """What the period's meetings did: meetings held and items raised."""
    return [
        kpi_card(
            "councils-card-meetings",
            _label("councils.card.meetings", r, lang),
            count(r.meetings, lang),
            [
                t("councils.card.meetings.note", lang, n=count(r.incomplete_meetings, lang))
                if r.meetings
                else t("councils.card.meetings.none", lang)
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-items",
            _label("councils.card.items", r, lang),
            count(r.items, lang),
            [t("councils.card.items.note", lang, resolved=count(r.resolved, lang)) if r.items else None],
            as_of,
        ),
    ]


def _follow_through_cards(r: CouncilFigures, lang: str, as_of: str) -> list[dbc.Card]:
    """How decisions were carried out: time to resolve, follow-ups done when due, follow-ups overdue."""
    median = r.resolve.median_days
    return [
        kpi_card(
            "councils-card-resolve",
            t("councils.card.resolve", lang),
            t(one_or_many("councils.days", median, lang), lang, n=median) if median is not None else "—",
            [
                t("councils.card.resolve.note", lang, mean=r.resolve.mean_days)
                if r.resolve.mean_days is not None
                else t("councils.card.resolve.none", lang)
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-completion",
            t("councils.card.completion", lang),
            percent(r.follow_up_completion, lang),
            [
                t(
                    "councils.card.completion.note",
                    lang,
                    due=count(r.follow_ups_due, lang),
                    done=count(r.follow_ups_done_when_due, lang),
                )
                if r.follow_ups_due
                else t("councils.card.completion.none", lang)
            ],
            as_of,
        ),
        kpi_card(
            "councils-card-overdue",
            t("councils.card.overdue", lang),
            count(r.overdue_follow_ups, lang),
            [t("councils.card.overdue.note", lang)],
            as_of,
        ),
    ]
