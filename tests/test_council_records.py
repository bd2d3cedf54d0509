"""Recording councils: access, validation (nothing written when refused), history, carry-over, press view.

Runs on SQLite and PostgreSQL (the `session` fixture). The hand-made world is tests/world.py: 一号小区
(c1) and 二号小区 (c2) in city A, 乙小区 in city B; its meeting m1 of 一号小区 on 2023-04-01 has a
deferred item 车位改造.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from components.formatting import day
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    AgendaItem,
    AuditLog,
    CouncilAttachment,
    CouncilAttendee,
    CouncilMeeting,
    FollowUp,
    Role,
)
from data_access.core.scope import Area
from data_access.council_access import CouncilAccess, NotFound, council_access
from data_access.council_records import (
    AttendeeInput,
    FollowUpInput,
    Invalid,
    ItemInput,
    MeetingInput,
    StaleEdit,
    add_attachment,
    attachment_file,
    delete_meeting,
    publish_notice,
    save_meeting,
    set_follow_up_status,
)
from data_access.councils import (
    CouncilFilter,
    carry_candidates,
    compound_options,
    list_follow_ups,
    list_items,
    list_meetings,
    meeting_history,
    meeting_view,
    meeting_visible,
    public_notice,
)
from data_access.users import AccessDenied, create_user, load_viewer
from tests.world import World, build_world

NOW = datetime(2024, 6, 20, 18, 0, tzinfo=CITY_TZ)
TODAY = NOW.date()
HELD = datetime(2024, 6, 18, 19, 30, tzinfo=CITY_TZ)
TABLES = (CouncilMeeting, CouncilAttendee, AgendaItem, FollowUp, AuditLog, CouncilAttachment)


def access_for(
    s: Session, name: str, role: Role, compounds: list[int] | None = None, city: str | None = None
) -> CouncilAccess:
    user = create_user(s, name, "long-enough-password", role, city_code=city, compound_ids=compounds)
    viewer = load_viewer(s, user.id)
    assert viewer is not None
    return council_access(viewer, TODAY)


def four_parties() -> list[AttendeeInput]:
    return [
        AttendeeInput("party_org", "党支部书记甲", "书记"),
        AttendeeInput("property_company", "物业经理乙"),
        AttendeeInput("owners_committee", "业委会主任丙"),
        AttendeeInput("residents", "居民代表丁"),
        AttendeeInput("residents", "居民代表戊"),
    ]


def meeting_input(w: World, **overrides: object) -> MeetingInput:
    """A held meeting of 一号小区 with all four parties (5 people) and two items, the second decided by a vote."""
    data = MeetingInput(
        compound_id=w.c1.id,
        held_at=HELD,
        status="held",
        venue="红色议事厅",
        convener="党支部书记甲",
        attendees=four_parties(),
        items=[
            ItemInput(
                title="地下室电动车充电",
                category="ebike_charging",
                raising_party="residents",
                decision_method="consensus",
                outcome="resolved",
                resolution="物业在地下室加装充电桩，6月底前完成。",
                follow_ups=[
                    FollowUpInput("property_company", "加装充电桩", "物业经理乙", date(2024, 6, 30)),
                ],
            ),
            ItemInput(
                title="车位改造方案",
                category="parking",
                raising_party="owners_committee",
                decision_method="vote",
                votes_for=3,
                votes_against=1,
                votes_abstain=1,
                outcome="deferred",
            ),
        ],
    )
    for k, v in overrides.items():
        setattr(data, k, v)
    return data


def counts(s: Session) -> tuple[int, ...]:
    return tuple(int(s.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES)


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


@pytest.fixture()
def organiser(session: Session, world: World) -> CouncilAccess:
    return access_for(session, "org1", Role.organiser, [world.c1.id])


def test_organiser_records_a_meeting_with_history(session: Session, world: World, organiser: CouncilAccess) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    view = meeting_view(session, organiser, mid, TODAY)
    assert view.version == 1 and view.editable
    assert view.missing_parties == ()
    assert [i.title for i in view.items] == ["地下室电动车充电", "车位改造方案"]
    vote = view.items[1]
    assert (vote.decision_method, vote.votes_for, vote.votes_against, vote.votes_abstain) == ("vote", 3, 1, 1)
    assert view.items[0].resolved_on == date(2024, 6, 18) and view.items[1].resolved_on is None
    assert [f.due_on for f in view.items[0].follow_ups] == [date(2024, 6, 30)]
    history = meeting_history(session, organiser, mid)
    assert [(h.action, h.entity) for h in history] == [
        ("create", "council_meeting"),
        ("create", "agenda_item"),
        ("create", "follow_up"),
        ("create", "agenda_item"),
    ]
    assert history[0].username == "org1"
    assert ("venue", None, "红色议事厅") in history[0].changes


def test_edit_records_old_and_new_values_and_bumps_the_version(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    view = meeting_view(session, organiser, mid, TODAY)
    edit = meeting_input(world, venue="党群服务站")
    edit.items[0].id = view.items[0].id
    edit.items[0].follow_ups[0].id = view.items[0].follow_ups[0].id
    edit.items[0].follow_ups[0].status = "done"
    edit.items[0].follow_ups[0].completed_on = date(2024, 6, 19)
    edit.items = edit.items[:1]  # the second item is removed: soft-deleted, kept in the history
    save_meeting(session, organiser, edit, NOW, meeting_id=mid, expected_version=1)
    after = meeting_view(session, organiser, mid, TODAY)
    assert after.version == 2 and after.venue == "党群服务站"
    assert [i.title for i in after.items] == ["地下室电动车充电"]
    assert after.items[0].follow_ups[0].status == "done"
    assert session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == mid)) == 2
    history = meeting_history(session, organiser, mid)
    changes = {(h.entity, h.action): h.changes for h in history[4:]}
    assert changes[("council_meeting", "update")] == [("venue", "红色议事厅", "党群服务站")]
    assert ("status", "open", "done") in changes[("follow_up", "update")]
    assert ("agenda_item", "delete") in changes


def test_stale_version_is_refused_and_nothing_changes(session: Session, world: World, organiser: CouncilAccess) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    save_meeting(session, organiser, meeting_input(world, venue="第一位编辑"), NOW, meeting_id=mid, expected_version=1)
    before = counts(session)
    with pytest.raises(StaleEdit) as exc:
        save_meeting(
            session, organiser, meeting_input(world, venue="第二位编辑"), NOW, meeting_id=mid, expected_version=1
        )
    assert exc.value.current_version == 2
    assert counts(session) == before
    assert meeting_view(session, organiser, mid, TODAY).venue == "第一位编辑"


@pytest.mark.parametrize("who", ["other_organiser", "leader", "press", "admin"])
def test_only_the_compounds_organiser_may_write(session: Session, world: World, who: str) -> None:
    access = {
        "other_organiser": lambda: access_for(session, "org2", Role.organiser, [world.c2.id]),
        "leader": lambda: access_for(session, "lead", Role.leader, city="a"),
        "press": lambda: access_for(session, "press1", Role.press),
        "admin": lambda: access_for(session, "adm", Role.admin),
    }[who]()
    before = counts(session)
    with pytest.raises(AccessDenied):
        save_meeting(session, access, meeting_input(world), NOW)
    assert counts(session) == before


def test_other_organiser_cannot_edit_read_or_touch_follow_ups(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    fid = meeting_view(session, organiser, mid, TODAY).items[0].follow_ups[0].id
    other = access_for(session, "org2", Role.organiser, [world.c2.id])
    before = counts(session)
    with pytest.raises(AccessDenied):
        meeting_view(session, other, mid, TODAY)
    with pytest.raises(AccessDenied):
        save_meeting(
            session, other, meeting_input(world, compound_id=world.c2.id), NOW, meeting_id=mid, expected_version=1
        )
    with pytest.raises(AccessDenied):
        set_follow_up_status(session, other, fid, 1, "done", TODAY, NOW)
    with pytest.raises(AccessDenied):
        delete_meeting(session, other, mid, 1, NOW)
    with pytest.raises(AccessDenied):
        publish_notice(session, other, mid, 1, [], TODAY, TODAY, NOW)
    assert counts(session) == before
    assert list_items(session, other, CouncilFilter(), TODAY) == []


def _errors(session: Session, organiser: CouncilAccess, data: MeetingInput) -> set[tuple[str, str, int | None]]:
    before = counts(session)
    with pytest.raises(Invalid) as exc:
        save_meeting(session, organiser, data, NOW)
    assert counts(session) == before, "a refused save wrote something"
    return {(e.field, e.key, e.item) for e in exc.value.errors}


def test_missing_required_fields(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world, venue=" ", convener="", held_at=None)
    data.items[0].title = ""
    data.items[0].category = None
    data.items[0].follow_ups[0].contact_name = ""
    data.items[0].follow_ups[0].due_on = None
    errors = _errors(session, organiser, data)
    assert {
        ("venue", "err.required", None),
        ("convener", "err.required", None),
        ("date", "err.required", None),
        ("title", "err.required", 0),
        ("category", "err.required", 0),
        ("contact_name", "err.required", 0),
        ("due_on", "err.required", 0),
    } <= errors


def test_votes_exceeding_attendees(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world)
    data.items[1].votes_for = 4  # 4 + 1 + 1 = 6 votes, 5 people present
    assert ("votes", "err.votes_exceed", 1) in _errors(session, organiser, data)


def test_party_votes_exceeding_that_partys_attendees(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world)
    data.items[1].party_votes = {"party_org": (2, 0, 0), "residents": (1, 1, 1)}  # one party-org member present
    assert ("party_votes", "err.party_votes_exceed", 1) in _errors(session, organiser, data)


def test_due_date_before_the_meeting(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world)
    data.items[0].follow_ups[0].due_on = date(2024, 6, 17)
    assert ("due_on", "err.due_before_meeting", 0) in _errors(session, organiser, data)


def test_due_date_error_names_the_meeting_day_in_the_ui_date_style(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    """The writer passes the meeting's day, not an ISO string of its own: the message reads like every other date
    of the UI in either language."""
    data = meeting_input(world)
    data.items[0].follow_ups[0].due_on = date(2024, 6, 17)
    with pytest.raises(Invalid) as exc:
        save_meeting(session, organiser, data, NOW)
    (error,) = [e for e in exc.value.errors if e.key == "err.due_before_meeting"]
    held = error.params["date"]
    assert type(held) is date and data.held_at is not None and held == data.held_at.astimezone(CITY_TZ).date()
    for lang in ("zh", "en"):
        text = t(error.key, lang, **error.params)
        assert day(held, lang) in text and held.isoformat() not in text, text


def test_over_long_text(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world, venue="厅" * 121)
    data.items[0].description = "长" * 2001
    errors = _errors(session, organiser, data)
    assert {("venue", "err.too_long", None), ("description", "err.too_long", 0)} <= errors


def test_future_meeting_marked_as_held(session: Session, world: World, organiser: CouncilAccess) -> None:
    data = meeting_input(world, held_at=datetime(2024, 6, 21, 9, 0, tzinfo=CITY_TZ))
    assert ("date", "err.future_held", None) in _errors(session, organiser, data)
    # Planned, with its agenda but no decisions yet, it is accepted.
    planned = meeting_input(world, held_at=datetime(2024, 6, 21, 9, 0, tzinfo=CITY_TZ), status="planned")
    for item in planned.items:
        item.decision_method = item.outcome = None
        item.votes_for = item.votes_against = item.votes_abstain = None
        item.follow_ups = []
        item.resolution = ""
    assert save_meeting(session, organiser, planned, NOW) > 0


def test_work_orders_of_another_compound_and_foreign_ids(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    from data_access.core.models import HotlineWorkOrder

    foreign = session.scalar(select(HotlineWorkOrder.id).where(HotlineWorkOrder.compound_id == world.c2.id))
    data = meeting_input(world)
    data.items[0].work_order_ids = [foreign]  # type: ignore[list-item]
    data.items[1].id = 999_999  # an item id that is not this meeting's
    errors = _errors(session, organiser, data)
    assert ("work_orders", "err.work_order_foreign", 0) in errors
    assert ("items", "err.foreign_record", None) in errors


def test_carry_over_keeps_the_link_and_is_offered_once(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    m1_item = session.scalar(select(AgendaItem).where(AgendaItem.title == "车位改造"))
    assert m1_item is not None
    assert [c.item_id for c in carry_candidates(session, world.c1.id)] == [m1_item.id]
    data = meeting_input(world)
    data.items[1].carried_from_id = m1_item.id
    mid = save_meeting(session, organiser, data, NOW)
    view = meeting_view(session, organiser, mid, TODAY)
    assert view.items[1].carried_from is not None and view.items[1].carried_from.item_id == m1_item.id
    # m1's item is taken up; the new meeting's deferred item is offered in its place.
    assert [c.item_id for c in carry_candidates(session, world.c1.id)] == [view.items[1].id]
    old = meeting_view(session, organiser, m1_item.meeting_id, TODAY)
    assert [t.meeting_id for t in old.items[1].carried_to] == [mid]
    again = meeting_input(world)
    again.items[1].carried_from_id = m1_item.id  # already carried
    assert ("title", "err.carry_invalid", 1) in _errors(session, organiser, again)


def test_follow_up_done_and_overdue(session: Session, world: World, organiser: CouncilAccess) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    later = date(2024, 7, 5)
    overdue = list_follow_ups(session, organiser, CouncilFilter(), later, overdue_only=True)
    assert [f.action for f in overdue] == ["加装充电桩"]
    fid = overdue[0].follow_up_id
    with pytest.raises(Invalid):
        set_follow_up_status(session, organiser, fid, 1, "done", None, NOW)
    set_follow_up_status(session, organiser, fid, 1, "done", date(2024, 6, 20), NOW)
    assert list_follow_ups(session, organiser, CouncilFilter(), later, overdue_only=True) == []
    assert meeting_view(session, organiser, mid, TODAY).version == 2
    with pytest.raises(StaleEdit):  # the page's copy is version 1
        set_follow_up_status(session, organiser, fid, 1, "open", None, NOW)


def test_press_sees_published_outcomes_only_and_no_names(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    press = access_for(session, "press1", Role.press)
    with pytest.raises(NotFound):
        meeting_view(session, press, mid, TODAY)
    assert all(r.meeting_id != mid for r in list_items(session, press, CouncilFilter(), TODAY))
    view = meeting_view(session, organiser, mid, TODAY)
    publish_notice(session, organiser, mid, 1, [view.items[0].id], date(2024, 6, 21), date(2024, 6, 27), NOW)
    # Published, but posted from tomorrow: the press, like anonymous readers, sees nothing of it today.
    with pytest.raises(NotFound):
        meeting_view(session, press, mid, TODAY)
    assert not meeting_visible(session, press, mid)
    assert all(r.meeting_id != mid for r in list_items(session, press, CouncilFilter(), TODAY))
    assert public_notice(session, mid, TODAY) is None
    posted_day = date(2024, 6, 21)
    press = replace(press, posted_by=posted_day)  # the press's access on the posting day
    notice = meeting_view(session, press, mid, posted_day)
    assert meeting_visible(session, press, mid)
    assert [i.title for i in notice.items] == ["地下室电动车充电"]
    assert notice.attendees == [] and notice.convener is None
    assert all(f.contact_name is None for i in notice.items for f in i.follow_ups)
    assert [r.item_id for r in list_items(session, press, CouncilFilter(), posted_day) if r.meeting_id == mid] == [
        view.items[0].id
    ]
    with pytest.raises(AccessDenied):
        list_meetings(session, press, CouncilFilter())
    with pytest.raises(AccessDenied):
        meeting_history(session, press, mid)
    # The public notice is the same record, shown from the same day.
    posted = public_notice(session, mid, posted_day)
    assert posted is not None and [i.title for i in posted.items] == ["地下室电动车充电"]


def test_deleted_meeting_stops_counting_but_keeps_history(
    session: Session, world: World, organiser: CouncilAccess
) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    flt = CouncilFilter(area=Area(city_id=world.city_a.id))
    assert any(r.meeting_id == mid for r in list_meetings(session, organiser, flt))
    delete_meeting(session, organiser, mid, 1, NOW)
    assert all(r.meeting_id != mid for r in list_meetings(session, organiser, flt))
    assert meeting_history(session, organiser, mid)[-1].action == "delete"


def test_list_filters(session: Session, world: World, organiser: CouncilAccess) -> None:
    save_meeting(session, organiser, meeting_input(world), NOW)
    leader = access_for(session, "lead", Role.leader, city="a")
    area = Area(city_id=world.city_a.id)
    assert {r.title for r in list_items(session, leader, CouncilFilter(area=area), TODAY)} == {
        "地下室电动车充电",
        "车位改造方案",
        "电动车充电",
        "车位改造",
    }
    assert [
        r.title
        for r in list_items(
            session, leader, CouncilFilter(area=area, category="parking", first=date(2024, 1, 1)), TODAY
        )
    ] == ["车位改造方案"]
    assert [
        r.title
        for r in list_items(
            session, leader, CouncilFilter(area=area, outcome="resolved", last=date(2023, 12, 31)), TODAY
        )
    ] == ["电动车充电"]
    assert list_items(session, leader, CouncilFilter(area=area, compound_id=world.c2.id), TODAY) == []
    meetings = list_meetings(session, leader, CouncilFilter(area=area, category="parking"))
    assert len(meetings) == 2
    assert meetings[0].missing_parties == () and set(meetings[1].missing_parties) == {
        "party_org",
        "property_company",
        "owners_committee",
        "residents",
    }


def test_a_cut_list_is_the_head_of_the_whole_list(session: Session, world: World, organiser: CouncilAccess) -> None:
    """Lists are cut at a row limit; the cut list must be exactly the first rows of the uncut one, whatever the
    filters (the items page is looked for among the newest meetings only, which must not lose any item)."""
    for held in (HELD, datetime(2024, 6, 19, 9, 0, tzinfo=CITY_TZ)):
        save_meeting(session, organiser, meeting_input(world, held_at=held), NOW)
    # The newest meeting has no parking item: the parking list must look past it.
    leak = ItemInput(
        title="楼顶漏水",
        category="water_leak",
        raising_party="residents",
        decision_method="consensus",
        outcome="deferred",
    )
    save_meeting(
        session, organiser, meeting_input(world, held_at=datetime(2024, 6, 20, 9, 0, tzinfo=CITY_TZ), items=[leak]), NOW
    )
    leader = access_for(session, "lead-cut", Role.leader, city="a")
    press = access_for(session, "press-cut", Role.press)
    area = Area(city_id=world.city_a.id)
    for access in (leader, organiser, press):
        for flt in (CouncilFilter(area=area), CouncilFilter(area=area, category="parking"), CouncilFilter()):
            whole = list_items(session, access, flt, TODAY, limit=1000)
            for limit in (1, 2, 3, 5):
                assert list_items(session, access, flt, TODAY, limit=limit) == whole[:limit], (access.role, flt, limit)
            if not access.published_only:
                meetings = list_meetings(session, access, flt, limit=1000)
                assert list_meetings(session, access, flt, limit=2) == meetings[:2]
                follow_ups = list_follow_ups(session, access, flt, TODAY, limit=1000)
                assert list_follow_ups(session, access, flt, TODAY, limit=1) == follow_ups[:1]


def test_attachments_type_checked_and_served_only_to_readers(
    session: Session, world: World, organiser: CouncilAccess, tmp_path: Path
) -> None:
    mid = save_meeting(session, organiser, meeting_input(world), NOW)
    before = counts(session)
    for name, data in (("sheet.pdf", b"MZ\x90\x00 not a pdf"), ("photo.pdf", b"\x89PNG\r\n\x1a\n...."), ("x.pdf", b"")):
        with pytest.raises(Invalid):
            add_attachment(session, organiser, mid, 1, "minutes", name, data, tmp_path, NOW)
    assert counts(session) == before and list(tmp_path.iterdir()) == []
    aid = add_attachment(
        session, organiser, mid, 1, "sign_in_sheet", "../../签到表.pdf", b"%PDF-1.4 demo", tmp_path, NOW
    )
    found = attachment_file(session, organiser, aid, tmp_path)
    assert found.filename == "签到表.pdf" and found.content_type == "application/pdf"
    assert found.path.parent == tmp_path and found.path.read_bytes() == b"%PDF-1.4 demo"
    for other in (access_for(session, "org2", Role.organiser, [world.c2.id]), access_for(session, "p", Role.press)):
        with pytest.raises(AccessDenied):
            attachment_file(session, other, aid, tmp_path)


def test_compound_options_search_ids_and_limit(session: Session, world: World, organiser: CouncilAccess) -> None:
    """The compound picker: leaders see compounds with a meeting, by name; search is literal; ids and limit cut."""
    save_meeting(session, organiser, meeting_input(world), NOW)
    leader = access_for(session, "lead1", Role.leader, city="a")
    everything = compound_options(session, leader, Area())
    assert [c.name for c in everything] == ["一号小区"]  # the only compound with a meeting
    assert compound_options(session, leader, Area(), search=" 一号 ") == everything
    assert compound_options(session, leader, Area(), search="号_区") == []  # "_" is a character, not a wildcard
    assert compound_options(session, leader, Area(), ids=[world.c2.id]) == []
    assert compound_options(session, leader, Area(), ids=[world.c1.id]) == everything
    assert compound_options(session, leader, Area(), limit=0) == []
    assert [c.name for c in compound_options(session, organiser, Area(), search="小区")] == ["一号小区"]
    two = access_for(session, "org13", Role.organiser, [world.c1.id, world.c3.id])  # their own, meetings or not
    assert [c.name for c in compound_options(session, two, Area())] == ["一号小区", "三号小区"]
    assert [c.name for c in compound_options(session, two, Area(), limit=1)] == ["一号小区"]
    assert [c.name for c in compound_options(session, two, Area(), search="三")] == ["三号小区"]
