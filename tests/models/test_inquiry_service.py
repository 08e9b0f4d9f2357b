"""The 函询 guard (Wuhan measures): vague reports and repeated/similar reports are blocked without a reason;
what the guard found is listed; an override is stored and audited; the reply is due in 15 working days."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.services import inquiries as inq
from models.entities import Accusation, AuditEvent, Inquiry
from models.core.errors import PermissionDenied, ValidationError
from tests.models.accusation_helpers import make_accusation, make_cadre

BRIBE = "反映张建国同志在担任区住建局局长期间，利用职务便利为其亲属承揽老旧小区改造工程提供帮助，收受好处费20万元。"
BRIBE_AGAIN = "举报人称：区住建局原局长张建国利用职权，帮助自己的亲戚拿下多个老旧小区改造工程，从中收取好处费约二十万元。"
WEDDING = "反映张建国同志违规操办其儿子婚礼，大操大办，宴请管理服务对象，收受礼金。"


@pytest.fixture
def zhang(db):
    with db.session() as s:
        return make_cadre(s, "张建国")


def test_a_vague_report_is_blocked_without_a_reason(db, officer, zhang):
    with db.session() as s:
        a = make_accusation(s, officer, [zhang], "反映张建国同志作风有问题，群众意见很大。", category="违反工作纪律",
                            specific=False, verifiable=False)
    with db.session() as s:
        result = inq.check_guard(s, officer, a.id, zhang)
        assert result.blocked and result.problems[:2] == ("举报内容不具体", "举报内容难以查证")
        with pytest.raises(inq.GuardBlocked) as err:
            inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5))
        assert "不具体" in err.value.message and "写明理由" in err.value.message
        with pytest.raises(inq.GuardBlocked):  # a token reason is not a reason
            inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5), override_reason="需要")
    with db.session() as s:
        assert s.execute(select(Inquiry)).first() is None
        assert s.get(Accusation, a.id).disposal is None


def test_a_specific_new_report_passes_and_the_reply_is_due_in_15_working_days(db, officer, zhang):
    with db.session() as s:
        a = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2024, 2, 1))
    with db.session() as s:
        assert not inq.check_guard(s, officer, a.id, zhang).blocked
        row = inq.create_inquiry(s, officer, a.id, zhang, date(2024, 2, 5), today=date(2024, 2, 5))
    # across 春节 2024 with the Sunday 18 Feb make-up day
    assert row.due_on == date(2024, 3, 1) and not row.overridden
    with db.session() as s:
        assert s.get(Accusation, a.id).disposal == "谈话函询"
        assert inq.list_overdue(s, officer, date(2024, 3, 1)) == []
        late = inq.list_overdue(s, officer, date(2024, 3, 4))
        assert [r.id for r in late] == [row.id] and late[0].overdue_days == 3 and late[0].state == "逾期3天"


def test_a_similar_earlier_report_of_the_same_category_is_listed(db, officer, zhang):
    with db.session() as s:
        first = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2023, 11, 2))
        make_accusation(s, officer, [zhang], WEDDING, received_on=date(2023, 12, 1))
        second = make_accusation(s, officer, [zhang], BRIBE_AGAIN, received_on=date(2024, 3, 1))
    with db.session() as s:
        result = inq.check_guard(s, officer, second.id, zhang)
    assert result.blocked and result.is_specific and result.is_verifiable
    assert [f.accusation_id for f in result.findings] == [first.id]  # the wedding report is another issue
    f = result.findings[0]
    assert f.same_category and f.score >= 45 and "内容相似" in f.reasons[0] and f.inquiry_state is None


def test_a_near_identical_report_filed_under_another_category_is_caught(db, officer, zhang):
    # the same bribe told again, but filed under 违法犯罪 the first time: the text decides, not the category
    reworded = "群众来信说区住建局张局长让小舅子承包了老旧小区改造，收了二十万好处。"  # scores 61: under the old 75
    with db.session() as s:
        first = make_accusation(s, officer, [zhang], BRIBE, category="违法犯罪", received_on=date(2023, 11, 2))
        wedding = make_accusation(s, officer, [zhang], WEDDING, received_on=date(2023, 12, 1))
        second = make_accusation(s, officer, [zhang], reworded, category="违反廉洁纪律", received_on=date(2024, 3, 1))
    with db.session() as s:
        result = inq.check_guard(s, officer, second.id, zhang)
    assert result.blocked and [f.accusation_id for f in result.findings] == [first.id]
    f = result.findings[0]
    assert not f.same_category and f.score >= result.threshold and "另一类别“违法犯罪”" in f.reasons[0]
    # every report compared with is returned, the matched one first, the other with its score and no reason
    assert [c.accusation_id for c in result.compared] == [first.id, wedding.id]
    assert result.compared[1].reasons == () and result.compared[1].score < result.threshold


def test_a_different_issue_under_another_category_is_compared_but_does_not_block(db, officer, zhang):
    with db.session() as s:
        make_accusation(s, officer, [zhang], WEDDING, category="违反生活纪律", received_on=date(2023, 12, 1))
        a = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2024, 3, 1))
    with db.session() as s:
        result = inq.check_guard(s, officer, a.id, zhang)
    assert not result.blocked and result.findings == () and len(result.compared) == 1


def test_an_earlier_inquiry_on_the_same_category_is_listed_open_or_concluded(db, officer, zhang):
    with db.session() as s:
        first = make_accusation(s, officer, [zhang], WEDDING, category="违反廉洁纪律", received_on=date(2023, 5, 1))
        done = inq.create_inquiry(s, officer, first.id, zhang, date(2023, 5, 8))
        other = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2024, 3, 1))
    with db.session() as s:
        f = inq.check_guard(s, officer, other.id, zhang).findings
        assert len(f) == 1 and f[0].inquiry_state == "open" and "尚未回复" in f[0].reasons[-1]
        inq.record_reply(s, officer, done.id, date(2023, 5, 20), "采信了结")
    with db.session() as s:
        f = inq.check_guard(s, officer, other.id, zhang).findings
        assert f[0].inquiry_state == "concluded" and "已办结" in f[0].reasons[-1]


def test_a_second_inquiry_on_the_same_report_is_blocked(db, officer, zhang):
    with db.session() as s:
        a = make_accusation(s, officer, [zhang], BRIBE)
        inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5))
    with db.session() as s:
        result = inq.check_guard(s, officer, a.id, zhang)
        assert result.repeated_here and "已对该干部函询过" in "；".join(result.problems)


def test_override_is_stored_and_audited_with_what_was_found(db, officer, zhang):
    reason = "前次函询仅涉及工程承揽，本次反映新增收受好处费的具体金额和时间，需要本人说明。"
    with db.session() as s:
        first = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2023, 11, 2))
        second = make_accusation(s, officer, [zhang], BRIBE_AGAIN, received_on=date(2024, 3, 1))
    with db.session() as s:
        row = inq.create_inquiry(s, officer, second.id, zhang, date(2024, 3, 5), override_reason=reason)
    assert row.overridden and row.guard_override_reason == reason
    with db.session() as s:
        stored = s.get(Inquiry, row.id)
        assert stored.guard_override_reason == reason
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "override")).scalar_one()
        assert ev.actor == officer.username and ev.entity_id == str(row.id) and reason in ev.summary
        assert ev.before["findings"][0]["accusation_id"] == first.id
        assert "相同或相似" in ev.before["problems"][0]


def test_no_reason_is_stored_when_nothing_was_found(db, officer, zhang):
    with db.session() as s:
        a = make_accusation(s, officer, [zhang], BRIBE)
        row = inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5), override_reason="随便写的理由很长很长")
    assert row.guard_override_reason is None


def test_viewer_cannot_run_the_guard_or_record_an_inquiry(db, officer, viewer, zhang):
    with db.session() as s:
        a = make_accusation(s, officer, [zhang], BRIBE)
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            inq.check_guard(s, viewer, a.id, zhang)
        with pytest.raises(PermissionDenied):
            inq.create_inquiry(s, viewer, a.id, zhang, date(2024, 3, 5))


def test_reply_validation_and_setting_change(db, admin, officer, zhang):
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "inquiry.reply_working_days", 10)
        a = make_accusation(s, officer, [zhang], BRIBE)
        row = inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 4))
        assert row.due_on == date(2024, 3, 18)  # 10 working days from Mon 4 Mar
        with pytest.raises(ValidationError, match="早于函询发出日期"):
            inq.record_reply(s, officer, row.id, date(2024, 3, 1), "采信了结")
        with pytest.raises(ValidationError, match="办理结果"):
            inq.record_reply(s, officer, row.id, date(2024, 3, 10), "无")
        done = inq.record_reply(s, officer, row.id, date(2024, 3, 20), "谈话提醒", today=date(2024, 3, 21))
    assert done.state == "已回复" and done.overdue_days == 0
    with db.session() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity == "inquiry", AuditEvent.action == "update")).scalar_one()
        assert "逾期2天" in ev.summary


def test_the_cadre_must_be_a_subject_of_the_accusation(db, officer, zhang):
    with db.session() as s:
        other = make_cadre(s, "李卫东")
        a = make_accusation(s, officer, [zhang], BRIBE)
        with pytest.raises(ValidationError, match="不是这条举报反映的对象"):
            inq.check_guard(s, officer, a.id, other)


def test_a_refusal_is_kept_under_the_callers_day_never_the_clock(db, officer, zhang):
    from models.entities import GuardRefusal

    with db.session() as s:
        a = make_accusation(s, officer, [zhang], "反映张建国同志作风有问题，群众意见很大。", category="违反工作纪律",
                            specific=False, verifiable=False)
    with db.session() as s:
        assert inq.check_guard(s, officer, a.id, zhang).blocked  # no day given: a look, not a counted refusal
        assert s.query(GuardRefusal).count() == 0
        with pytest.raises(inq.GuardBlocked):
            inq.create_inquiry(s, officer, a.id, zhang, date(2024, 3, 5))  # refused on the day it was to be sent
    with db.session() as s:
        assert [(r.first_on, r.last_on) for r in s.query(GuardRefusal)] == [(date(2024, 3, 5), date(2024, 3, 5))]
