"""Role rules on reads as on writes (design §2, §6): every read service takes the actor, refuses an account whose
role holds no "read" permission, and applies the role's masks; a 查阅人 never finds a person by a fragment of the
ID number (searching by ID number is only for roles that may see ID numbers, issue 16) nor sees a full number."""
from __future__ import annotations

from datetime import date

import pytest

from models.core.actor import Actor
from models.derived.restrictions import recompute_cadre
from models.derived.visit_plans import sync_plans_for_cadres
from models.core.errors import PermissionDenied
from models.entities import Cadre, Handling
from models.reference import id_number as idn
from models.services.handling import register

NUMBER = idn.generate(date(1975, 3, 15), "男", region="320102", seq=7)
MIDDLE = NUMBER[6:12]  # six digits from the middle of the number (birth year and month)
TODAY = date(2025, 1, 10)
NOBODY = Actor(username="x", role="retired", display_name="已停用角色")  # a role that holds no permission


@pytest.fixture
def person(db):
    """周卫国 with a 党内严重警告 in force (and its visit plans)."""
    with db.session() as s:
        c = Cadre(name="周卫国", name_initials="zwg", id_number=NUMBER, gender="男", birth_date=date(1975, 3, 15))
        s.add(c)
        s.flush()
        h = Handling(cadre_id=c.id, regime="party", kind="serious_warning", effective_on=date(2024, 3, 15),
                     decided_on=date(2024, 3, 12), organ="中共某某区纪委", doc_number="某纪〔2024〕3号")
        s.add(h)
        s.flush()
        recompute_cadre(s, c.id)
        sync_plans_for_cadres(s, [c.id], TODAY)
        return c.id, h.id


def _text(obj) -> str:
    return repr(obj)


# ------------------------------------------------------------------------------------ handling register


def test_the_handling_register_refuses_a_role_without_read(db, person):
    cid, hid = person
    with db.session() as s:
        for call in (lambda: register.list_handlings(s, NOBODY), lambda: register.count_handlings(s, NOBODY),
                     lambda: register.get_handling(s, NOBODY, hid), lambda: register.cadre_choice(s, NOBODY, cid),
                     lambda: register.find_cadres(s, NOBODY, "周"), lambda: register.restrictions_of_cadre(s, NOBODY, cid),
                     lambda: register.open_tasks(s, NOBODY, cid)):
            with pytest.raises(PermissionDenied):
                call()


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_handling_register_per_role(db, person, role, request):
    actor = request.getfixturevalue(role)
    cid, hid = person
    may_see = role != "viewer"
    with db.session() as s:
        by_name = register.list_handlings(s, actor, register.HandlingFilter(text="周卫"))
        assert [r.id for r in by_name] == [hid]
        by_middle = register.list_handlings(s, actor, register.HandlingFilter(text=MIDDLE))
        assert [r.id for r in by_middle] == ([hid] if may_see else [])
        assert register.count_handlings(s, actor, register.HandlingFilter(text=MIDDLE)) == (1 if may_see else 0)
        # the whole number: also nothing for a 查阅人 (no look-up of a number the role may not see)
        assert register.count_handlings(s, actor, register.HandlingFilter(text=NUMBER)) == (1 if may_see else 0)
        assert [c.id for c in register.find_cadres(s, actor, MIDDLE)] == ([cid] if may_see else [])
        found = register.find_cadres(s, actor, "周卫国")
        choice = register.cadre_choice(s, actor, cid)
        detail = register.get_handling(s, actor, hid)
    assert detail.cadre_name == "周卫国"
    for shown in (found[0].id_number, choice.id_number):
        assert shown == (NUMBER if may_see else idn.mask(NUMBER))
    if not may_see:
        assert NUMBER not in _text(found) + _text(choice) + _text(detail) + _text(by_name)


