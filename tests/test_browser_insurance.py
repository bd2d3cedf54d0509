"""The insurance procedure as Xiangtan's fund-centre clerk runs it, in headless Chromium on the `small` demo.

Arranged first (as a records import would): compound 保险演练小区 in Xiangtan with building 8, its pooled account
holding 20,000.00 yuan, an elevator in service since 2015 (XT-TEST-1) and one since 2021-12-01 (XT-TEST-2, under
warranty until 2026-12-01; the demo's today is 2026-11-23). The clerk files both (refused: the warranty reason
shown, nothing written), files the eligible one, posts the notice, prints it, records a written objection, records a
failing vote (the decision computed: 表决未通过); files again, objection, a passing vote; buys and sees the pooled
account fall by the premium; sees the application in the elevator page's stage chart and the policy in the renewal
list; renews it. The console stays empty throughout.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.core.db import make_engine
from data_access.core.models import (
    Building,
    City,
    Compound,
    District,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
)
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_TODAY,
    ConsoleWatch,
    LiveServer,
    demo_app,
    require_chromium,
    seeded_demo_url,
)
from tests.browser import serve as serve_app
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

COMPOUND = "保险演练小区"
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to look at the pages (docs: look at what you build)


def _arrange(url: str) -> int:
    """The compound, its building, account and two elevators (see the module docstring); the account's id."""
    engine = make_engine(url)
    with Session(engine) as s:
        district_id = s.scalar(
            select(District.id).join(City, City.id == District.city_id).where(City.code == "xiangtan").limit(1)
        )
        compound = Compound(
            district_id=district_id, name=COMPOUND, households=120, residents=380, completed_on=date(2014, 5, 1)
        )
        s.add(compound)
        s.flush()
        building = Building(compound_id=compound.id, number="8", floors=26)
        s.add(building)
        s.flush()
        account = PooledAccount(building_id=building.id, opened_on=date(2024, 9, 15))
        s.add(account)
        s.flush()
        s.add_all(
            [
                Elevator(registration_code="XT-TEST-1", building_id=building.id, in_service_on=date(2015, 6, 1)),
                Elevator(registration_code="XT-TEST-2", building_id=building.id, in_service_on=date(2021, 12, 1)),
                MaintenanceFundEntry(
                    building_id=building.id,
                    kind=FundEntryKind.deposit,
                    booked_on=date(2015, 1, 10),
                    amount_fen=9_000_000,
                ),
                PooledAccountEntry(
                    pooled_account_id=account.id,
                    booked_on=date(2026, 6, 30),
                    kind=PooledEntryKind.value_added_income,
                    amount_fen=2_000_000,
                ),
            ]
        )
        s.commit()
        account_id = account.id
    engine.dispose()
    return account_id


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = Path(tmp_path_factory.mktemp("browser-insurance"))
    url = seeded_demo_url(folder)
    account_id = _arrange(url)
    app = demo_app(url, JOBS_DIR=str(folder / "jobs"), ATTACHMENT_DIR=str(folder / "attachments"))
    for server in serve_app(app):
        server.app.config["TEST_ACCOUNT_ID"] = account_id
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _applications(live: LiveServer) -> int:
    engine = make_engine(live.app.config["DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.scalar(
            select(func.count())
            .select_from(InsuranceApplication)
            .where(InsuranceApplication.pooled_account_id == live.app.config["TEST_ACCOUNT_ID"])
        )
    engine.dispose()
    return int(n or 0)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"insurance-{name}.png"), full_page=True)


def _yuan(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.\-]", "", text))


def _stage(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "t => document.querySelector('#ins-stage')?.innerText.trim() === t", arg=text, timeout=30_000
    )


