"""Shared by the council pages: reading the form's fields into a MeetingInput, and running a write.

Parsing turns strings into typed values (dates, numbers, attendee lines) and reports what cannot be
read; the rules themselves are data_access.council_records' (the server's word is final).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import dash_bootstrap_components as dbc
from flask import current_app

from auth import current_lang, current_viewer, require_csrf
from components.formatting import one_or_many
from components.i18n import t
from data_access import get_session
from data_access.core.clock import CITY_TZ, now_utc
from data_access.council_access import PARTIES, CouncilAccess, NotFound, council_access
from data_access.council_records import (
    AttendeeInput,
    FieldError,
    FollowUpInput,
    Invalid,
    ItemInput,
    MeetingInput,
    StaleEdit,
)
from data_access.councils import meeting_visible
from data_access.users import AccessDenied, Viewer
from pages._common import today

ROOT = -1
_SPLIT = re.compile(r"[，,、;；]")
_ROLE_IN_BRACKETS = re.compile(r"^(.*?)[（(](.*)[)）]$")


def viewer_access() -> CouncilAccess | None:
    viewer = current_viewer()
    return council_access(viewer, today()) if viewer else None


def meeting_visible_to(viewer: Viewer, meeting_id: int) -> bool:
    """The meeting exists and the viewer may open it (the press: once its notice is posted): the subject test of the
    meeting page and of the meeting form (pages/_urlargs.Subject)."""
    return meeting_visible(get_session(), council_access(viewer, today()), meeting_id)


def now() -> datetime:
    """The current instant; tests pin it with the NOW setting (an aware datetime)."""
    return current_app.config["NOW"] or now_utc()


# --------------------------------------------------------------------------- reading the form


@dataclass
class RawForm:
    meeting: dict[str, Any] = field(default_factory=dict)
    items: dict[int, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    follow_ups: dict[tuple[int, int], dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))


def collect(states: list[dict[str, Any]]) -> RawForm:
    """Group the pattern-matching State list ({"id": {...}, "value": ...}) by meeting, item and follow-up."""
    raw = RawForm()
    for s in states:
        key, value = s["id"], s.get("value")
        i, j = int(key["item"]), int(key["fu"])
        if i == ROOT:
            raw.meeting[key["field"]] = value
        elif j == ROOT:
            raw.items[i][key["field"]] = value
        else:
            raw.follow_ups[(i, j)][key["field"]] = value
    return raw


@dataclass
class Parsed:
    data: MeetingInput
    errors: list[FieldError]  # what could not be read, at form (block) indices
    item_blocks: list[int]  # list position → form block index
    follow_up_blocks: dict[tuple[int, int], tuple[int, int]]  # (item pos, fu pos) → (block, row)


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> date | None:
    text = _str(value).strip()
    return date.fromisoformat(text) if text else None


def _int(value: Any) -> int | None:
    text = _str(value).strip()
    if text == "":
        return None
    number = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else None
    if number is None:
        raise ValueError(text)
    return number


def parse_attendees(party: str, text: str) -> list[AttendeeInput]:
    """One person a line: "name", "name，role" or "name（role）"."""
    out = []
    for line in _str(text).splitlines():
        line = line.strip()
        if not line:
            continue
        bracket = _ROLE_IN_BRACKETS.match(line)
        if bracket:
            name, role = bracket.group(1).strip(), bracket.group(2).strip()
        else:
            name, _, role = _split_role(line)
        out.append(AttendeeInput(party, name, role or None))
    return out


def _split_role(line: str) -> tuple[str, str, str]:
    parts = _SPLIT.split(line, maxsplit=1)
    return parts[0].strip(), "", parts[1].strip() if len(parts) > 1 else ""


def parse_form(raw: RawForm, compound_id: int) -> Parsed:
    errors: list[FieldError] = []
    m = raw.meeting
    held_at = None
    try:
        day = _date(m.get("date"))
    except ValueError:
        day = None
        errors.append(FieldError("date", "err.bad_date"))
    clock = _str(m.get("time")).strip()
    at_time = None
    if clock:
        try:
            at_time = time.fromisoformat(clock)
        except ValueError:
            errors.append(FieldError("time", "err.bad_time"))
    elif day is not None:
        errors.append(FieldError("time", "err.required"))
    if day is not None and at_time is not None:
        held_at = datetime.combine(day, at_time.replace(second=0, microsecond=0), CITY_TZ)
    attendees = [a for p in PARTIES for a in parse_attendees(p, m.get(f"att_{p}", ""))]

    items: list[ItemInput] = []
    blocks: list[int] = []
    fu_blocks: dict[tuple[int, int], tuple[int, int]] = {}
    for i in sorted(raw.items):
        r = raw.items[i]
        if _str(r.get("removed")) == "1":
            continue
        pos = len(items)

        def number(name: str, *, _r: dict[str, Any] = r, _i: int = i, slot: str | None = None) -> int | None:
            try:
                return _int(_r.get(name))
            except ValueError:
                errors.append(FieldError(slot or name, "err.bad_number", item=_i))
                return None

        votes = {k: number(f"votes_{k}", slot="votes") for k in ("for", "against", "abstain")}
        party_votes: dict[str, tuple[int, int, int]] = {}
        for p in PARTIES:
            counts = [number(f"pv_{k}_{p}", slot="party_votes") for k in ("for", "against", "abstain")]
            if any(c is not None for c in counts):
                party_votes[p] = tuple(c or 0 for c in counts)  # type: ignore[assignment]
        follow_ups: list[FollowUpInput] = []
        for fi, j in sorted(k for k in raw.follow_ups if k[0] == i):
            f = raw.follow_ups[(fi, j)]
            if _str(f.get("fu_removed")) == "1":
                continue
            dates: dict[str, date | None] = {}
            for name in ("due_on", "completed_on"):
                try:
                    dates[name] = _date(f.get(name))
                except ValueError:
                    dates[name] = None
                    errors.append(FieldError(name, "err.bad_date", item=i, follow_up=j))
            fu_blocks[(pos, len(follow_ups))] = (i, j)
            follow_ups.append(
                FollowUpInput(
                    owner_party=_str(f.get("owner_party")) or None,
                    action=_str(f.get("action")),
                    contact_name=_str(f.get("contact_name")),
                    due_on=dates["due_on"],
                    status=_str(f.get("fu_status")) or "open",
                    completed_on=dates["completed_on"],
                    id=_id(f.get("fu_id")),
                )
            )
        blocks.append(i)
        items.append(
            ItemInput(
                title=_str(r.get("title")),
                category=_str(r.get("category")) or None,
                raising_party=_str(r.get("raising_party")) or None,
                description=_str(r.get("description")),
                discussion=_str(r.get("discussion")),
                decision_method=_str(r.get("decision_method")) or None,
                votes_for=votes["for"],
                votes_against=votes["against"],
                votes_abstain=votes["abstain"],
                party_votes=party_votes,
                outcome=_str(r.get("outcome")) or None,
                resolution=_str(r.get("resolution")),
                carried_from_id=_id(r.get("carried_from")),
                work_order_ids=[int(o) for o in (r.get("work_orders") or []) if str(o).isdigit()],
                follow_ups=follow_ups,
                id=_id(r.get("item_id")),
            )
        )
    data = MeetingInput(
        compound_id=compound_id,
        held_at=held_at,
        status=_str(m.get("status")),
        venue=_str(m.get("venue")),
        convener=_str(m.get("convener")),
        attendees=attendees,
        items=items,
    )
    return Parsed(data, errors, blocks, fu_blocks)


def _id(value: Any) -> int | None:
    text = _str(value)
    return int(text) if text.isdigit() else None


def to_block(parsed: Parsed, e: FieldError) -> FieldError:
    """Re-address a validator error (list positions) to the form's blocks."""
    if e.item is None:
        return e
    if e.follow_up is not None:
        i, j = parsed.follow_up_blocks.get((e.item, e.follow_up), (parsed.item_blocks[e.item], e.follow_up))
        return FieldError(e.field, e.key, e.params, i, j)
    return FieldError(e.field, e.key, e.params, parsed.item_blocks[e.item], None)


