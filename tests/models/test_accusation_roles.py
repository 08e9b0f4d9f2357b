"""Role rules on the services, without the GUI: the reporter is visible only to roles that handle accusations;
a viewer never sees reporter data, and the audit log never holds it in clear text."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from models.services import accusations as acc
from models.services import clarifications as clar
from models.services import inquiries as inq
from models.entities import AuditEvent, Clarification, Task
from models.core.errors import PermissionDenied, ValidationError
from tests.models.accusation_helpers import REPORTER, make_accusation, make_cadre

SUMMARY = "反映张建国同志利用职务便利为其亲属承揽老旧小区改造工程提供帮助，收受好处费20万元。"


@pytest.fixture
def case(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        a = make_accusation(s, officer, [zhang], SUMMARY)
    return zhang, a


def _texts(row) -> str:
    return json.dumps(row.__dict__, ensure_ascii=False, default=str)


def test_officer_and_admin_see_the_reporter(db, officer, admin, case):
    _, a = case
    with db.session() as s:
        for actor in (officer, admin):
            row = acc.get_accusation(s, actor, a.id)
            assert row.reporter_visible and row.reporter_name == "欧阳翠花" and row.reporter_display == "欧阳翠花"
            assert row.reporter_contact == REPORTER["reporter_contact"]


def test_viewer_never_sees_reporter_data_in_any_row(db, viewer, officer, case):
    zhang, a = case
    with db.session() as s:
        inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5))
        acc.set_outcome(s, officer, a.id, "不属实", date(2024, 4, 1))
    with db.session() as s:
        rows = [acc.get_accusation(s, viewer, a.id), *acc.list_accusations(s, viewer),
                *acc.list_accusations(s, viewer, cadre_id=zhang)]
        rows += inq.list_inquiries(s, viewer, date(2024, 4, 2))
        rows += clar.list_clarifications(s, viewer)
        assert len(rows) == 5
        for row in rows:
            text = _texts(row)
            for value in REPORTER.values():
                assert value not in text
        first = rows[0]
        assert not first.reporter_visible and first.reporter_display == "实名（无权查看）"
        assert first.reporter_name is first.reporter_unit is first.reporter_contact is None
        assert first.summary == SUMMARY and first.subject_names == "张建国"  # the rest is readable


def test_search_never_matches_on_the_reporter(db, officer, viewer, case):
    with db.session() as s:
        assert acc.list_accusations(s, viewer, text="张建国")
        assert acc.list_accusations(s, viewer, text="欧阳翠花") == []
        assert acc.list_accusations(s, officer, text="欧阳翠花") == []


def test_viewer_cannot_write_anything(db, viewer, case):
    zhang, a = case
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            make_accusation(s, viewer, [zhang], SUMMARY)
        with pytest.raises(PermissionDenied):
            acc.update_accusation(s, viewer, a.id, {}, version=a.version)
        with pytest.raises(PermissionDenied):
            acc.set_outcome(s, viewer, a.id, "不属实", date(2024, 4, 1))
        with pytest.raises(PermissionDenied):
            acc.withdraw_accusation(s, viewer, a.id, "重复登记")


def test_audit_log_never_holds_the_reporter_in_clear_text(db, officer, case):
    zhang, a = case
    with db.session() as s:
        data = {"received_on": a.received_on, "channel": "来电", "anonymous": False, "cadre_ids": [zhang],
                "category": a.category, "summary": a.summary, "is_specific": True, "is_verifiable": True,
                **REPORTER, "reporter_name": "欧阳翠兰"}
        acc.update_accusation(s, officer, a.id, data, version=a.version)
    with db.session() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.entity == "accusation")).scalars().all()
        assert [e.action for e in events] == ["create", "update"]
        dump = json.dumps([[e.summary, e.before, e.after] for e in events], ensure_ascii=False)
        for value in (*REPORTER.values(), "欧阳翠兰"):
            assert value not in dump
        assert events[1].after["reporter_name"] == acc.SECRET_CHANGED and "reporter_unit" not in events[1].after


def test_anonymous_report_keeps_no_reporter(db, officer, viewer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        a = make_accusation(s, officer, [zhang], SUMMARY, anonymous=True, reporter_name="不该保存")
        assert a.reporter_name is None and a.reporter_display == "匿名"
        assert acc.get_accusation(s, viewer, a.id).reporter_display == "匿名"


def test_named_report_needs_the_reporter_and_the_category_must_be_listed(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        with pytest.raises(ValidationError, match="举报人姓名"):
            make_accusation(s, officer, [zhang], SUMMARY, reporter_name="")
        with pytest.raises(ValidationError, match="不在类别表中"):
            make_accusation(s, officer, [zhang], SUMMARY, category="乱七八糟")
        with pytest.raises(ValidationError, match="被反映的干部"):
            make_accusation(s, officer, [], SUMMARY)
        with pytest.raises(ValidationError, match="登记函询"):
            make_accusation(s, officer, [zhang], SUMMARY, disposal="谈话函询")


def test_outcomes_open_clarifications_and_the_false_accusation_task(db, officer):
    with db.session() as s:
        zhang, li = make_cadre(s, "张建国"), make_cadre(s, "李卫东", post="副局长")
        a = make_accusation(s, officer, [zhang, li], SUMMARY)
        r = acc.set_outcome(s, officer, a.id, "属实", date(2024, 4, 1))
        assert r.clarification_ids == () and r.task_id is None
        r = acc.set_outcome(s, officer, a.id, "诬告陷害", date(2024, 4, 2), verified_by="第三监督检查室")
        assert len(r.clarification_ids) == 2 and r.task_id is not None
        task = s.get(Task, r.task_id)
        assert task.kind == "investigate_false_accusation" and task.source_id == a.id and "张建国、李卫东" in task.title
        assert "欧阳" not in task.title
        # changing 诬告陷害 → 错告 keeps the clarifications and closes the 查处 task
        r2 = acc.set_outcome(s, officer, a.id, "错告", date(2024, 4, 3))
        assert r2.clarification_ids == () and s.get(Task, r.task_id).withdrawn_at is not None
        pending = s.execute(select(Clarification).where(Clarification.withdrawn_at.is_(None))).scalars().all()
        assert {c.cadre_id for c in pending} == {zhang, li} and {c.status for c in pending} == {"pending"}
        # and to 属实 withdraws the pending clarifications
        acc.set_outcome(s, officer, a.id, "属实", date(2024, 4, 4))
        assert s.execute(select(Clarification).where(Clarification.withdrawn_at.is_(None))).first() is None


def test_outcome_cannot_move_away_once_a_clarification_is_approved(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        a = make_accusation(s, officer, [zhang], SUMMARY)
        (cid,) = acc.set_outcome(s, officer, a.id, "不属实", date(2024, 4, 1)).clarification_ids
        clar.update_clarification(s, officer, cid, {
            "initiated_by": "本人申请", "consent": "同意", "methods": ["书面"],
            "issues_clarified": "反映其为亲属承揽工程提供帮助并收受好处费的问题", "conclusion": "经核查，反映的问题不属实。"})
        clar.approve(s, officer, cid, "市纪委常委会", date(2024, 4, 10))
        with pytest.raises(ValidationError, match="已有批准或完成的澄清正名"):
            acc.set_outcome(s, officer, a.id, "属实", date(2024, 4, 12))
        with pytest.raises(ValidationError, match="不能撤回"):
            acc.withdraw_accusation(s, officer, a.id, "误登记")
