"""The council list page's roll-up: five headline cards for the filtered area or compound."""

from __future__ import annotations

import dash_bootstrap_components as dbc

from components.formatting import count, day, percent
from components.i18n import t
from components.overview import kpi_card
from data_access.councils import CouncilRollup


def rollup_cards(r: CouncilRollup, lang: str) -> dbc.Row:
    """The roll-up of the filtered area or compound: the same queries the red-property page uses."""
    as_of = t("overview.as_of", lang, date=day(r.as_of, lang))
    cards = _activity_cards(r, lang, as_of) + _follow_through_cards(r, lang, as_of)
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True) for c in cards], className="g-3 mb-3")


def _activity_cards(r: CouncilRollup, lang: str, as_of: str) -> list[dbc.Card]:
    """What the year's meetings did: meetings held and items raised."""
    year = r.as_of.year
    return [
        kpi_card(
            "councils-card-meetings",
            t("councils.card.meetings", lang, year=year),
            count(r.meetings_in_year, lang),
            [t("councils.card.meetings.note", lang, n=count(r.incomplete_meetings_in_year, lang))],
            as_of,
        ),
        kpi_card(
            "councils-card-items",
            t("councils.card.items", lang, year=year),
            count(r.items_in_year, lang),
            [
                t(
                    "councils.card.items.note",
                    lang,
                    resolved=count(r.resolved_in_year, lang),
                    total=count(r.resolved_total, lang),
                )
            ],
            as_of,
        ),
    ]


def _follow_through_cards(r: CouncilRollup, lang: str, as_of: str) -> list[dbc.Card]:
    """How decisions were carried out: time to resolve, follow-ups done when due, follow-ups overdue."""
    median = r.resolve.median_days
    return [
        kpi_card(
            "councils-card-resolve",
            t("councils.card.resolve", lang),
            t("councils.days", lang, n=median) if median is not None else "—",
            [
                t("councils.card.resolve.note", lang, mean=r.resolve.mean_days)
                if r.resolve.mean_days is not None
                else None
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
