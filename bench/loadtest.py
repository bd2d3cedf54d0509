"""Load test: the real server (gunicorn, PostgreSQL, Redis) under simulated users, every acknowledged write checked.

    .venv/bin/python bench/loadtest.py [--scale city|small] [--users 50] [--duration 120] [--workers 4]
                                       [--restart-db] [--json FILE]
    .venv/bin/python bench/loadtest.py --api-wrk [--wrk-duration 30] [--wrk-connections 50]

It starts `gunicorn app:server` (4 sync workers) on 127.0.0.1 and a free port, against DATABASE_URL (or
--database-url; default: the database loadtest_<scale> on the local PostgreSQL, created with createdb and seeded
with `flask seed-demo` when missing), with the rate limiter and the result cache on the local Redis (databases 11
and 12, flushed first), WARM_CACHE=1 and a fixed SECRET_KEY, waits until it answers /healthz and the warm-up is
done, and then runs one of two modes. gunicorn is always stopped at the end (also on Ctrl-C or a failure).

Users (the default mode): --users threads, each with its own requests.Session, for --duration seconds, with a
think time of 0..--think-ms between requests. Leaders (province and one-city), press and admin sign in through the
form (/login with its csrf_token) and render pages through Dash's callback endpoint as the browser does (POST
/_dash-update-component with _pages_location's pathname and search; a first visit also GETs the page, /_dash-layout
and /_dash-dependencies), load compound-grid blocks (AG Grid's infinite row model callback), and call
/api/v1/indicators with their session; API clients call it with a bearer token made by `flask create-token`;
organisers open /councils/edit (new, or a meeting they saved earlier), fill it in and post the form's save callback
with the X-CSRFToken header from the _csrf_token cookie. Every response is recorded (kind, status, latency); an
error is a connection error, a 5xx other than a 503 during the outage, or any status the request should not get
(a 4xx, a refused save). A save acknowledged with the saved meeting's URL is a write the app promised: afterwards
each one is looked up in the database (the meeting's venue carries a unique marker; an edit superseded by a later
one must be in the meeting's audit trail), and acknowledged vs found is reported.

--restart-db stops PostgreSQL in the middle of the run (pg_ctlcluster ... stop -m fast), keeps it down
--outage-seconds, starts it again and checks: in the outage window only 503s (JSON with Retry-After on the API and
the callbacks), recovery without restarting the app (the same gunicorn workers; time from PostgreSQL back to the
first success), no other error, every acknowledged write present.

--api-wrk measures the API's throughput instead: after one pass over the 72 API URLs (years 2021..this year ×
province, each city, each district, as bench/api_dump.py lists them) to fill the cache, `wrk -t2 -c50 -d30s`
cycles through them with the bearer token, then /healthz is measured the same way; req/s, p99, errors and
API ÷ healthz are reported against the targets (≥ 300 req/s, p99 ≤ 200 ms, no errors, ratio ≥ 0.35).

The exit status is 1 when any check fails. This is a script, not a test; it binds to loopback only and its
requests are bounded in number (users) and time (duration).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout this script lies in

import requests  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from data_access.core.db import make_engine  # noqa: E402
from data_access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402
from data_access.geography import district_options, list_cities  # noqa: E402

CITY_TZ = ZoneInfo("Asia/Shanghai")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_BASE = "redis://127.0.0.1:6379"
RATELIMIT_DB, CACHE_DB = 11, 12
SECRET_KEY = "loadtest-fixed-secret-key-not-for-production"
FIRST_YEAR = 2021
API = "/api/v1/indicators"
DASH = "/_dash-update-component"
INDICATOR_PAGES = {
    "/funds": "funds",
    "/elevators": "elevators",
    "/complaints": "complaints",
    "/red-property": "red-property",
}
# One pattern of ten users, repeated: 5 leaders (province ×2, zhuzhou ×2, xiangtan), an organiser, press, admin and
# two API clients with the bearer token.
ROLE_PATTERN = (
    "province",
    "zhuzhou",
    "organiser",
    "xiangtan",
    "press",
    "api",
    "province",
    "admin",
    "zhuzhou",
    "api",
)
# Kinds of request that read the database: the first of them to succeed after PostgreSQL is back ends the outage.
DB_KINDS = {"render", "grid", "api-bearer", "api-session", "callback", "layout", "form", "save", "notice", "html"}
WRK_TARGET = {"api_rps": 300.0, "api_p99_ms": 200.0, "ratio": 0.35}


# --------------------------------------------------------------------------- recording


@dataclass
class Sample:
    kind: str
    method: str
    path: str
    status: int | None  # None: no answer (connection refused/reset, timeout)
    t0: float  # seconds since the run started
    t1: float
    user: int
    expected: tuple[int, ...]
    failure: str | None = None  # the client's exception, or why an answer counts as wrong beyond its status
    json_retry: bool = False  # a 503 that is JSON and carries Retry-After
    body: str = ""  # the start of the answer, kept for anything that is not as expected

    @property
    def ms(self) -> float:
        return (self.t1 - self.t0) * 1000


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.acks: list[Ack] = []
        self.t0 = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.t0

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def ack(self, ack: Ack) -> None:
        with self.lock:
            self.acks.append(ack)


@dataclass
class Ack:
    """A save the app acknowledged (200 and the saved meeting's URL)."""

    meeting_id: int
    marker: str
    created: bool
    expected_version: int | None  # the version the form was opened at (None: a new meeting)
    user: int
    seq: int  # this user's n-th save
    t: float


@dataclass
class Outage:
    stop_begin: float | None = None
    stop_end: float | None = None
    start_begin: float | None = None
    start_end: float | None = None
    ready_at: float | None = None  # when it accepted connections again (pg_isready)
    stop_output: str = ""
    start_output: str = ""


# --------------------------------------------------------------------------- the world the users browse


@dataclass
class World:
    years: list[int]
    cities: list[dict[str, Any]]  # {"id", "code", "name", "districts": [{"id", "name"}]}
    compounds: dict[str, list[int]]  # city code → sample of compound ids
    meetings: dict[str, list[int]]  # city code → sample of meeting ids
    published: list[int]  # meetings whose public notice is posted
    organiser_compound: int  # the demo organiser's compound
    organiser_meetings: list[int]  # and a sample of its meetings
    organiser_city: str  # its city's code
    api_urls: list[str]  # the 72 API URLs
    save_output: str = ""  # the save callback's output key, from /_dash-dependencies
    grid_fields: dict[str, list[str]] = field(default_factory=dict)  # grid prefix → sortable column fields

    def city(self, code: str) -> dict[str, Any]:
        return next(c for c in self.cities if c["code"] == code)


def load_world(url: str, rng: random.Random) -> World:
    engine = make_engine(url)
    today = datetime.now(CITY_TZ).date()
    try:
        with Session(engine) as s:
            cities = [
                {
                    "id": c.id,
                    "code": c.code,
                    "name": c.name,
                    "districts": [{"id": d.id, "name": d.name} for d in district_options(s, c.id)],
                }
                for c in list_cities(s)
            ]
            compounds: dict[str, list[int]] = {}
            meetings: dict[str, list[int]] = {}
            for c in cities:
                ids = list(
                    s.scalars(
                        text(
                            "SELECT p.id FROM compound p JOIN district d ON d.id = p.district_id "
                            "WHERE d.city_id = :c ORDER BY p.id"
                        ),
                        {"c": c["id"]},
                    )
                )
                compounds[c["code"]] = rng.sample(ids, min(40, len(ids)))
                mids = list(
                    s.scalars(
                        text(
                            "SELECT m.id FROM council_meeting m JOIN compound p ON p.id = m.compound_id "
                            "JOIN district d ON d.id = p.district_id "
                            "WHERE d.city_id = :c AND m.deleted_at IS NULL ORDER BY m.id"
                        ),
                        {"c": c["id"]},
                    )
                )
                meetings[c["code"]] = rng.sample(mids, min(40, len(mids)))
            organiser_compound = s.scalar(
                text(
                    "SELECT uc.compound_id FROM user_compound uc JOIN user_account u ON u.id = uc.user_id "
                    "WHERE u.username = 'organiser' ORDER BY uc.compound_id LIMIT 1"
                )
            )
            organiser_city = s.scalar(
                text(
                    "SELECT c.code FROM compound p JOIN district d ON d.id = p.district_id "
                    "JOIN city c ON c.id = d.city_id WHERE p.id = :p"
                ),
                {"p": organiser_compound},
            )
            organiser_meetings = list(
                s.scalars(
                    text("SELECT id FROM council_meeting WHERE compound_id = :c AND deleted_at IS NULL ORDER BY id"),
                    {"c": organiser_compound},
                )
            )
            published = list(
                s.scalars(
                    text(
                        "SELECT m.id FROM council_meeting m WHERE m.deleted_at IS NULL AND m.notice_from <= :today "
                        "AND EXISTS (SELECT 1 FROM agenda_item i WHERE i.meeting_id = m.id "
                        "AND i.published_at IS NOT NULL AND i.deleted_at IS NULL) ORDER BY m.id"
                    ),
                    {"today": today},
                )
            )
    finally:
        engine.dispose()
    years = list(range(FIRST_YEAR, today.year + 1))
    places: list[dict[str, str]] = [{}]
    for c in cities:  # the province, then each city followed by its districts (bench/api_dump.py's order)
        places.append({"city": c["code"]})
        places.extend({"city": c["code"], "district": d["name"]} for d in c["districts"])
    api_urls = [f"{API}?{urlencode({'year': str(y), **p})}" for y in years for p in places]
    return World(
        years,
        cities,
        compounds,
        meetings,
        rng.sample(published, min(40, len(published))),
        int(organiser_compound or 0),
        rng.sample(organiser_meetings, min(40, len(organiser_meetings))),
        str(organiser_city),
        api_urls,
    )


# --------------------------------------------------------------------------- Dash payloads


def render_body(pathname: str, search: str) -> dict[str, Any]:
    """Dash Pages' render callback, as the renderer posts it when the location changes."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def city_label_body(search: str) -> dict[str, Any]:
    return {
        "output": "city-switch.label",
        "outputs": {"id": "city-switch", "property": "label"},
        "inputs": [{"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.search"],
        "state": [],
    }


def grid_body(prefix: str, search: str, start: int, sort: list[dict[str, str]]) -> dict[str, Any]:
    """A compound grid's getRowsRequest for one block of 100 rows, with the page's URL search as State."""
    request = {"startRow": start, "endRow": start + 100, "sortModel": sort, "filterModel": {}}
    return {
        "output": f"{prefix}-grid.getRowsResponse",
        "outputs": {"id": f"{prefix}-grid", "property": "getRowsResponse"},
        "inputs": [{"id": f"{prefix}-grid", "property": "getRowsRequest", "value": request}],
        "state": [{"id": f"{prefix}-url", "property": "search", "value": search}],
        "changedPropIds": [f"{prefix}-grid.getRowsRequest"],
    }


def components(node: Any) -> list[tuple[Any, dict[str, Any]]]:
    """Every component (id, props) of a Dash layout, in layout order (the order the renderer sends ALL states in)."""
    out: list[tuple[Any, dict[str, Any]]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            props = n.get("props")
            if isinstance(props, dict) and "id" in props:
                out.append((props["id"], props))
            stack.extend(reversed(list(n.values())))
        elif isinstance(n, list):
            stack.extend(reversed(n))
    return out


# --------------------------------------------------------------------------- users


class User(threading.Thread):
    def __init__(self, idx: int, role: str, base: str, world: World, rec: Recorder, cfg: argparse.Namespace) -> None:
        super().__init__(name=f"user-{idx}", daemon=True)
        self.idx, self.role, self.base, self.world, self.rec, self.cfg = idx, role, base, world, rec, cfg
        self.rng = random.Random(cfg.seed * 1000 + idx)
        self.http = requests.Session()
        self.http.headers["User-Agent"] = f"housing-loadtest/{idx}"
        self.signed_in = False
        self.own_city: str | None = role if role in ("zhuzhou", "xiangtan") else None
        self.username = {"api": None}.get(role, role)
        self.mine: dict[int, str] = {}  # organiser: meeting id → marker of its last acknowledged save
        self.saves = 0
        self.stop_at = 0.0
        self.stopping: threading.Event | None = None

    # ---- HTTP
    def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        expect: tuple[int, ...] = (200,),
        body: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response | None:
        hdrs = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body)
            hdrs.update({"Content-Type": "application/json", "Accept": "application/json"})
            token = self.http.cookies.get("_csrf_token")
            if token:
                hdrs["X-CSRFToken"] = token  # what Dash's renderer sends from the cookie
        t0 = self.rec.now()
        response: requests.Response | None = None
        failure = None
        try:
            response = self.http.request(
                method,
                self.base + path,
                data=payload if payload is not None else data,
                headers=hdrs,
                allow_redirects=False,
                timeout=(5, self.cfg.request_timeout),
            )
            response.content  # noqa: B018  (read the whole answer inside the timing)
        except requests.RequestException as exc:
            failure = f"{type(exc).__name__}: {str(exc)[:200]}"
        t1 = self.rec.now()
        status = response.status_code if response is not None else None
        sample = Sample(
            kind,
            method,
            path if body is None else f"{path} [{_callback_name(body)}]",
            status,
            t0,
            t1,
            self.idx,
            expect,
            failure,
        )
        if response is not None and status == 503:
            is_json = response.headers.get("Content-Type", "").startswith("application/json")
            sample.json_retry = is_json and bool(response.headers.get("Retry-After"))
        if response is not None and status not in expect:
            sample.body = response.text[:300]
        self.rec.add(sample)
        return response

    def note(self, what: str, path: str, failure: str, body: str = "") -> None:
        """A wrong answer that its status does not show (no form, a refused save): an error of kind 'check'."""
        t = self.rec.now()
        self.rec.add(Sample("check", what, path, 200, t, t, self.idx, (200,), failure, body=body))

    def callback(self, kind: str, body: dict[str, Any], expect: tuple[int, ...] = (200,)) -> requests.Response | None:
        return self.call(kind, "POST", DASH, body=body, expect=expect)

    def refused(self, response: requests.Response | None) -> None:
        """After a 503 or no answer, back off a little (a browser's user would retry too), not in a tight loop."""
        if response is None or response.status_code == 503:
            self.sleep(0.3 + self.rng.random() * 0.4)
        if response is not None and response.status_code == 401:
            self.signed_in = False  # the session was refused: sign in again (the 401 is already an error)

    def sleep(self, seconds: float) -> None:
        assert self.stopping is not None
        self.stopping.wait(max(0.0, min(seconds, self.stop_at - time.monotonic())))

    # ---- sign-in
    def sign_in(self) -> bool:
        r = self.call("login", "GET", "/login")
        if r is None or r.status_code != 200:
            self.refused(r)
            return False
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', r.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', r.text
        )
        if m is None:
            self.note("login", "/login", "no csrf_token in the sign-in form")
            return False
        form = {"username": self.username or "", "password": DEMO_PASSWORD, "csrf_token": m.group(1)}
        r = self.call("login", "POST", "/login", data=form, expect=(302,))
        if r is None or r.status_code != 302:
            self.refused(r)
            return False
        target = r.headers.get("Location", "/")
        r = self.call("html", "GET", urlsplit(target).path or "/")  # the redirect: the page hands out the CSRF cookie
        if r is None or r.status_code != 200:
            self.refused(r)
            return False
        self.signed_in = True
        return True

    # ---- what a viewer may look at
    def cities(self) -> list[dict[str, Any]]:
        if self.own_city:
            return [self.world.city(self.own_city)]
        if self.role == "organiser":
            return [self.world.city(self.world.organiser_city)]
        return self.world.cities

    def search(self) -> str:
        rng, city = self.rng, self.rng.choice(self.cities())
        params: dict[str, str] = {}
        roll = rng.random()
        if roll < 0.2 and not self.own_city:
            pass  # the province
        elif roll < 0.55:
            params["city"] = city["code"]
        else:
            params["city"] = city["code"]
            params["district"] = str(rng.choice(city["districts"])["id"])
        if rng.random() < 0.4:
            params["year"] = str(rng.choice(self.world.years))
        return "?" + urlencode(params) if params else ""

    def page(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            return rng.choice(list(INDICATOR_PAGES)), self.search()
        if roll < 0.65:
            return "/", self.search()
        if roll < 0.75:
            city = rng.choice(self.cities())["code"]
            ids = self.world.compounds.get(city) or [1]
            if self.role == "organiser":
                ids = [self.world.organiser_compound]
            return "/compound", f"?id={rng.choice(ids)}"
        if roll < 0.85:
            return "/councils", rng.choice(("", f"?city={rng.choice(self.cities())['code']}"))
        if self.role == "press":
            ids = self.world.published or [1]
        elif self.role == "organiser":
            ids = [*self.mine, *self.world.organiser_meetings] or [1]
        else:
            ids = self.world.meetings.get(rng.choice(self.cities())["code"]) or [1]
        if self.role == "admin" and rng.random() < 0.5:
            return "/admin/users", ""
        return "/councils/meeting", f"?id={rng.choice(ids)}"

    def api_url(self) -> str:
        if self.own_city is None:
            return self.rng.choice(self.world.api_urls)
        mine = [u for u in self.world.api_urls if f"city={self.own_city}" in u]
        return self.rng.choice(mine)

    # ---- actions
    def render(self, pathname: str, search: str, kind: str = "render") -> requests.Response | None:
        r = self.callback(kind, render_body(pathname, search))
        if r is not None and r.status_code == 200 and pathname in INDICATOR_PAGES:
            prefix = INDICATOR_PAGES[pathname]
            if prefix not in self.world.grid_fields:
                try:
                    for cid, props in components(r.json()):
                        if cid == f"{prefix}-grid":
                            self.world.grid_fields[prefix] = [
                                c["field"] for c in props.get("columnDefs", []) if isinstance(c, dict) and "field" in c
                            ]
                except ValueError:
                    pass
        return r

    def grid(self, pathname: str, search: str) -> requests.Response | None:
        prefix = INDICATOR_PAGES[pathname]
        fields = self.world.grid_fields.get(prefix) or []
        sort = []
        if fields and self.rng.random() < 0.4:
            sort = [{"colId": self.rng.choice(fields), "sort": self.rng.choice(("asc", "desc"))}]
        start = self.rng.choice((0, 0, 0, 100, 200))
        return self.callback("grid", grid_body(prefix, search, start, sort))

    def visit(self, full: bool) -> None:
        """Open a page: a first visit loads the app (HTML, layout, dependencies), then the renderer's callbacks."""
        pathname, search = self.page()
        if full:
            for kind, path in (
                ("html", pathname + search),
                ("layout", "/_dash-layout"),
                ("deps", "/_dash-dependencies"),
            ):
                r = self.call(kind, "GET", path)
                if r is None or r.status_code != 200:
                    self.refused(r)
                    return
        r = self.render(pathname, search)
        if r is None or r.status_code != 200:
            self.refused(r)
            return
        r = self.callback("callback", city_label_body(search), expect=(200, 204))
        if r is None or r.status_code not in (200, 204):
            self.refused(r)
            return
        if pathname in INDICATOR_PAGES:
            self.refused(self.grid(pathname, search))

    def api_session(self) -> None:
        r = self.call("api-session", "GET", self.api_url())
        if r is None or r.status_code != 200:
            self.refused(r)

    def api_bearer(self) -> None:
        r = self.call(
            "api-bearer",
            "GET",
            self.rng.choice(self.world.api_urls),
            headers={"Authorization": f"Bearer {self.cfg.token}"},
        )
        if r is None or r.status_code != 200:
            self.refused(r)

    def notice(self) -> None:
        ids = self.world.published or [1]
        r = self.call("notice", "GET", f"/notices/{self.rng.choice(ids)}")
        if r is None or r.status_code != 200:
            self.refused(r)

    def save_meeting(self) -> None:
        """Open the meeting form (new, or a meeting this user saved before), fill it in and press save."""
        edit = bool(self.mine) and self.rng.random() < 0.6
        meeting_id = self.rng.choice(sorted(self.mine)) if edit else None
        r = self.render("/councils/edit", f"?id={meeting_id}" if edit else "", kind="form")
        if r is None or r.status_code != 200:
            self.refused(r)
            return
        comps = components(r.json())
        store = next((p.get("data") for cid, p in comps if cid == "cf-meeting"), None)
        if not isinstance(store, dict) or (edit and store.get("id") != meeting_id):
            self.note("form", f"/councils/edit?id={meeting_id}", "the meeting form did not open", body=r.text[:300])
            return
        self.saves += 1
        marker = f"LT{self.cfg.run_id}-u{self.idx:02d}-{self.saves:04d}"
        values: dict[str, Any] = {"venue": f"{marker} 红色议事厅"}
        if not edit:
            day = datetime.now(CITY_TZ).date().toordinal() - self.rng.randint(1, 300)
            values.update(
                {
                    "date": date.fromordinal(day).isoformat(),
                    "time": f"{self.rng.randint(8, 20):02d}:{self.rng.choice((0, 15, 30, 45)):02d}",
                    "status": "held",
                    "convener": f"负载测试员{self.idx}",
                    "att_party_org": "王书记（党支部书记）",
                    "att_property_company": "李经理（物业项目经理）",
                    "att_owners_committee": "张主任（业委会主任）",
                    "att_residents": "赵阿姨\n钱师傅",
                }
            )
        item0 = {"title": f"电梯维保议题 {marker}"}
        if not edit:
            item0.update(
                {
                    "category": "other",
                    "raising_party": "residents",
                    "decision_method": "consensus",
                    "outcome": "deferred",
                    "description": "负载测试：业主反映电梯异响",
                }
            )
        states, feedback = [], []
        for cid, props in comps:
            if not isinstance(cid, dict):
                continue
            if cid.get("type") == "cf":
                state: dict[str, Any] = {"id": cid, "property": "value"}
                if "value" in props:
                    state["value"] = props["value"]
                if cid.get("item") == -1 and cid.get("field") in values:
                    state["value"] = values[cid["field"]]
                if cid.get("item") == 0 and cid.get("fu") == -1 and cid.get("field") in item0:
                    state["value"] = item0[cid["field"]]
                states.append(state)
            elif cid.get("type") == "cf-fb":
                feedback.append({"id": cid, "property": "children"})
        body = {
            "output": self.world.save_output,
            "outputs": [{"id": "cf-status", "property": "children"}, feedback, {"id": "cf-url", "property": "href"}],
            "inputs": [{"id": "cf-save", "property": "n_clicks", "value": 1}],
            "state": [states, {"id": "cf-meeting", "property": "data", "value": store}],
            "changedPropIds": ["cf-save.n_clicks"],
        }
        r = self.callback("save", body)
        if r is None or r.status_code != 200:
            self.refused(r)
            return
        answer = r.json().get("response", {})
        href = (answer.get("cf-url") or {}).get("href") or ""
        m = re.fullmatch(r"/councils/meeting\?id=(\d+)", href)
        if m is None:
            # A valid form from the meeting's own organiser, opened just now: a refusal (stale, invalid) is wrong.
            self.note(
                "save", f"{DASH} [save refused]", "save refused", body=json.dumps(answer, ensure_ascii=False)[:300]
            )
            return
        saved = int(m.group(1))
        if edit and saved != meeting_id:
            self.note("save", f"{DASH} [save]", f"an edit of {meeting_id} answered with meeting {saved}")
        self.rec.ack(Ack(saved, marker, not edit, store.get("version"), self.idx, self.saves, self.rec.now()))
        self.mine[saved] = marker
        self.refused(self.render("/councils/meeting", f"?id={saved}"))  # where the browser goes next

    # ---- the loop
    def run(self) -> None:
        assert self.stopping is not None
        rng = self.rng
        self.sleep(rng.random() * 2.0)  # users arrive over two seconds, not in one burst
        while not self.stopping.is_set() and time.monotonic() < self.stop_at:
            try:
                self.step(rng)
            except Exception as exc:  # a bug in this client must not silently stop a user
                self.note("client", "-", f"client error {type(exc).__name__}: {exc}")
                self.sleep(0.5)
            self.sleep(rng.random() * self.cfg.think_ms / 1000)

    def step(self, rng: random.Random) -> None:
        if self.role == "api":
            self.api_bearer()
            return
        if not self.signed_in:
            if self.sign_in():
                self.visit(full=True)
            return
        roll = rng.random()
        if self.role == "organiser":
            if roll < 0.45:
                self.save_meeting()
            elif roll < 0.85:
                self.visit(full=roll > 0.8)
            else:
                self.notice()
            return
        if self.role == "press":
            if roll < 0.75:
                self.visit(full=roll > 0.7)
            else:
                self.notice()
            return
        # leaders and admin
        if roll < 0.55:
            self.visit(full=roll > 0.5)
        elif roll < 0.8:
            pathname = rng.choice(list(INDICATOR_PAGES))
            self.refused(self.grid(pathname, self.search()))
        else:
            self.api_session()


def _callback_name(body: dict[str, Any]) -> str:
    output = str(body.get("output", ""))
    if "_pages_content" in output:
        return "render " + "".join(str(i.get("value") or "") for i in body.get("inputs", []))
    if "cf-status" in output:
        return "save"
    return output.split(".")[0] if output else "?"


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_pids(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


class Server:
    """gunicorn app:server on loopback; stop() always ends its whole process group."""

    def __init__(self, cfg: argparse.Namespace, database_url: str, run_dir: Path) -> None:
        self.port = cfg.port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = run_dir / "gunicorn.log"
        self.cfg = cfg
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_STORAGE_URI": f"{REDIS_BASE}/{RATELIMIT_DB}",
            "CACHE_REDIS_URL": f"{REDIS_BASE}/{CACHE_DB}",
            "WARM_CACHE": "1",
            "INSTANCE_PATH": str(run_dir / "instance"),
            "ATTACHMENT_DIR": str(run_dir / "attachments"),
            "PYTHONUNBUFFERED": "1",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        cmd = [
            sys.executable, "-m", "gunicorn", "app:server",
            "--workers", str(self.cfg.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "120",
            "--graceful-timeout", "10",
            "--log-level", "info",
        ]  # fmt: skip
        if self.cfg.threads > 1:
            cmd += ["--threads", str(self.cfg.threads)]
        self.log = self.log_path.open("ab")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        print(f"gunicorn pid {self.proc.pid}: {' '.join(cmd[2:])} (log {self.log_path})", flush=True)

    def wait_ready(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.proc.returncode if self.proc else '?'}); see {self.log_path}"
                )
            try:
                if requests.get(self.base + "/healthz", timeout=30).status_code == 200:
                    return time.monotonic() - self.started
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.log_path}")

    def wait_warm(self, timeout: float) -> float | None:
        """Seconds the warm-up took (from its log line), or None if it did not finish in `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"result cache warmed in ([\d.]+) s", self.log_text())
            if found:
                return float(found.group(1))
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            time.sleep(1.0)
        return None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def workers(self) -> list[int]:
        return child_pids(self.proc.pid) if self.proc else []

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        print(f"gunicorn stopped (exit {self.proc.returncode})", flush=True)
        self.log.close()


# --------------------------------------------------------------------------- database, Redis, token


def database_url(cfg: argparse.Namespace) -> tuple[str, bool]:
    """The database to use and whether it is this script's own (loadtest_<scale>, created and seeded here)."""
    url = cfg.database_url or os.environ.get("DATABASE_URL")
    if url:
        if url.startswith(("postgres://", "postgresql://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        host = urlsplit(url).hostname
        if not url.startswith("postgresql") or host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"the load test runs against a local PostgreSQL only, not {url}")
        return url, False
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/loadtest_{cfg.scale}", True


def flask(args: list[str], database_url: str, run_dir: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "INSTANCE_PATH": str(run_dir / "instance"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ensure_database(url: str, own: bool, scale: str, run_dir: Path) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if own:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            print(f"creating database {name} (createdb) …", flush=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", name], check=True)
    started = time.perf_counter()
    out = flask(["seed-demo", "--scale", scale, "--if-empty"], url, run_dir)
    engine = make_engine(url)
    if "seeded the" in out:
        print(f"seeded the {scale} demo into {name} in {time.perf_counter() - started:.0f} s", flush=True)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum would leave it at rest, not mid-run
    try:
        with engine.connect() as conn:
            have = set(conn.scalars(text("SELECT username FROM user_account WHERE active")))
            seeded = conn.scalar(text("SELECT value FROM dataset_info WHERE key = 'scale'"))
    finally:
        engine.dispose()
    missing = {a.username for a in DEMO_ACCOUNTS} - have
    if missing:
        raise SystemExit(f"{name} lacks the demo accounts {sorted(missing)}: seed it with `flask seed-demo`")
    if own and seeded and seeded != scale:
        raise SystemExit(f"{name} holds the {seeded!r} demo, not {scale!r}")


def flush_redis() -> None:
    import redis

    for db in (RATELIMIT_DB, CACHE_DB):
        redis.Redis.from_url(f"{REDIS_BASE}/{db}").flushdb()


# --------------------------------------------------------------------------- PostgreSQL restart


def pg_cluster(spec: str | None) -> tuple[str, str]:
    """VERSION/NAME of the cluster to restart; default: the newest version's `main` (/etc/postgresql)."""
    if spec:
        version, _, name = spec.partition("/")
        return version, name or "main"
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.is_dir())
    return versions[-1], "main"


def check_cluster(spec: str | None, port: int) -> None:
    """Refuse to restart a cluster that does not serve the database under test."""
    version, name = pg_cluster(spec)
    listed = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
    for line in listed.splitlines():
        parts = line.split()
        if parts[:2] == [version, name]:
            if parts[2] != str(port):
                raise SystemExit(
                    f"cluster {version}/{name} listens on {parts[2]}, the database on {port}: --pg-cluster"
                )
            return
    raise SystemExit(f"no PostgreSQL cluster {version}/{name} (pg_lsclusters): --pg-cluster VERSION/NAME")


def pg_ctl(action: str, spec: str | None) -> str:
    version, cluster = pg_cluster(spec)
    cmd = ["pg_ctlcluster", "--skip-systemctl-redirect"]
    cmd += ["-m", "fast"] if action == "stop" else []
    done = subprocess.run([*cmd, version, cluster, action], capture_output=True, text=True, timeout=120)
    return f"exit {done.returncode} {done.stdout.strip()} {done.stderr.strip()}".strip()


def restart_postgres(
    rec: Recorder, outage: Outage, at: float, down: float, stopping: threading.Event, spec: str | None, port: int
) -> None:
    """Stop PostgreSQL (fast: open connections are cut), keep it down `down` seconds, start it; record when it
    accepts connections again (pg_isready every 50 ms while pg_ctlcluster start runs)."""
    if stopping.wait(max(0.0, at - rec.now())):
        return
    print(f"[{rec.now():6.1f} s] stopping PostgreSQL …", flush=True)
    outage.stop_begin = rec.now()
    outage.stop_output = pg_ctl("stop", spec)
    outage.stop_end = rec.now()
    print(f"[{rec.now():6.1f} s] PostgreSQL stopped ({outage.stop_output}); down for {down:.0f} s", flush=True)
    time.sleep(down)  # not interruptible: PostgreSQL must come back before anything else happens
    outage.start_begin = rec.now()
    version, cluster = pg_cluster(spec)
    starting = subprocess.Popen(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    while starting.poll() is None and outage.ready_at is None:
        if pg_running(port):
            outage.ready_at = rec.now()
        time.sleep(0.05)
    out, _ = starting.communicate(timeout=120)
    outage.start_end = rec.now()
    if outage.ready_at is None and pg_running(port):
        outage.ready_at = rec.now()
    outage.start_output = f"exit {starting.returncode} {out.strip()}".strip()
    print(f"[{rec.now():6.1f} s] PostgreSQL started ({outage.start_output})", flush=True)


def pg_running(port: int) -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"]).returncode == 0


# --------------------------------------------------------------------------- analysis


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def classify(samples: list[Sample], window: tuple[float, float] | None) -> None:
    """Set each sample's failure: what makes it an error (None: fine, 'outage-503': an acceptable 503)."""
    for s in samples:
        if s.failure:
            continue
        in_window = window is not None and s.t1 >= window[0] and s.t0 <= window[1]
        if s.status == 503 and in_window:
            api_or_callback = s.path.startswith(("/api/", "/_dash-"))
            s.failure = "outage-503" if s.json_retry or not api_or_callback else "503 without JSON and Retry-After"
        elif s.status not in s.expected:
            s.failure = f"status {s.status}"


def summarise(samples: list[Sample], duration: float) -> list[dict[str, Any]]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    by_kind["ALL"] = list(samples)
    rows = []
    for kind, group in sorted(by_kind.items(), key=lambda kv: (kv[0] == "ALL", kv[0])):
        ok = [s.ms for s in group if s.status is not None and s.failure != "outage-503"]
        statuses = Counter("conn" if s.status is None else str(s.status) for s in group)
        rows.append(
            {
                "kind": kind,
                "requests": len(group),
                "per_s": len(group) / duration if duration else 0.0,
                "statuses": dict(sorted(statuses.items())),
                "outage_503": sum(1 for s in group if s.failure == "outage-503"),
                "errors": sum(1 for s in group if s.failure and s.failure != "outage-503"),
                "p50_ms": percentile(ok, 50),
                "p95_ms": percentile(ok, 95),
                "p99_ms": percentile(ok, 99),
                "max_ms": max(ok) if ok else float("nan"),
            }
        )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'kind':<12} {'requests':>8} {'req/s':>7} {'errors':>6} {'503*':>5} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  statuses"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        statuses = " ".join(f"{k}:{v}" for k, v in r["statuses"].items())
        print(
            f"{r['kind']:<12} {r['requests']:>8} {r['per_s']:>7.1f} {r['errors']:>6} {r['outage_503']:>5} "
            f"{r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f} {r['p99_ms']:>7.0f} {r['max_ms']:>7.0f}  {statuses}"
        )
    print("(latencies in ms over every answer except the outage's 503s; 503*: 503s inside the outage window)")


def verify_writes(url: str, acks: list[Ack], run_id: str) -> dict[str, Any]:
    """Every acknowledged save in the database: the last one of each meeting is its current venue (and the version
    moved past the form's); an edit superseded by a later acknowledged one is in the meeting's audit trail."""
    engine = make_engine(url)
    result: dict[str, Any] = {"acknowledged": len(acks), "found": 0, "missing": [], "unacknowledged_in_db": []}
    try:
        with engine.connect() as conn:
            ids = sorted({a.meeting_id for a in acks})
            rows = {
                r.id: r
                for r in conn.execute(
                    text("SELECT id, venue, version, deleted_at FROM council_meeting WHERE id = ANY(:ids)"),
                    {"ids": ids},
                )
            }
            last: dict[int, Ack] = {}
            for a in sorted(acks, key=lambda a: (a.user, a.seq)):
                last[a.meeting_id] = a
            counts = Counter(a.meeting_id for a in acks)
            for a in acks:
                row = rows.get(a.meeting_id)
                problem = None
                if row is None:
                    problem = "no such meeting"
                elif row.deleted_at is not None:
                    problem = "meeting deleted"
                elif last[a.meeting_id] is a:
                    if not row.venue.startswith(a.marker + " "):
                        problem = f"venue is {row.venue!r}, not the last acknowledged {a.marker!r}"
                    elif row.version < counts[a.meeting_id] or (
                        a.expected_version is not None and row.version <= a.expected_version
                    ):
                        problem = f"version {row.version} did not move past {a.expected_version}"
                else:
                    trail = conn.scalar(
                        text(
                            "SELECT count(*) FROM audit_log WHERE entity = 'council_meeting' AND entity_id = :id "
                            "AND detail LIKE :marker"
                        ),
                        {"id": a.meeting_id, "marker": f"%{a.marker} %"},
                    )
                    if not trail:
                        problem = "superseded edit not in the audit trail"
                if problem:
                    result["missing"].append({**asdict(a), "problem": problem})
                else:
                    result["found"] += 1
            # Saves that were committed although their answer never acknowledged them (a 503 or a lost answer): every
            # marker of this run in a meeting's audit trail (creates and edits alike) that no acknowledgement named.
            acked = {a.marker for a in acks}
            for r in conn.execute(
                text(
                    "SELECT DISTINCT entity_id, m[1] AS marker FROM audit_log, "
                    "regexp_matches(detail, :pattern, 'g') AS m WHERE entity = 'council_meeting'"
                ),
                {"pattern": f"(LT{run_id}-u[0-9]+-[0-9]+)"},
            ):
                if r.marker not in acked:
                    result["unacknowledged_in_db"].append({"meeting_id": r.entity_id, "marker": r.marker})
    finally:
        engine.dispose()
    return result


def outage_back(outage: Outage) -> float:
    """When PostgreSQL was back: accepting connections (or, if that was not seen, when its start returned)."""
    assert outage.start_end is not None
    return outage.ready_at if outage.ready_at is not None else outage.start_end


def outage_report(samples: list[Sample], outage: Outage, grace: float) -> dict[str, Any]:
    assert outage.stop_begin is not None and outage.start_end is not None
    back = outage_back(outage)
    after = sorted((s for s in samples if s.t0 >= back and s.kind in DB_KINDS), key=lambda s: s.t1)
    first_ok = next((s for s in after if s.status == 200), None)
    refused = [s for s in samples if s.status == 503]
    in_window = [s for s in samples if s.t1 >= outage.stop_begin and s.t0 <= back + grace]
    during = [s for s in samples if s.t1 >= outage.stop_begin and s.t0 <= back]
    wrong = [s for s in during if s.failure and s.failure != "outage-503"]
    return {
        "stop_begin_s": outage.stop_begin,
        "stop_end_s": outage.stop_end,
        "start_begin_s": outage.start_begin,
        "ready_s": outage.ready_at,
        "start_end_s": outage.start_end,
        "window_s": [outage.stop_begin, back + grace],
        "down_s": back - outage.stop_begin,
        "stop_output": outage.stop_output,
        "start_output": outage.start_output,
        "answers_during_outage": dict(Counter("conn" if s.status is None else str(s.status) for s in during)),
        "answers_in_window": dict(Counter("conn" if s.status is None else str(s.status) for s in in_window)),
        "errors_during_outage": [asdict(s) for s in wrong[:20]],
        "errors_during_outage_count": len(wrong),
        "first_503_s": min((s.t1 for s in refused), default=None),
        "last_503_s": max((s.t1 for s in refused), default=None),
        "503_after_postgres_back": sum(1 for s in refused if s.t0 >= back),
        "503_without_json_retry_after": sum(
            1 for s in refused if s.path.startswith(("/api/", "/_dash-")) and not s.json_retry
        ),
        "first_success_after_back_s": first_ok.t1 if first_ok else None,
        "recovery_s": (first_ok.t1 - back) if first_ok else None,
        "first_success_kind": first_ok.kind if first_ok else None,
        "first_success_per_kind_s": {
            kind: next((s.t1 - back for s in after if s.kind == kind and s.status == 200), None)
            for kind in sorted({s.kind for s in after})
        },
    }


def timeline(samples: list[Sample], start: float, end: float) -> list[str]:
    lines = []
    for sec in range(int(start), int(end) + 1):
        group = [s for s in samples if sec <= s.t1 < sec + 1]
        c = Counter("conn" if s.status is None else str(s.status) for s in group)
        errors = sum(1 for s in group if s.failure and s.failure != "outage-503")
        lines.append(f"  {sec:>4} s  " + " ".join(f"{k}:{v}" for k, v in sorted(c.items())) + f"  errors:{errors}")
    return lines


def log_findings(log: str) -> dict[str, Any]:
    lines = log.splitlines()
    tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    interesting = [
        line for line in lines
        if " ERROR " in line or "[CRITICAL]" in line or "WORKER TIMEOUT" in line or "Booting worker" in line
        or "database unavailable" in line or "Worker exiting" in line or "[ERROR]" in line
    ]  # fmt: skip
    examples = ["\n".join(lines[max(0, i - 1) : i + 40]) for i in tracebacks[:3]]
    return {"tracebacks": len(tracebacks), "lines": interesting[-60:], "traceback_examples": examples}


def code_version() -> str:
    """The commit and the files changed in the working tree (read-only: no index refresh)."""
    try:
        git = ["git", "--no-optional-locks", "-C", str(ROOT)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout.split("\n")
    except OSError:
        return "unknown"
    changed = [line[3:] for line in dirty if line.strip()]
    return commit + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kb = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"') + f" (kernel {platform.release()})"
    except OSError:
        pass
    try:
        pg = subprocess.run(["psql", PG_ADMIN, "-Atc", "SHOW server_version"], capture_output=True, text=True).stdout
    except OSError:
        pg = ""
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram_gib": f"{kb / 1024 / 1024:.1f}",
        "os": os_name,
        "python": platform.python_version(),
        "postgresql": pg.strip(),
    }


# --------------------------------------------------------------------------- wrk


WRK_LUA = r"""
local paths = %(paths)s
local token = "%(token)s"
local requests_ = {}
local n = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 37)
  table.insert(threads, thread)
end
function init(args)
  for i, p in ipairs(paths) do
    local headers = {}
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    requests_[i] = wrk.format("GET", p, headers)
  end
  n = offset
end
function request()
  n = n + 1
  return requests_[(n %% #requests_) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOADTEST_JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def run_wrk(
    base: str, paths: list[str], token: str, cfg: argparse.Namespace, run_dir: Path, name: str
) -> dict[str, Any]:
    script = run_dir / f"{name}.lua"
    lua_paths = "{" + ", ".join(json.dumps(p) for p in paths) + "}"
    script.write_text(WRK_LUA % {"paths": lua_paths, "token": token})
    cmd = [
        cfg.wrk, f"-t{cfg.wrk_threads}", f"-c{cfg.wrk_connections}", f"-d{cfg.wrk_duration}s",
        "--timeout", "10s", "-s", str(script), base + paths[0],
    ]  # fmt: skip
    load_before = os.getloadavg()
    busy0 = machine_busy()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=cfg.wrk_duration + 60)
    busy1 = machine_busy()
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("LOADTEST_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{done.stdout}\n{done.stderr}")
    r = json.loads(line.removeprefix("LOADTEST_JSON "))
    seconds = r["duration_us"] / 1e6
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return {
        "target": name,
        "command": " ".join(cmd[:-1] + [base + (paths[0] if len(paths) == 1 else f" (cycling {len(paths)} URLs)")]),
        "urls": len(paths),
        "requests": r["requests"],
        "seconds": seconds,
        "rps": r["requests"] / seconds if seconds else 0.0,
        "p50_ms": r["p50_us"] / 1000,
        "p90_ms": r["p90_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "max_ms": r["max_us"] / 1000,
        "mean_ms": r["mean_us"] / 1000,
        "errors": errors,
        "error_detail": {k: r[k] for k in ("connect", "read", "write", "status", "timeout")},
        "load_before": load_before,
        "machine_busy_pct": 100 * (busy1[0] - busy0[0]) / max(1.0, busy1[1] - busy0[1]),
        "wrk_output": done.stdout,
    }


def api_wrk(server: Server, world: World, cfg: argparse.Namespace, run_dir: Path) -> tuple[dict[str, Any], list[str]]:
    failures: list[str] = []
    http = requests.Session()
    headers = {"Authorization": f"Bearer {cfg.token}"}
    prime_started = time.perf_counter()
    bad = []
    for url in world.api_urls:  # one pass, so that wrk measures the served state, not 72 first misses
        r = http.get(server.base + url, headers=headers, timeout=120)
        if r.status_code != 200:
            bad.append(f"{r.status_code} {url}: {r.text[:200]}")
    prime_s = time.perf_counter() - prime_started
    print(f"primed the {len(world.api_urls)} API URLs in {prime_s:.1f} s ({len(bad)} not 200)", flush=True)
    failures += [f"API priming: {b}" for b in bad]
    api = run_wrk(server.base, world.api_urls, cfg.token, cfg, run_dir, "api")
    health = run_wrk(server.base, ["/healthz"], "", cfg, run_dir, "healthz")
    ratio = api["rps"] / health["rps"] if health["rps"] else 0.0
    for r in (api, health):
        print(
            f"{r['target']:<8} {r['requests']:>7} requests in {r['seconds']:.1f} s: {r['rps']:7.1f} req/s, "
            f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms, errors {r['errors']} "
            f"{r['error_detail']}; machine busy {r['machine_busy_pct']:.0f} %, load before {r['load_before'][0]:.2f}"
        )
    print(f"API ÷ healthz = {ratio:.2f}")
    if api["rps"] < WRK_TARGET["api_rps"]:
        failures.append(f"API {api['rps']:.0f} req/s < {WRK_TARGET['api_rps']:.0f}")
    if api["p99_ms"] > WRK_TARGET["api_p99_ms"]:
        failures.append(f"API p99 {api['p99_ms']:.0f} ms > {WRK_TARGET['api_p99_ms']:.0f} ms")
    if api["errors"] or health["errors"]:
        failures.append(f"wrk errors: API {api['error_detail']}, healthz {health['error_detail']}")
    if ratio < WRK_TARGET["ratio"]:
        failures.append(f"API ÷ healthz {ratio:.2f} < {WRK_TARGET['ratio']}")
    return {"prime_s": prime_s, "prime_not_200": bad, "api": api, "healthz": health, "ratio": ratio}, failures


# --------------------------------------------------------------------------- the run


def users_run(server: Server, world: World, cfg: argparse.Namespace, url: str) -> tuple[dict[str, Any], list[str]]:
    failures: list[str] = []
    rec = Recorder()
    stopping = threading.Event()
    roles = [ROLE_PATTERN[i % len(ROLE_PATTERN)] for i in range(cfg.users)]
    users = [User(i, role, server.base, world, rec, cfg) for i, role in enumerate(roles)]
    workers_before = server.workers()
    outage = Outage()
    pg_thread = None
    busy0, server_cpu0, client_cpu0 = machine_busy(), cpu_seconds([server.proc.pid, *workers_before]), os.times()
    load_before = os.getloadavg()
    wall_start = datetime.now(CITY_TZ)
    rec.t0 = time.monotonic()
    stop_at = rec.t0 + cfg.duration
    for u in users:
        u.stop_at, u.stopping = stop_at, stopping
        u.start()
    if cfg.restart_db:
        at = cfg.restart_at if cfg.restart_at is not None else cfg.duration / 2
        pg_thread = threading.Thread(
            target=restart_postgres,
            args=(rec, outage, at, cfg.outage_seconds, stopping, cfg.pg_cluster, urlsplit(url).port or 5432),
            daemon=True,
        )
        pg_thread.start()
    print(f"{cfg.users} users for {cfg.duration:.0f} s: {dict(Counter(roles))}", flush=True)
    try:
        while time.monotonic() < stop_at:
            time.sleep(min(10.0, max(0.0, stop_at - time.monotonic())))
            with rec.lock:
                n, errs = len(rec.samples), sum(1 for s in rec.samples if s.status is None or s.status >= 500)
            print(
                f"[{rec.now():6.1f} s] {n} requests, {errs} 5xx/no answer, {len(rec.acks)} saves acknowledged",
                flush=True,
            )
    finally:
        stopping.set()
        if pg_thread is not None:
            pg_thread.join(timeout=cfg.outage_seconds + 130)
        for u in users:
            u.join(timeout=cfg.request_timeout + 10)
    elapsed = rec.now()
    busy1, server_cpu1, client_cpu1 = machine_busy(), cpu_seconds([server.proc.pid, *server.workers()]), os.times()
    workers_after = server.workers()
    samples = list(rec.samples)
    window = None
    if cfg.restart_db and outage.stop_begin is not None and outage.start_end is not None:
        window = (outage.stop_begin, outage_back(outage) + cfg.recovery_grace)
    classify(samples, window)
    rows = summarise(samples, elapsed)
    print()
    print_table(rows)
    errors = [s for s in samples if s.failure and s.failure != "outage-503"]
    error_kinds = Counter(f"{s.kind} {s.failure}" for s in errors)
    if errors:
        print(f"\n{len(errors)} errors:")
        for k, v in error_kinds.most_common(20):
            print(f"  {v:>5}  {k}")
        for s in errors[:8]:
            print(
                f"  e.g. at {s.t0:.2f}-{s.t1:.2f} s user {s.user}: {s.method} {s.path} → {s.status} "
                f"{s.failure or ''} {s.body[:200]!r}"
            )
        failures.append(f"{len(errors)} errors ({', '.join(f'{k}: {v}' for k, v in error_kinds.most_common(5))})")
    health = requests.get(server.base + "/healthz", timeout=30)
    print(f"\n/healthz after the run: {health.status_code}")
    if health.status_code != 200:
        failures.append(f"/healthz after the run answered {health.status_code}")
    writes = verify_writes(url, list(rec.acks), cfg.run_id)
    creates = sum(1 for a in rec.acks if a.created)
    print(
        f"writes: {writes['acknowledged']} acknowledged ({creates} new meetings, {writes['acknowledged'] - creates} "
        f"edits), {writes['found']} found in the database, {len(writes['missing'])} missing; "
        f"{len(writes['unacknowledged_in_db'])} saved without an acknowledgement"
    )
    for m in writes["missing"][:10]:
        print(f"  missing: {m}")
    if writes["missing"]:
        failures.append(f"{len(writes['missing'])} acknowledged writes missing")
    if not rec.acks:
        failures.append("no save was acknowledged: the write path was not exercised")
    result: dict[str, Any] = {
        "started": wall_start.isoformat(timespec="seconds"),
        "elapsed_s": elapsed,
        "roles": dict(Counter(roles)),
        "kinds": rows,
        "errors": len(errors),
        "error_kinds": dict(error_kinds),
        "error_examples": [asdict(s) for s in errors[:30]],
        "writes": writes,
        "workers_before": workers_before,
        "workers_after": workers_after,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "machine_busy_pct": 100 * (busy1[0] - busy0[0]) / max(1.0, busy1[1] - busy0[1]),
        "server_cpu_pct_of_machine": 100 * (server_cpu1 - server_cpu0) / (elapsed * (os.cpu_count() or 1)),
        "client_cpu_pct_of_machine": 100
        * ((client_cpu1.user + client_cpu1.system) - (client_cpu0.user + client_cpu0.system))
        / (elapsed * (os.cpu_count() or 1)),
    }
    print(
        f"machine busy {result['machine_busy_pct']:.0f} % (gunicorn {result['server_cpu_pct_of_machine']:.0f} %, "
        f"this client {result['client_cpu_pct_of_machine']:.0f} %, the rest PostgreSQL, Redis and other work); "
        f"load {load_before[0]:.2f} → {result['load_after'][0]:.2f}"
    )
    if workers_before != workers_after:
        failures.append(f"gunicorn workers changed during the run: {workers_before} → {workers_after}")
    if cfg.restart_db:
        if window is None:
            failures.append("PostgreSQL was not restarted (the run ended first?)")
        else:
            o = outage_report(samples, outage, cfg.recovery_grace)
            result["outage"] = o
            result["outage_timeline"] = timeline(samples, outage.stop_begin - 3, outage.start_end + 12)
            ready = f"{o['ready_s']:.1f}" if o["ready_s"] is not None else "?"
            print(
                f"\noutage: PostgreSQL stop issued at {o['stop_begin_s']:.1f} s, stopped at {o['stop_end_s']:.1f} s, "
                f"start issued at {o['start_begin_s']:.1f} s, accepting connections at {ready} s, start returned at "
                f"{o['start_end_s']:.1f} s (down {o['down_s']:.1f} s)\n"
                f"  answers during the outage: {o['answers_during_outage']}; "
                f"errors during it: {o['errors_during_outage_count']}; in the window with {cfg.recovery_grace:.0f} s "
                f"grace [{o['window_s'][0]:.1f}, {o['window_s'][1]:.1f}] s: {o['answers_in_window']}"
            )
            recovery = (
                f"{o['recovery_s']:.2f} s ({o['first_success_kind']})" if o["recovery_s"] is not None else "never"
            )
            last = f"{o['last_503_s']:.2f} s" if o["last_503_s"] is not None else "-"
            print(
                f"  last 503 at {last}; {o['503_after_postgres_back']} 503s to requests sent after PostgreSQL was "
                f"back; first success after it: {recovery}; workers {workers_before} → {workers_after} "
                f"(the same: no restart)"
                if workers_before == workers_after
                else f"  last 503 at {last}; first success after it: {recovery}; WORKERS CHANGED "
                f"{workers_before} → {workers_after}"
            )
            print("\n".join(result["outage_timeline"]))
            if o["errors_during_outage_count"]:
                failures.append(f"{o['errors_during_outage_count']} answers other than 503 failed during the outage")
            if o["recovery_s"] is None:
                failures.append("no successful answer after PostgreSQL came back")
            if not o["answers_in_window"].get("503"):
                failures.append("no 503 during the outage: was it observed at all?")
            if o["503_without_json_retry_after"]:
                failures.append(
                    f"{o['503_without_json_retry_after']} 503s on the API/callbacks without JSON+Retry-After"
                )
    return result, failures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--scale", choices=("small", "city", "large"), default="city", help="demo scale of loadtest_<scale>")
    p.add_argument(
        "--database-url", help="a seeded local PostgreSQL database (default: DATABASE_URL, else loadtest_<scale>)"
    )
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)")
    p.add_argument("--port", type=int, default=0, help="0: a free port")
    p.add_argument("--think-ms", type=float, default=200.0, help="think time between a user's requests: 0..this")
    p.add_argument("--request-timeout", type=float, default=60.0, help="seconds a request may take")
    p.add_argument("--seed", type=int, default=20261206)
    p.add_argument("--restart-db", action="store_true", help="stop and start PostgreSQL in the middle of the run")
    p.add_argument("--restart-at", type=float, help="seconds into the run (default: half the duration)")
    p.add_argument(
        "--pg-cluster", help="VERSION/NAME of the cluster --restart-db restarts (default: the newest version's main)"
    )
    p.add_argument("--outage-seconds", type=float, default=5.0, help="how long PostgreSQL stays down")
    p.add_argument(
        "--recovery-grace", type=float, default=5.0, help="503s are accepted up to this long after PostgreSQL is back"
    )
    p.add_argument("--api-wrk", action="store_true", help="measure API and /healthz throughput with wrk instead")
    p.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--wrk-connections", type=int, default=50)
    p.add_argument("--wrk-duration", type=int, default=30)
    p.add_argument("--warm-timeout", type=float, default=900.0, help="seconds to wait for the cache warm-up")
    p.add_argument("--json", type=Path, help="write every figure to this file")
    cfg = p.parse_args(argv)
    if cfg.users < 1 or cfg.users > 200 or cfg.duration <= 0 or cfg.duration > 3600:
        p.error("--users must be 1..200 and --duration 0..3600 s (the load is bounded)")
    return cfg


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the run as Ctrl-C does: gunicorn stopped, PostgreSQL up


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    cfg.run_id = datetime.now(CITY_TZ).strftime("%m%d%H%M%S")
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background, where SIGINT is ignored
    url, own = database_url(cfg)
    run_dir = Path(tempfile.mkdtemp(prefix=f"loadtest-{cfg.run_id}-"))
    (run_dir / "instance").mkdir()
    print(f"load test {cfg.run_id}: {url} ({'own' if own else 'given'} database); files in {run_dir}", flush=True)
    report: dict[str, Any] = {
        "run_id": cfg.run_id,
        "machine": machine(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(cfg).items()},
        "database": url,
        "code": code_version(),
        "started": datetime.now(CITY_TZ).isoformat(timespec="seconds"),
    }
    print("machine: " + ", ".join(f"{k} {v}" for k, v in report["machine"].items()), flush=True)
    print(f"code: {report['code']}", flush=True)
    failures: list[str] = []
    server: Server | None = None
    token_name = f"loadtest-{cfg.run_id}"
    cfg.token = ""
    try:
        if cfg.restart_db:
            check_cluster(cfg.pg_cluster, urlsplit(url).port or 5432)
        ensure_database(url, own, cfg.scale, run_dir)
        cfg.token = flask(["create-token", token_name], url, run_dir).strip().splitlines()[-1].strip()
        flush_redis()
        world = load_world(url, random.Random(cfg.seed))
        print(
            f"world: {len(world.cities)} cities, {sum(len(c['districts']) for c in world.cities)} districts, "
            f"{len(world.api_urls)} API URLs, {len(world.published)} published meetings sampled",
            flush=True,
        )
        server = Server(cfg, url, run_dir)
        server.start()
        ready = server.wait_ready(180)
        print(f"/healthz answered {ready:.1f} s after start; waiting for the cache warm-up …", flush=True)
        warm = server.wait_warm(cfg.warm_timeout)
        report["ready_s"], report["warm_s"] = ready, warm
        print(f"warm-up: {f'{warm:.1f} s' if warm is not None else 'not finished'}", flush=True)
        if warm is None:
            failures.append("the cache warm-up did not finish")
        report["workers"] = server.workers()
        if cfg.api_wrk:
            report["wrk"], fails = api_wrk(server, world, cfg, run_dir)
            failures += fails
        else:
            setup = requests.Session()
            form = setup.get(server.base + "/login", timeout=30).text
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or re.search(
                r'value="([^"]+)"[^>]*name="csrf_token"', form
            )
            assert token is not None, "no csrf_token in the sign-in form"
            setup.post(
                server.base + "/login",
                data={"username": "organiser", "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
                timeout=30,
            )
            deps = setup.get(server.base + "/_dash-dependencies", timeout=30).json()
            world.save_output = next(d["output"] for d in deps if any(i["id"] == "cf-save" for i in d["inputs"]))
            report["users"], fails = users_run(server, world, cfg, url)
            report["grid_sort_fields"] = world.grid_fields
            failures += fails
        report["log"] = log_findings(server.log_text())
        if report["log"]["tracebacks"]:
            print(f"\nthe server log has {report['log']['tracebacks']} tracebacks, e.g.:")
            print(report["log"]["traceback_examples"][0][:3000])
    except KeyboardInterrupt:
        failures.append("interrupted")
        print("\ninterrupted", flush=True)
    except Exception as exc:  # report, then stop everything in finally
        failures.append(f"{type(exc).__name__}: {exc}")
        print(f"\nfailed: {type(exc).__name__}: {exc}", flush=True)
    finally:
        if cfg.restart_db and not pg_running(urlsplit(url).port or 5432):
            print("PostgreSQL is down: starting it again", flush=True)
            print(pg_ctl("start", cfg.pg_cluster), flush=True)
        if server is not None:
            server.stop()
        if cfg.token:
            try:
                flask(["revoke-token", token_name], url, run_dir)
            except Exception as exc:  # the run's figures matter more than a leftover token
                print(f"could not revoke {token_name}: {exc}")
    report["failures"] = failures
    report["ok"] = not failures
    report["ended"] = datetime.now(CITY_TZ).isoformat(timespec="seconds")
    if cfg.json:
        cfg.json.parent.mkdir(parents=True, exist_ok=True)
        cfg.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"figures written to {cfg.json}")
    print("\nchecks: " + ("all held" if not failures else "FAILED\n  " + "\n  ".join(failures)))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
