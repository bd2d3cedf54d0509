"""The insurance desk as an attacker would try it: straight to Dash's callback endpoint, signed out or as an account
that may read but not write (leader, press, organiser, data steward, administrator) or as another city's fund
centre. Every writing callback is posted with well-formed values; nothing is written (every row of the procedure's
tables compared before and after), and the same post as the city's own clerk does write (so the posts are real).
Reads: another city's application is the not-found page with HTTP 404, the public notice exists only once posted
and never names the applicant.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import ApplicationDocument
from data_access.insurance_records import PurchaseInput, conclude_notice, file_application, post_notice, purchase
from data_access.insurance_records import record_objection as object_to
from data_access.migrate import upgrade
from tests.insurance_world import build_insurance_world, snapshot
from tests.test_auth import PASSWORD
from tests.test_council_security import client_as, key_for, outputs_of
from tests.test_insurance_records import _input

TODAY = date(2026, 2, 20)
INTRUDERS = (None, "lead-x", "press-i", "org-i", "data-x", "admin-i", "fund-y")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    """World of tests/insurance_world.py; applications: P filed (a1: L1), N notice ended (a1: L2), O objected
    (a3: L5), A approved (a3: L6), and a4's L7 bought (its policy can be renewed)."""
    url = f"sqlite:///{tmp_path / 'insurance.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        w = build_insurance_world(s, PASSWORD)
        fx = w.viewers["fx"]
        filed = date(2026, 2, 1)
        ids = {}
        for key, account, code in (
            ("P", "a1", "L1"),
            ("N", "a1", "L2"),
            ("O", "a3", "L5"),
            ("A", "a3", "L6"),
            ("B", "a4", "L7"),
        ):
            ids[key] = file_application(s, fx, _input(w, account, [code], filed_on=filed), filed)
        for key in ("N", "O", "A", "B"):
            post_notice(s, fx, ids[key], date(2026, 2, 2), filed)
        object_to(
            s,
            fx,
            ids["O"],
            date(2026, 2, 3),
            "",
            "反对",
            date(2026, 2, 3),
            datetime(2026, 2, 3, tzinfo=UTC),
        )
        conclude_notice(s, fx, ids["A"], date(2026, 2, 10))
        conclude_notice(s, fx, ids["B"], date(2026, 2, 10))
        (policy,) = purchase(
            s,
            fx,
            ids["B"],
            PurchaseInput(w.insurer_id, date(2026, 2, 10), 220_000, 8_000_000, date(2026, 2, 10)),
            date(2026, 2, 10),
        )
        s.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "TODAY": TODAY,
            "ATTACHMENT_DIR": str(tmp_path / "attachments"),
            "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        }
    )
    app.config["IDS"] = {**ids, "policy": policy, "account_a1": w.accounts["a1"], "elevator_l3": w.elevators["L3"]}
    yield app
    app.extensions["db_engine"].dispose()