def messages_for(slots: list[dict[str, Any]], errors: list[FieldError], lang: str) -> tuple[list[str], list[str]]:
    """One message per feedback slot (the first error for it), and those no slot could show."""
    by_slot: dict[tuple[str, int, int], str] = {}
    for e in errors:
        key = (e.field, ROOT if e.item is None else e.item, ROOT if e.follow_up is None else e.follow_up)
        by_slot.setdefault(key, t(e.key, lang, **e.params))
    shown = []
    keys = set()
    for s in slots:
        key = (s["id"]["field"], int(s["id"]["item"]), int(s["id"]["fu"]))
        keys.add(key)
        shown.append(by_slot.get(key, ""))
    rest = [msg for key, msg in by_slot.items() if key not in keys]
    return shown, rest


# --------------------------------------------------------------------------- running a write


@dataclass
class WriteResult:
    ok: bool
    alert: dbc.Alert | None = None
    errors: list[FieldError] = field(default_factory=list)


def run_write(write: Callable[[CouncilAccess], Any]) -> tuple[WriteResult, Any]:
    """CSRF, the signed-in viewer, the write and its commit; every refusal becomes a message, never a write."""
    require_csrf()
    lang = current_lang()
    access = viewer_access()
    session = get_session()
    if access is None:
        return WriteResult(False, dbc.Alert(t("login.need", lang), color="warning")), None
    try:
        value = write(access)
        session.commit()
    except Invalid as exc:
        session.rollback()
        alert = dbc.Alert(
            t(one_or_many("meeting.invalid", len(exc.errors), lang), lang, n=len(exc.errors)),
            color="danger",
            id="form-invalid",
        )
        return WriteResult(False, alert, exc.errors), None
    except StaleEdit as exc:
        session.rollback()
        return WriteResult(
            False, dbc.Alert(t("meeting.stale", lang, n=exc.current_version), color="danger", id="form-stale")
        ), None
    except AccessDenied:
        session.rollback()
        return WriteResult(False, dbc.Alert(t("meeting.forbidden", lang), color="danger", id="form-forbidden")), None
    except NotFound:
        session.rollback()
        return WriteResult(False, dbc.Alert(t("meeting.not_found", lang), color="warning")), None
    return WriteResult(True), value