def _file(page, live: LiveServer, filed_on: str, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(live.url + "/insurance?tab=new")
    page.click("#if-compound")
    page.get_by_role("option").first.wait_for(timeout=20_000)
    page.keyboard.type("保险演练")
    page.get_by_role("option", name=re.compile(COMPOUND)).click()
    page.locator("#if-elevators input").first.wait_for(timeout=20_000)
    page.fill("#if-filed", filed_on)
    page.wait_for_timeout(300)
    for code in codes:
        page.locator("#if-elevators label", has_text=code).click()
    page.fill("#if-name", "业委会 李主任")
    page.fill("#if-contact", "0731-5810000")


def _post_and_object(page, notice_from: str, objection_on: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#ins-notice-from", notice_from)
    page.click("#ins-post")
    page.locator("#ins-notice-period").wait_for(timeout=20_000)
    page.fill("#ins-obj-on", objection_on)
    page.fill("#ins-obj-content", "担心保费逐年上涨，要求业主大会表决")
    page.click("#ins-object")
    _stage(page, "有异议待表决")


def _vote(page, figures: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for field, value in figures.items():
        page.fill(f"#ins-vote-{field}", value)
    page.click("#ins-vote")
    page.locator("#ins-vote-result").wait_for(timeout=30_000)


STAGES_CHART = """() => {
    const plot = document.querySelector('#elevators-stages-chart .js-plotly-plot');
    if (!plot || !plot.data) return null;
    const d = plot.data[0];
    const out = {};
    d.y.forEach((label, i) => { out[label] = d.x[i]; });
    return out;
}"""


def _stage_chart(page, live: LiveServer) -> dict[str, int]:  # type: ignore[no-untyped-def]
    page.goto(live.url + "/elevators?city=xiangtan")
    page.wait_for_function(STAGES_CHART, timeout=30_000)
    return page.evaluate(STAGES_CHART)


def test_a_fund_centre_clerk_runs_the_procedure(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "xiangtan-fund")
    before = _stage_chart(page, live)

    # 1. Both elevators: refused, the warranty reason shown before and after submitting, nothing written.
    _file(page, live, "2026-11-01", ["XT-TEST-1", "XT-TEST-2"])
    reason = "XT-TEST-2：2021年12月1日 投入使用，质保期至 2026年12月1日"
    assert reason in page.locator("#if-elevators").inner_text()
    _shot(page, "filing-form")
    page.click("#if-submit")
    page.locator("#ins-refused").wait_for(timeout=20_000)
    assert reason in page.locator("#ins-refused").inner_text()
    assert reason in page.locator("#if-elevators-fb").inner_text()
    assert _applications(live) == 0

    # 2. The eligible one alone: filed.
    page.locator("#if-elevators label", has_text="XT-TEST-2").click()
    page.click("#if-submit")
    page.wait_for_url(re.compile(r"/insurance/application\?id=\d+"), timeout=30_000)
    _stage(page, "已受理")
    first_url = page.url

    # 2b. The pilot application form, scanned: kept with the application (checked by its bytes, not its name).
    pdf_scan = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    page.set_input_files(
        "#ins-doc-upload input[type=file]",
        files=[{"name": "试点申请表.pdf", "mimeType": "application/pdf", "buffer": pdf_scan}],
    )
    page.wait_for_function(
        "() => document.querySelector('#ins-documents')?.innerText.includes('试点申请表.pdf')", timeout=30_000
    )

    # 3. Notice from 2026-11-02 for Xiangtan's 7 days; printed as an A4 notice.
    _post_and_object(page, "2026-11-02", "2026-11-05")
    assert "2026年11月2日 至 2026年11月8日" in page.locator("#ins-notice-period").inner_text()
    notice_href = page.locator("#ins-notice-print").get_attribute("href")
    printed = context.new_page()
    watch.attach(printed)
    printed.goto(live.url + notice_href)
    assert "共 7 天" in printed.locator("#notice-period").inner_text()
    assert "XT-TEST-1" in printed.locator("#notice-elevators").inner_text()
    assert "李主任" not in printed.content()  # no personal data on a public notice
    pdf = printed.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    if SHOTS:
        (Path(SHOTS) / "insurance-notice.pdf").write_bytes(pdf)
        _shot(printed, "notice")
    printed.close()

    # 4. A failing vote: 30 of 60 owners take part (less than 2/3): computed, not typed.
    _vote(
        page,
        {
            "on": "2026-11-15",
            "owners": "60",
            "area": "5400",
            "part": "30",
            "part-area": "2700",
            "agree": "25",
            "agree-area": "2300",
        },
    )
    assert page.locator("#ins-vote-result").inner_text() == "表决未通过"
    _stage(page, "表决未通过")
    _shot(page, "vote-failed")

    # 5. Filed again; objection; a passing vote (45 of 60 owners and 4,100 of 5,400 m² take part; 30 and 2,800 agree).
    _file(page, live, "2026-11-10", ["XT-TEST-1"])
    page.click("#if-submit")
    page.wait_for_url(re.compile(r"/insurance/application\?id=\d+"), timeout=30_000)
    assert page.url != first_url
    second_url = page.url
    _post_and_object(page, "2026-11-11", "2026-11-12")
    _vote(
        page,
        {
            "on": "2026-11-20",
            "owners": "60",
            "area": "5400",
            "part": "45",
            "part-area": "4100",
            "agree": "30",
            "agree-area": "2800",
        },
    )
    assert page.locator("#ins-vote-result").inner_text() == "表决通过"
    _stage(page, "已通过待投保")

    # 6. Buy: the pooled account falls by the premium.
    balance = _yuan(page.locator("#ins-balance").inner_text())
    premium = Decimal(page.input_value("#ins-buy-premium"))
    page.click("#ins-buy")
    _stage(page, "已投保")
    assert _yuan(page.locator("#ins-balance").inner_text()) == balance - premium
    assert page.locator("#ins-policies tbody tr").count() == 1

    # 6b. The insurer pays a repair: recorded against the policy.
    page.fill("#ins-claim-amount", "1860.50")
    page.select_option("#ins-claim-kind", "parts")
    page.click("#ins-claim")
    page.wait_for_function(
        "() => document.querySelector('#ins-policies')?.innerText.includes('1 笔 · 1,860.50 元')", timeout=30_000
    )
    _shot(page, "purchased")

    # 7. In the elevator page's stage chart: one more elevator insured, one more whose vote failed.
    after = _stage_chart(page, live)
    assert after.get("已投保", 0) == before.get("已投保", 0) + 1
    assert after.get("表决未通过", 0) == before.get("表决未通过", 0) + 1

    # 8. In the renewal list (a year ahead), and renewed.
    page.goto(live.url + "/insurance?tab=renewals&days=365")
    page.fill("#ins-renew-search", "XT-TEST-1")
    row = page.locator("#ins-renew-grid .ag-row", has_text="XT-TEST-1")
    row.first.wait_for(timeout=20_000)
    _shot(page, "renewals")
    row.first.locator(".ag-selection-checkbox input, .ag-checkbox-input").first.click()
    page.click("#ins-renew")
    page.locator("#ins-renewed").wait_for(timeout=30_000)
    assert "已续保 1 份保单" in page.locator("#ins-renewed").inner_text()
    page.goto(second_url)
    page.locator("#ins-policies").wait_for(timeout=20_000)
    assert page.locator("#ins-policies tbody tr").count() == 2  # the policy and its renewal
    assert watch.errors == []
    context.close()


def _policy_to_cancel(live: LiveServer) -> tuple[int, int, str]:
    """A Xiangtan policy in force on the demo's today, not renewed and without claims: (policy, application, code)."""
    from data_access.core.models import InsuranceClaim, InsurancePolicy
    from data_access.insurance_eligibility import succeeded

    engine = make_engine(live.app.config["DATABASE_URL"])
    ip = InsurancePolicy
    with engine.connect() as conn:
        row = conn.execute(
            select(ip.id, ip.application_id, Elevator.registration_code)
            .join(Elevator, Elevator.id == ip.elevator_id)
            .join(Building, Building.id == Elevator.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .join(City, City.id == District.city_id)
            .where(
                City.code == "xiangtan",
                ip.period_start < DEMO_TODAY,
                ip.period_end > DEMO_TODAY,
                ip.contracted_end.is_(None),
                ~succeeded(ip),
                ~select(InsuranceClaim.id).where(InsuranceClaim.insurance_policy_id == ip.id).exists(),
            )
            .order_by(ip.id)
            .limit(1)
        ).one()
    engine.dispose()
    return int(row[0]), int(row[1]), str(row[2])


def test_a_clerk_cancels_a_policy_and_the_refund_returns_to_the_account(  # type: ignore[no-untyped-def]
    live: LiveServer, browser
) -> None:
    """退保: the clerk picks a policy in force, types the insurer's refund and a reason; the policy shows its
    cancellation and the pooled account rises by the refund. The console stays empty."""
    policy_id, application_id, code = _policy_to_cancel(live)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "xiangtan-fund")
    page.goto(f"{live.url}/insurance/application?id={application_id}")
    page.locator("#ins-cancel-policy").wait_for(timeout=20_000)
    balance = _yuan(page.locator("#ins-balance").inner_text())
    page.select_option("#ins-cancel-policy", str(policy_id))
    assert "今日退保折算约" in page.locator("#ins-cancel-policy option:checked").inner_text()
    page.fill("#ins-cancel-refund", "800.00")
    page.click("#ins-cancel")
    page.wait_for_function(  # the reason is required: refused, said under the field, nothing written
        "() => document.querySelector('#ins-cancel-reason-fb')?.innerText.trim() === '必填'", timeout=20_000
    )
    assert _yuan(page.locator("#ins-balance").inner_text()) == balance
    page.fill("#ins-cancel-reason", "电梯报废更新")
    page.click("#ins-cancel")
    page.wait_for_function(
        "t => [...document.querySelectorAll('#ins-policies tr')].some(r => r.innerText.includes(t)"
        " && r.innerText.includes('已于 2026年11月23日 退保'))",
        arg=code,
        timeout=30_000,
    )
    assert _yuan(page.locator("#ins-balance").inner_text()) == balance + Decimal("800.00")
    _shot(page, "cancelled")
    assert watch.errors == []
    context.close()


def test_the_press_reads_without_names_and_cannot_act(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "press")
    page.goto(live.url + "/insurance?city=xiangtan")
    page.locator("#ins-tabs").wait_for(timeout=20_000)
    assert page.locator("#if-submit").count() == 0
    assert "申请人" not in page.locator("#ins-grid .ag-header").inner_text()
    page.locator("#ins-grid .ag-row a").first.click()
    page.wait_for_url(re.compile(r"/insurance/application\?id=\d+"), timeout=20_000)
    page.locator("#ins-stage").wait_for(timeout=20_000)
    assert "对媒体隐去" in page.content()
    for button in ("#ins-post", "#ins-object", "#ins-vote", "#ins-buy", "#ins-conclude"):
        assert page.locator(button).count() == 0
    assert watch.errors == []
    context.close()
