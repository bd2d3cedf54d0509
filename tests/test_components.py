"""Components are pure functions: checked here without a server."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from components.formatting import count, money, percent, short_day
from components.i18n import MESSAGES, t
from components.overview import complaint_change, complaints_chart, overview_cards
from components.plots import graph_config
from components.presentation import counted, finding_text
from components.presentation_charts import year_label
from components.shell import nav_entries, navbar
from data_access.indicators import (
    ComplaintComparison,
    CoverageSummary,
    FundSummary,
    MonthlyCount,
    Overview,
    RedPropertySummary,
    TargetJudgement,
)
from data_access.presentation import Count, Finding

AS_OF = date(2026, 11, 23)


def test_catalogue_has_both_languages() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert zh != en or key == "app.lang_switch", key


def test_money_and_counts_in_both_languages() -> None:
    assert money(453_200_000_000, "zh") == "45.32 亿元"
    assert money(453_200_000_000, "en") == "¥4.53 bn"
    assert money(2_700_000_000, "zh") == "2,700 万元"
    assert money(765_087_000_0, "zh") == "7,650.87 万元"  # thousands separated below 1亿, as tables and axes write
    assert money(9_999_999_999, "zh") == "1 亿元"  # rounds into the larger unit, never "10,000 万元"
    assert money(2_263_430_000, "en") == "¥22.63 m"
    assert count(3033, "zh") == "3,033"
    assert percent(Decimal("0.005958"), "zh") == "0.6%"
    assert percent(None, "en") == "—"


def test_complaint_change_colours_a_fall_green() -> None:
    fall = complaint_change(ComplaintComparison(AS_OF, 90, 100, Decimal("-0.1")), "zh")
    assert fall.className == "kpi-change-good" and "10.0%" in fall.children
    rise = complaint_change(ComplaintComparison(AS_OF, 110, 100, Decimal("0.1")), "en")
    assert rise.className == "kpi-change-bad"
    assert complaint_change(ComplaintComparison(AS_OF, 5, 0, None), "zh").children == t("card.change.none", "zh")


def _overview(targets: list[TargetJudgement]) -> Overview:
    fund = FundSummary(AS_OF, 100_000_000, 110_000_000, 600_000, Decimal("0.006"), 50_000, 80_000, 10_000)
    cov = CoverageSummary(AS_OF, 10, 8, 6, 5, 4, 2, Decimal("0.5"), 0, 1, 1, 2, 0)
    return Overview(
        AS_OF,
        [],
        fund,
        cov,
        targets,
        ComplaintComparison(AS_OF, 3, 4, Decimal("-0.25")),
        [MonthlyCount(2025, 1, 4), MonthlyCount(2026, 1, 3)],
        RedPropertySummary(AS_OF, 10, 16, 425, 1163, 1726),
    )


def test_overview_cards_show_every_indicator_and_judge_targets() -> None:
    targets = [
        TargetJudgement(1, date(2024, 12, 31), Decimal("0.4"), Decimal("0.46"), "met"),
        TargetJudgement(1, date(2025, 12, 31), Decimal("1"), Decimal("0.91"), "missed"),
    ]
    row = overview_cards(_overview(targets), "zh", city_has_rule_targets=True, is_city=True)
    text = str(row)
    for card in (
        "card-deposits",
        "card-usage",
        "card-vai",
        "card-insured",
        "card-complaints",
        "card-projects",
        "card-council",
    ):
        assert card in text
    assert "已达成" in text and "未达成" in text and "1,726" in text
    no_rule = str(overview_cards(_overview([]), "en", city_has_rule_targets=False, is_city=True))
    assert t("card.target.none", "en") in no_rule


def test_chart_has_title_units_and_locale() -> None:
    card = complaints_chart(_overview([]).complaints_by_month, AS_OF, "zh")
    graph = card.children.children[1].children[0].children  # figure > role=img box > graph
    assert graph.figure["layout"]["yaxis"]["title"]["text"] == "工单数（件）"
    assert [tr["name"] for tr in graph.figure["data"]] == ["2025年", "2026年"]
    assert graph.config["locale"] == "zh-CN" and "zh-CN" in graph.config["locales"]
    assert "locale" not in graph_config("en")


def test_navigation_follows_role() -> None:
    registry = [
        {"path": "/", "name": "overview", "roles": ("admin", "leader", "organiser", "press"), "order": 0},
        {"path": "/councils", "name": "councils", "roles": ("admin", "organiser"), "order": 5},
        {"path": "/hidden", "name": "x", "roles": ("press",), "hide_from_nav": True},
    ]
    assert [p["path"] for p in nav_entries(registry, "press")] == ["/"]
    assert [p["path"] for p in nav_entries(registry, "organiser")] == ["/", "/councils"]


def _navbar_json(pages: list[dict[str, object]]) -> str:
    bar = navbar(
        lang="en",
        pages=pages,
        cities=[],
        may_see_province=True,
        display_name="x",
        role="press",
        csrf_token="token",
    )
    return json.dumps(bar.to_plotly_json(), default=lambda c: c.to_plotly_json())


def test_the_navbar_offers_the_deck_and_its_briefing_to_those_who_may_open_them() -> None:
    """/present (and /briefing.pdf) for the roles the page admits (pages/present.py: the press too; the real
    registration is checked in tests/test_browser_present.py): a 演示 / Present menu beside the city switch, not an
    eleventh main link; its items are nav links, so app.py points them at the city being shown."""
    registry = [
        {"path": "/", "name": "overview", "roles": ("leader", "press"), "order": 0, "nav_key": "nav.overview"},
        {
            "path": "/present",
            "name": "present",
            "roles": ("press",),
            "order": 90,
            "nav_key": "nav.present",
            "nav_group": "present",
        },
    ]
    assert [p["path"] for p in nav_entries(registry, "leader")] == ["/"]
    shown = nav_entries(registry, "press")
    assert "/present" in [p["path"] for p in shown]
    text = _navbar_json(shown)
    assert '"nav-present"' in text and t("nav.present.menu", "en") in text
    assert '"path": "/present"' in text and '"path": "/briefing.pdf"' in text
    assert text.count('"/present"') == 2  # the menu's item (href and id), no main link beside it
    assert '"nav-present"' not in _navbar_json([p for p in shown if p["path"] != "/present"])


def test_deck_words_read_alike_in_both_languages() -> None:
    """A part year's end has no year in either language (it stands after the year: "2026 (to 23 Nov)"), and a count
    of one is singular in English, in the findings and on the slides alike."""
    d = date(2026, 11, 23)
    assert year_label(2026, d, "zh") == f"2026年|（至{short_day(d, 'zh')}）" == "2026年|（至11月23日）"
    assert year_label(2026, d, "en") == f"2026|(to {short_day(d, 'en')})" == "2026|(to 23 Nov)"
    assert year_label(2025, d, "en") == "2025"
    one = Finding("present.f.red.overdue", (("overdue", Count(1, "follow_ups")),), "bad")
    many = Finding("present.f.red.overdue", (("overdue", Count(3, "follow_ups")),), "bad")
    assert finding_text(one, "en") == "1 follow-up overdue" and finding_text(many, "en") == "3 follow-ups overdue"
    assert finding_text(one, "zh") == "另有 1 项落实任务逾期未完成"
    assert counted("present.u.trapped", 1, "en") == "1 person trapped"
    assert counted("present.u.trapped", 2, "en") == "2 people trapped"
    assert counted("present.u.trapped", 1, "zh") == "被困 1 人"