def test_withdrawn_decisions_only_for_the_administrator(db, person, admin, officer):
    cid, hid = person
    with db.session() as s:
        s.get(Handling, hid).withdrawn_at = TODAY
        s.flush()
        flt = register.HandlingFilter(include_withdrawn=True)
        assert [r.id for r in register.list_handlings(s, admin, flt)] == [hid]
        assert register.list_handlings(s, officer, flt) == []


# ------------------------------------------------------------------------------------ visits, 工作台, tasks, 考核


def test_visit_plan_dashboard_task_and_assessment_reads_refuse_a_role_without_read(db, person):
    from models.services import assessments, dashboard, tasks
    from models.services.visits import documents, plans, records

    cid, hid = person
    with db.session() as s:
        calls = [
            lambda: records.list_visits(s, NOBODY), lambda: records.count_visits(s, NOBODY),
            lambda: records.get_visit(s, NOBODY, 1), lambda: records.handling_choices(s, NOBODY, cid, TODAY),
            lambda: records.find_cadres(s, NOBODY, "周"), lambda: plans.list_plans(s, NOBODY, TODAY, "all"),
            lambda: plans.count_plans(s, NOBODY, TODAY, "all"), lambda: documents.visit_document(s, NOBODY, 1),
            lambda: documents.visit_documents_in_period(s, NOBODY, TODAY, TODAY),
            lambda: dashboard.tiles(s, NOBODY, TODAY), lambda: dashboard.count(s, NOBODY, "visits_due", TODAY),
            lambda: dashboard.rows(s, NOBODY, "coming_off_30", TODAY), lambda: dashboard.awaits_assessment(s, NOBODY, cid, TODAY),
            lambda: tasks.list_open(s, NOBODY), lambda: tasks.count_open(s, NOBODY),
            lambda: assessments.promotion_check(s, NOBODY, cid, TODAY), lambda: assessments.list_for_cadre(s, NOBODY, cid),
            lambda: assessments.get_assessment(s, NOBODY, 1),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_dashboard_and_plans_per_role(db, person, role, request):
    from models.services import dashboard
    from models.services.visits import plans

    actor = request.getfixturevalue(role)
    cid, _hid = person
    with db.session() as s:
        tiles = {t.key: t.count for t in dashboard.tiles(s, actor, TODAY)}
        every = [p.cadre_id for p in plans.list_plans(s, actor, TODAY, "all")]
        by_middle = plans.count_plans(s, actor, TODAY, "all", text=MIDDLE)
        rows = dashboard.rows(s, actor, "visits_overdue", TODAY) + dashboard.rows(s, actor, "visits_due", TODAY)
    assert set(every) == {cid} and set(tiles) >= {"visits_due", "tasks_open"}
    assert by_middle == (0 if role == "viewer" else len(every))  # no search by ID fragments for a 查阅人
    assert NUMBER not in _text(rows)


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_the_printed_visit_record_shows_a_viewer_the_birth_year_only(db, person, role, request, officer):
    from models.services.visits import documents, records
    from reports.visit_record import record_rows

    actor = request.getfixturevalue(role)
    cid, hid = person
    with db.session() as s:
        vid = records.record_visit(s, officer, records.VisitInput(
            handling_id=hid, visited_on=date(2024, 4, 1), form="谈心谈话",
            visitors=[{"name": "李喆", "post": "科长"}, {"name": "赵明", "post": "科员"}], evaluation="好"), TODAY).id
    with db.session() as s:
        doc = documents.visit_document(s, actor, vid)
    printed = _text(record_rows(doc, ""))
    if role == "viewer":
        assert doc.birth is None and "1975年" in printed and "1975年3月" not in printed
    else:
        assert "1975年3月" in printed
    assert NUMBER not in printed


# ------------------------------------------------------------------------------------ rosters, statistics


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_roster_on_screen_and_printed_per_role(db, person, role, request):
    from pypdf import PdfReader
    import io

    from models.services import roster
    from reports import roster_export

    actor = request.getfixturevalue(role)
    q = roster.RosterQuery(mode=roster.MODE_IN_PERIOD, on=TODAY)
    with db.session() as s:
        found = roster.rows(s, actor, q)
        assert roster.count(s, actor, q) == len(found) == 1
        data, n, _title = roster_export.build_pdf(s, actor, q)
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    want = NUMBER if role != "viewer" else idn.mask(NUMBER)
    assert found[0].id_number == want and n == 1
    assert (NUMBER in printed) == (role != "viewer") and NUMBER[-4:] in printed


def test_rosters_and_statistics_refuse_a_role_without_read_and_a_viewer_exports_nothing(db, person, viewer, tmp_path):
    from models.services import roster, statistics
    from reports import roster_export

    q = roster.RosterQuery(mode=roster.MODE_IN_PERIOD, on=TODAY)
    sq = statistics.StatsQuery(date_from=date(2024, 1, 1), date_to=TODAY, today=TODAY)
    with db.session() as s:
        for call in (lambda: roster.rows(s, NOBODY, q), lambda: roster.count(s, NOBODY, q), lambda: roster.units(s, NOBODY),
                     lambda: statistics.compute(s, NOBODY, sq),
                     lambda: statistics.count_behind(s, NOBODY, sq, statistics.drill("roster", mode="in_period"))):
            with pytest.raises(PermissionDenied):
                call()
        with pytest.raises(PermissionDenied):
            roster_export.export(s, viewer, q, tmp_path / "名单.xlsx")
    assert not (tmp_path / "名单.xlsx").exists()


# ------------------------------------------------------------------------------------ the reporter of a 举报


def test_reading_a_reporter_is_audited_and_only_for_roles_that_handle_reports(db, person, officer, admin, viewer):
    from models.entities import AuditEvent
    from models.services import accusations as acc
    from tests.models.accusation_helpers import REPORTER, make_accusation

    cid, _hid = person
    with db.session() as s:
        a = make_accusation(s, officer, [cid], "反映其在工程招标中收受好处费二万元。")
        anonymous = make_accusation(s, officer, [cid], "反映其违规发放津贴补贴。", anonymous=True)

    def reads(s):
        return s.query(AuditEvent).filter(AuditEvent.action == acc.VIEW_REPORTER).order_by(AuditEvent.seq).all()

    with db.session() as s:
        listed = acc.list_accusations(s, officer)  # a list shows 实名, never the identity, and is not audited
        assert {r.reporter_display for r in listed} == {"实名", "匿名"} and all(r.reporter_name is None for r in listed)
        assert acc.get_accusation(s, viewer, a.id).reporter_name is None  # no permission: nothing shown
        acc.get_accusation(s, officer, anonymous.id)  # nobody named: nothing to audit
        assert reads(s) == []
        seen = acc.get_accusation(s, officer, a.id)
        assert seen.reporter_name == REPORTER["reporter_name"] and seen.reporter_contact == REPORTER["reporter_contact"]
        acc.get_accusation(s, admin, a.id)
    with db.session() as s:
        events = reads(s)
        assert [(e.actor, e.entity, e.entity_id) for e in events] == [("jbr", "accusation", str(a.id)),
                                                                     ("admin", "accusation", str(a.id))]
        assert all(e.at is not None for e in events)
        logged = " ".join(f"{e.summary} {e.before} {e.after}" for e in events)
        assert all(v not in logged for v in REPORTER.values())


def test_a_read_only_window_shows_no_reporter_it_cannot_record(db, person, officer):
    from models.services import accusations as acc
    from tests.models.accusation_helpers import make_accusation

    cid, _hid = person
    with db.session() as s:
        a = make_accusation(s, officer, [cid], "反映其在工程招标中收受好处费二万元。")
    db.read_only = True
    try:
        with db.session() as s:
            row = acc.get_accusation(s, officer, a.id)
    finally:
        db.read_only = False
    assert row.reporter_name is None and row.reporter_display == "实名" + acc.HIDDEN_READ_ONLY