def _state(pairs: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    return [{"id": i, "property": p, "value": v} for i, p, v in pairs]


def _writes(ids: dict[str, int]) -> dict[str, tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Each writing callback: (its input id, inputs, state) with values that would be accepted from the clerk."""
    store = lambda key: ("ia-store", "data", {"id": ids[key]})  # noqa: E731
    return {
        "file": (
            "if-submit",
            _state([("if-submit", "n_clicks", 1)]),
            _state(
                [
                    ("if-account", "value", str(ids["account_a1"])),
                    ("if-elevators", "value", []),
                    ("if-type", "value", "owners_committee"),
                    ("if-name", "value", "业委会"),
                    ("if-contact", "value", ""),
                    ("if-owners", "value", None),
                    ("if-filed", "value", TODAY.isoformat()),
                ]
            ),
        ),
        "post": (
            "ins-post",
            _state([("ins-post", "n_clicks", 1)]),
            _state([("ins-notice-from", "value", TODAY.isoformat()), store("P")]),
        ),
        "object": (
            "ins-object",
            _state([("ins-object", "n_clicks", 1)]),
            _state(
                [
                    ("ins-obj-on", "value", "2026-02-04"),
                    ("ins-obj-by", "value", ""),
                    ("ins-obj-content", "value", "反对"),
                    store("N"),
                ]
            ),
        ),
        "vote": (
            "ins-vote",
            _state([("ins-vote", "n_clicks", 1)]),
            _state(
                [
                    ("ins-vote-on", "value", "2026-02-15"),
                    ("ins-vote-owners", "value", 60),
                    ("ins-vote-area", "value", "5400"),
                    ("ins-vote-part", "value", 45),
                    ("ins-vote-part-area", "value", "4100"),
                    ("ins-vote-agree", "value", 30),
                    ("ins-vote-agree-area", "value", "2800"),
                    store("O"),
                ]
            ),
        ),
        "conclude": ("ins-conclude", _state([("ins-conclude", "n_clicks", 1)]), _state([store("N")])),
        "close": (
            "ins-refuse",
            _state([("ins-refuse", "n_clicks", 1), ("ins-withdraw", "n_clicks", None)]),
            _state([("ins-close-note", "value", "材料不全"), store("P")]),
        ),
        "buy": (
            "ins-buy",
            _state([("ins-buy", "n_clicks", 1)]),
            _state(
                [
                    ("ins-buy-insurer", "value", "1"),
                    ("ins-buy-start", "value", "2026-02-20"),
                    ("ins-buy-paid", "value", "2026-02-20"),
                    ("ins-buy-premium", "value", "2200"),
                    ("ins-buy-cover", "value", "80000"),
                    store("A"),
                ]
            ),
        ),
        "claim": (
            "ins-claim",
            _state([("ins-claim", "n_clicks", 1)]),
            _state(
                [
                    ("ins-claim-policy", "value", str(ids["policy"])),
                    ("ins-claim-kind", "value", "repair"),
                    ("ins-claim-paid", "value", "2026-02-20"),
                    ("ins-claim-amount", "value", "1200.50"),
                    ("ins-claim-ref", "value", ""),
                    ("ins-claim-fault", "value", ""),
                    ("ia-store", "data", {"id": ids["B"]}),
                ]
            ),
        ),
        "cancel": (
            "ins-cancel",
            _state([("ins-cancel", "n_clicks", 1)]),
            _state(
                [
                    ("ins-cancel-policy", "value", str(ids["policy"])),
                    ("ins-cancel-on", "value", "2026-02-20"),
                    ("ins-cancel-refund", "value", "2000"),
                    ("ins-cancel-refunded", "value", "2026-02-20"),
                    ("ins-cancel-reason", "value", "电梯报废更新"),
                    ("ia-store", "data", {"id": ids["B"]}),
                ]
            ),
        ),
        "renew": (
            "ins-renew",
            _state([("ins-renew", "n_clicks", 1)]),
            _state(
                [
                    ("ins-renew-grid", "selectedRows", [{"policy_id": str(ids["policy"])}]),
                    ("ins-renew-paid", "value", "2026-02-20"),
                ]
            ),
        ),
    }


def _post(app: Flask, who: str | None, input_id: str, inputs: list[dict[str, Any]], state: list[dict[str, Any]]) -> Any:
    client, headers = client_as(app, who)
    key = key_for(app, input_id)
    body = {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{input_id}.n_clicks"],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=headers
    )


def _rows(app: Flask) -> dict[str, object]:
    with Session(app.extensions["db_engine"]) as s:
        shot = snapshot(s)
    # sign-ins are audited too: compare only the procedure's own entries
    shot["audit_log"] = [r for r in shot["audit_log"] if str(r[5]).startswith("insurance")]  # type: ignore[index, union-attr]
    shot.pop("audit_log#")
    return shot


@pytest.mark.parametrize(
    "action", ["file", "post", "object", "vote", "conclude", "close", "buy", "claim", "cancel", "renew"]
)
def test_no_one_but_the_citys_clerk_writes(server: Flask, action: str) -> None:
    input_id, inputs, state = _writes(server.config["IDS"])[action]
    before = _rows(server)
    for who in INTRUDERS:
        response = _post(server, who, input_id, inputs, state)
        assert response.status_code in (200, 204, 401, 403), (who, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)
        assert _rows(server) == before, f"{who} wrote through {action}"
    # the same post from the city's own fund centre is a real write; for "file", the world has no elevator left to
    # file, so the clerk gets the writer's own refusal (the post reached it) and nothing is written either
    response = _post(server, "fund-x", input_id, inputs, state)
    assert response.status_code == 200
    if action == "file":
        assert "请至少选择一部电梯" in response.get_data(as_text=True)
        assert _rows(server) == before
    else:
        assert _rows(server) != before, f"the clerk's own {action} wrote nothing: the post is malformed"


def test_reads_are_scoped_and_the_notice_names_nobody(server: Flask) -> None:
    ids = server.config["IDS"]
    other, _ = client_as(server, "fund-y")
    assert other.get(f"/insurance/application?id={ids['N']}").status_code == 404
    own, _ = client_as(server, "fund-x")
    assert own.get(f"/insurance/application?id={ids['N']}").status_code == 200
    organiser, _ = client_as(server, "org-i")
    assert organiser.get(f"/insurance/application?id={ids['N']}").status_code == 404
    public = server.test_client()
    assert public.get(f"/notices/insurance/{ids['P']}").status_code == 404  # never posted
    page = public.get(f"/notices/insurance/{ids['N']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "T-L2" in text and "王主任" not in text and "0731" not in text


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_checked_by_their_bytes_and_served_only_to_readers_of_names(server: Flask) -> None:
    """A clerk's upload is refused when its bytes are not what its name says; a PDF is kept and served to the
    city's fund centre and leader, and to nobody else (press, organiser, another city, signed out: sent to sign in)."""
    ids = server.config["IDS"]
    contents = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    fake = "data:application/pdf;base64," + base64.b64encode(b"MZ not a pdf").decode()

    def upload(who: str | None, data: str, name: str = "申请表.pdf") -> Any:
        return _post(
            server,
            who,
            "ins-doc-upload",
            _state([("ins-doc-upload", "contents", data)]),
            _state(
                [
                    ("ins-doc-upload", "filename", name),
                    ("ins-doc-kind", "value", "application_form"),
                    ("ia-store", "data", {"id": ids["N"]}),
                ]
            ),
        )

    before = _rows(server)
    for who in INTRUDERS:
        upload(who, contents)
    assert _rows(server) == before
    assert "只接受 PDF、PNG 或 JPEG 文件" in upload("fund-x", fake).get_data(as_text=True)
    assert _rows(server) == before
    assert upload("fund-x", contents).status_code == 200
    with Session(server.extensions["db_engine"]) as s:
        doc = s.scalars(select(ApplicationDocument)).one()
    assert (doc.filename, doc.content_type, doc.size_bytes) == ("申请表.pdf", "application/pdf", len(PDF))
    for who, status in (
        ("fund-x", 200),
        ("lead-x", 200),
        ("press-i", 404),
        ("org-i", 404),
        ("fund-y", 404),
        (None, 302),
    ):
        client, _ = client_as(server, who)
        response = client.get(f"/insurance/documents/{doc.id}")
        assert response.status_code == status, who
        if status == 200:
            assert response.data == PDF
