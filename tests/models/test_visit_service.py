"""Recording visits: refusals with clear messages, plans marked done, withdrawal, audit, the register."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from models.services import dashboard
from models.derived import visit_plans
from models.services.visits import documents as visit_documents
from models.services.visits import records as visit_records
from models.services.visits import settings as visit_settings
from models.derived.restrictions import recompute_cadre
from models.entities import AuditEvent, Handling, Review, Visit, VisitPlan
from models.core.errors import PermissionDenied, ValidationError
from models.exchange import visit_register
from tests.handling_helpers import add_cadre, add_unit
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2024, 4, 10)
VISITORS = [{"name": "李喆", "post": "区纪委第一纪检监察室主任"}, {"name": "赵〇明", "post": "区委组织部干部科科长"}]


@pytest.fixture
def case(db):
    with db.session() as s:
        unit = add_unit(s, "某某区发展和改革局")
        cadre = add_cadre(s, "王堃", unit)
        h = Handling(cadre_id=cadre.id, regime="party", kind="warning", effective_on=date(2024, 3, 15),
                     decided_on=date(2024, 3, 12), organ="中共某某区纪委", doc_number="某纪〔2024〕12号")
        s.add(h)
        s.flush()
        recompute_cadre(s, cadre.id)
        visit_plans.sync_plans_for_cadre(s, cadre.id, TODAY)
        return {"cadre": cadre.id, "handling": h.id}


def _input(case, **kw):
    data = dict(handling_id=case["handling"], visited_on=date(2024, 4, 2), form="谈心谈话", visitors=list(VISITORS),
                place="区纪委谈话室", findings={"对错误的认识": "认识深刻。"}, evaluation="好", recommendation="继续帮扶")
    data.update(kw)
    return visit_records.VisitInput(**data)


def test_saving_a_visit_marks_its_plan_done_and_the_dashboard_changes(db, officer, case):
    with db.session() as s:
        assert dashboard.count_visits_due(s, READER, TODAY) == 1
        row = visit_records.record_visit(s, officer, _input(case), TODAY)
        assert row.seq == 1 and row.record_no == "2024-0001" and row.plan_purpose == "首次谈话"
        plan = s.get(VisitPlan, row.plan_id)
        assert plan.status == "done" and plan.visit_id == row.id and plan.code == "first"
        assert dashboard.count_visits_due(s, READER, TODAY) == 0
        ev = s.query(AuditEvent).filter_by(entity="visit", action="create").one()
        assert "王堃" in ev.summary and "首次谈话" in ev.summary
        assert row.visitors_text == "李喆（区纪委第一纪检监察室主任）、赵〇明（区委组织部干部科科长）"


@pytest.mark.parametrize("changes,message", [
    ({"visited_on": date(2024, 3, 11)}, "早于处分决定的日期 2024-03-12"),
    ({"visited_on": date(2024, 4, 11)}, "在今天（2024-04-10）之后"),
    ({"visitors": VISITORS[:1]}, "回访人至少 2 名（现有 1 名）"),
    ({"visitors": [VISITORS[0], {"name": "张三", "post": ""}]}, "回访人“张三”没有填写职务"),
    ({"form": "电话"}, "请选择回访方式：谈心谈话、走访、书面、集中座谈"),
    ({"evaluation": "优秀"}, "请选择回访评价：好、一般、较差"),
    ({"next_due": date(2024, 4, 1)}, "后续措施的完成时限早于回访日期"),
])
def test_refusals_say_what_is_wrong(db, officer, case, changes, message):
    with db.session() as s:
        with pytest.raises(ValidationError) as err:
            visit_records.record_visit(s, officer, _input(case, **changes), TODAY)
        assert message in err.value.message
        assert s.query(Visit).count() == 0


def test_a_visit_on_a_revoked_decision_is_refused(db, officer, case):
    with db.session() as s:
        s.add(Review(handling_id=case["handling"], track="复查", decided_on=date(2024, 4, 1), outcome="revoked"))
        s.flush()
        s.expire_all()
        recompute_cadre(s, case["cadre"])
        with pytest.raises(ValidationError, match="决定已经撤销，不能再登记回访"):
            visit_records.record_visit(s, officer, _input(case), TODAY)
        assert {p.status for p in s.query(VisitPlan)} == {"cancelled"}  # record_visit synced the plans first


def test_viewer_may_not_record(db, viewer, case):
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            visit_records.record_visit(s, viewer, _input(case), TODAY)


def test_a_late_visit_fulfils_the_overdue_plan_and_an_explicit_plan_wins(db, officer, case):
    with db.session() as s:
        plans = {p.code: p for p in s.query(VisitPlan).filter_by(handling_id=case["handling"])}
        today = date(2024, 5, 20)
        late = date(2024, 4, 18)  # after the first talk's deadline (2024-04-14), before the mid window
        row = visit_records.record_visit(s, officer, _input(case, visited_on=late), today)
        assert row.plan_id == plans["first"].id
        row2 = visit_records.record_visit(s, officer, _input(case, visited_on=today, plan_id=plans["mid1"].id), today)
        assert row2.plan_id == plans["mid1"].id and row2.seq == 2
        with pytest.raises(ValidationError, match="已回访，不能再对应新的回访"):
            visit_records.record_visit(s, officer, _input(case, plan_id=plans["mid1"].id), today)


def test_withdraw_needs_a_reason_and_reopens_the_plan(db, officer, admin, case):
    with db.session() as s:
        row = visit_records.record_visit(s, officer, _input(case), TODAY)
        with pytest.raises(ValidationError, match="请写明撤回的理由"):
            visit_records.withdraw_visit(s, officer, row.id, "错", row.version)
        visit_records.withdraw_visit(s, officer, row.id, "录入重复，作废", row.version)
        assert s.get(VisitPlan, row.plan_id).status == "planned"
        assert visit_records.list_visits(s, officer) == []
        kept = visit_records.list_visits(s, admin, include_withdrawn=True)
        assert [v.withdrawn_reason for v in kept] == ["录入重复，作废"]
        assert s.get(Visit, row.id) is not None  # never deleted


def test_one_talk_serves_the_party_and_the_government_sanction_of_the_same_matter(db, officer, case):
    with db.session() as s:
        gov = Handling(cadre_id=case["cadre"], regime="gov", kind="demerit", effective_on=date(2024, 3, 18))
        s.add(gov)
        s.flush()
        recompute_cadre(s, case["cadre"])
        visit_plans.sync_plans_for_cadre(s, case["cadre"], TODAY)
        assert dashboard.count_visits_due(s, READER, TODAY) == 2
        visit_records.record_visit(s, officer, _input(case), TODAY)
        firsts = s.query(VisitPlan).filter_by(code="first").all()
        assert {p.status for p in firsts} == {"done"} and len({p.visit_id for p in firsts}) == 1
        assert dashboard.count_visits_due(s, READER, TODAY) == 0


def test_visits_renumbered_by_date_and_documents_of_a_period(db, officer, case):
    with db.session() as s:
        visit_records.record_visit(s, officer, _input(case, visited_on=date(2024, 4, 10)), TODAY)
        early = visit_records.record_visit(s, officer, _input(case, visited_on=date(2024, 3, 20)), TODAY)
        assert visit_records.get_visit(s, READER, early.id).seq == 1
        docs = visit_documents.visit_documents_in_period(s, officer, date(2024, 3, 1), date(2024, 3, 31))
        assert [d.visit.id for d in docs] == [early.id]
        assert docs[0].doc_number == "某纪〔2024〕12号" and docs[0].period_last_day == date(2025, 3, 14)
        with pytest.raises(ValidationError, match="晚于截止日期"):
            visit_documents.visit_documents_in_period(s, officer, date(2024, 4, 1), date(2024, 3, 1))


def test_register_to_xlsx(db, officer, case, tmp_path):
    with db.session() as s:
        visit_records.record_visit(s, officer, _input(case, next_steps="三个月后再谈", next_due=date(2024, 7, 1)), TODAY)
        out = visit_register.export_register(s, officer, tmp_path / "回访登记.xlsx", date(2024, 1, 1), date(2024, 12, 31))
        assert out.rows == 1
        assert s.query(AuditEvent).filter_by(action="export").count() == 1
    ws = load_workbook(out.path).active
    header = [c.value for c in ws[2]]
    assert header[:4] == ["序号", "记录编号", "姓名", "单位"]
    row = {h: c.value for h, c in zip(header, ws[3])}
    assert row["姓名"] == "王堃" and row["回访评价"] == "好" and row["回访方式"] == "谈心谈话"
    assert row["回访日期"].date() == date(2024, 4, 2) and "李喆" in row["回访人"]
    assert "对错误的认识：认识深刻。" in row["了解情况"]
    assert row["后续措施"] == "三个月后再谈（2024-07-01前）"


def test_settings_are_validated_and_refresh_the_plans(db, admin, officer, case):
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            visit_settings.save_settings(s, officer, {}, ["好"], [], TODAY)
        with pytest.raises(ValidationError, match="回访评价"):
            visit_settings.save_settings(s, admin, {}, [" "], [], TODAY)
        rule = visit_plans.load_rule(s).to_json()
        rule["first_talk_days"] = 60
        assert visit_settings.save_settings(s, admin, rule, ["好", "较好", "一般", "较差"], ["继续帮扶"], TODAY) == 1
        first = s.query(VisitPlan).filter_by(code="first").one()
        assert first.due_by == date(2024, 5, 14)
        assert visit_settings.evaluations(s) == ["好", "较好", "一般", "较差"]
