"""澄清正名: pending → approved → done with its 文号; the 书面 companion rule; consent; scope; reporter data refused."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.services import accusations as acc
from models.services import clarifications as clar
from models.entities import AuditEvent, DocumentNumber
from models.core.errors import ConflictError, PermissionDenied, ValidationError
from tests.models.accusation_helpers import make_accusation, make_cadre

SUMMARY = "反映张建国同志利用职务便利为其亲属承揽老旧小区改造工程提供帮助，收受好处费20万元。"
DETAILS = {
    "initiated_by": "本人申请", "consent": "同意", "person_view": "本人希望在单位干部大会上澄清。",
    "methods": ["书面", "会议"], "scope": "区住建局全体干部职工",
    "issues_clarified": "反映张建国同志为亲属承揽老旧小区改造工程提供帮助并收受好处费的问题",
    "conclusion": "经核查，反映的问题不属实。",
}


@pytest.fixture
def pending(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        a = make_accusation(s, officer, [zhang], SUMMARY)
        (cid,) = acc.set_outcome(s, officer, a.id, "不属实", date(2024, 4, 1), verified_by="第三监督检查室").clarification_ids
    return cid


def test_full_workflow_with_document_number(db, officer, admin, pending):
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "org.code", "武纪")
        row = clar.get_clarification(s, officer, pending)
        assert row.status == "pending" and row.status_label == "待批准" and row.accusation_outcome == "不属实"
        row = clar.update_clarification(s, officer, pending, DETAILS, version=row.version)
        assert row.methods == ("书面", "会议") and row.scope == "区住建局全体干部职工"
        row = clar.approve(s, officer, pending, "市纪委常委会", date(2024, 4, 10), version=row.version)
        assert row.status == "approved" and row.approved_by == "市纪委常委会"
        assert clar.due_by(s, row) == date(2024, 4, 17)  # 5 working days after Wed 10 Apr
        with pytest.raises(ValidationError, match="不能再修改"):
            clar.update_clarification(s, officer, pending, DETAILS)
        row = clar.mark_done(s, officer, pending, date(2024, 4, 15), version=row.version)
    assert row.status == "done" and row.doc_number == "武纪〔2024〕1号" and row.done_on == date(2024, 4, 15)
    with db.session() as s:
        assert s.execute(select(DocumentNumber.text)).scalars().all() == ["武纪〔2024〕1号"]
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.entity == "clarification")
                            .order_by(AuditEvent.seq)).scalars().all()
        assert actions == ["create", "update", "approve", "update", "done"]
        assert clar.counts(s, officer)["done"] == 1


def test_other_methods_need_the_written_one(db, officer, pending):
    with db.session() as s:
        with pytest.raises(ValidationError, match="必须同时书面澄清") as err:
            clar.update_clarification(s, officer, pending, {**DETAILS, "methods": ["当面", "通报"]})
        assert err.value.field == "methods"
        clar.update_clarification(s, officer, pending, {**DETAILS, "methods": ["书面"]})


def test_scope_is_needed_for_meeting_circular_or_media(db, officer, pending):
    with db.session() as s:
        clar.update_clarification(s, officer, pending, {**DETAILS, "methods": ["书面", "通报"], "scope": ""})
        with pytest.raises(ValidationError, match="澄清范围"):
            clar.approve(s, officer, pending, "市纪委常委会", date(2024, 4, 10))


def test_approval_needs_the_details_and_the_persons_consent(db, officer, pending):
    with db.session() as s:
        with pytest.raises(ValidationError, match="发起方式、本人意见、澄清方式、澄清的问题、核查结论"):
            clar.approve(s, officer, pending, "市纪委常委会", date(2024, 4, 10))
        clar.update_clarification(s, officer, pending, {**DETAILS, "consent": "未表态"})
        with pytest.raises(ValidationError, match="本人尚未同意"):
            clar.approve(s, officer, pending, "市纪委常委会", date(2024, 4, 10))
        clar.update_clarification(s, officer, pending, DETAILS)
        with pytest.raises(ValidationError, match="早于举报核查结论日期"):
            clar.approve(s, officer, pending, "市纪委常委会", date(2024, 3, 10))
        with pytest.raises(ValidationError, match="批准人"):
            clar.approve(s, officer, pending, " ", date(2024, 4, 10))


def test_decline_closes_without_deleting(db, officer, pending):
    with db.session() as s:
        row = clar.decline(s, officer, pending, "本人书面表示不需要澄清", on=date(2024, 4, 5))
        assert row.status == "declined" and row.consent == "不同意" and "不需要澄清" in row.person_view
        assert [r.id for r in clar.list_clarifications(s, officer, status="declined")] == [pending]
        assert clar.list_clarifications(s, officer, status="pending") == []


def test_reporter_data_and_phone_numbers_are_refused_in_the_clarified_text(db, officer, pending):
    with db.session() as s:
        for text in ("红星机械厂第三车间职工反映张建国同志收受好处费的问题", "欧阳翠花反映的问题",
                     "来电人（13907195566）反映的问题", "来电人（027-85556677）反映的问题"):
            with pytest.raises(ValidationError, match="举报人|电话号码"):
                clar.update_clarification(s, officer, pending, {**DETAILS, "issues_clarified": text})


def test_done_needs_approval_and_a_valid_number(db, officer, pending):
    with db.session() as s:
        with pytest.raises(ValidationError, match="批准后才能登记完成"):
            clar.mark_done(s, officer, pending, date(2024, 4, 15))
        clar.update_clarification(s, officer, pending, DETAILS)
        clar.approve(s, officer, pending, "市纪委常委会", date(2024, 4, 10))
        with pytest.raises(ValidationError, match="早于批准日期"):
            clar.mark_done(s, officer, pending, date(2024, 4, 9))
        with pytest.raises(ValidationError, match="格式不对"):
            clar.mark_done(s, officer, pending, date(2024, 4, 15), doc_number="某纪[2024]第3号")
        row = clar.mark_done(s, officer, pending, date(2024, 4, 15), doc_number="某纪〔2024〕7号")
        assert row.doc_number == "某纪〔2024〕7号"


def test_stale_copy_is_refused(db, officer, pending):
    with db.session() as s:
        seen = clar.get_clarification(s, officer, pending)
        clar.update_clarification(s, officer, pending, DETAILS, version=seen.version)
    with db.session() as s:
        with pytest.raises(ConflictError):
            clar.update_clarification(s, officer, pending, {**DETAILS, "scope": "别的范围"}, version=seen.version)


def test_viewer_reads_but_cannot_change(db, viewer, pending):
    with db.session() as s:
        assert clar.get_clarification(s, viewer, pending).status == "pending"
        with pytest.raises(PermissionDenied):
            clar.update_clarification(s, viewer, pending, DETAILS)
        with pytest.raises(PermissionDenied):
            clar.approve(s, viewer, pending, "某", date(2024, 4, 10))
