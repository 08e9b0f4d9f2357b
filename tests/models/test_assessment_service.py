"""影响期满考核: items, outcome from the editable list, recommendation, actual use; the 考察对象 check."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.services import assessments as asv
from models.services.handling import register as handling_register
from models.core import settings_store
from models.entities import AuditEvent, ExpiryAssessment
from models.core.errors import ConflictError, ValidationError
from tests.handling_helpers import add_cadre

TODAY = date(2025, 6, 1)


@pytest.fixture
def cadre_id(db):
    with db.session() as s:
        return add_cadre(s, "吴十").id


def test_record_assessment_then_actual_use(db, officer, cadre_id):
    with db.session() as s:
        a = asv.record_assessment(s, officer, cadre_id, assessed_on=date(2025, 5, 20), outcome="优秀(可大胆使用)",
                                  recommendation="提拔", items={"政治表现": " 坚定 ", "作风纪律": ""}, today=TODAY)
    assert a.items == {"政治表现": "坚定"} and a.used_on is None
    with db.session() as s:
        b = asv.record_use(s, officer, a.id, a.version, used_on=date(2025, 5, 30), used_post="某局副局长", today=TODAY)
    assert (b.used_on, b.used_post) == (date(2025, 5, 30), "某局副局长")
    with db.session() as s:
        assert s.get(ExpiryAssessment, a.id).used_post == "某局副局长"
        assert [e.summary for e in s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()][-1].startswith(
            "登记期满考核后的使用")
    with db.session() as s, pytest.raises(ConflictError):
        asv.record_use(s, officer, a.id, a.version, used_on=date(2025, 5, 30), used_post="x", today=TODAY)


def test_outcome_must_come_from_the_editable_list(db, admin, officer, cadre_id):
    with db.session() as s, pytest.raises(ValidationError) as exc:
        asv.record_assessment(s, officer, cadre_id, assessed_on=TODAY, outcome="很好", today=TODAY)
    assert exc.value.field == "outcome" and "合格(正常使用)" in exc.value.message
    with db.session() as s:
        settings_store.put(s, admin, "assessment.outcomes", ["好", "较好", "差"])
    with db.session() as s:
        assert asv.record_assessment(s, officer, cadre_id, assessed_on=TODAY, outcome="较好", today=TODAY).outcome == "较好"


@pytest.mark.parametrize("kw, field", [
    (dict(assessed_on=date(2025, 6, 2)), "assessed_on"),
    (dict(recommendation="重用一下"), "recommendation"),
])
def test_invalid_assessment(db, officer, cadre_id, kw, field):
    args = dict(assessed_on=TODAY, outcome="合格(正常使用)", today=TODAY) | kw
    with db.session() as s, pytest.raises(ValidationError) as exc:
        asv.record_assessment(s, officer, cadre_id, **args)
    assert exc.value.field == field


def test_promotion_check_lists_every_running_restriction(db, officer, cadre_id):
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre_id, regime="org", kind="removal",
                                                         decided_on=date(2024, 3, 1)), TODAY)
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre_id, regime="party", kind="serious_warning",
                                                         approved_on=date(2024, 3, 5)), TODAY)
    with db.session() as s:
        early = asv.promotion_check(s, officer, cadre_id, date(2025, 2, 28))
        assert [r.kind for r in early.running] == ["NO_LEADERSHIP_POST", "NO_PROMOTION", "NO_PROMOTION"]
        assert "3 项" in early.message and "第二十四条" in early.message and "由您判断" in early.message
        late = asv.promotion_check(s, officer, cadre_id, date(2025, 9, 5))  # party off 2025-09-05; 免职 runs to 2026-02-28
        assert [(r.handling_label, r.kind) for r in late.running] == [("组织处理·免职", "NO_PROMOTION")]
        assert asv.promotion_check(s, officer, cadre_id, date(2026, 3, 1)).clear
        assert "没有正在执行" in asv.promotion_check(s, officer, cadre_id, date(2026, 3, 1)).message


def test_withdraw_assessment(db, officer, admin, cadre_id):
    with db.session() as s:
        a = asv.record_assessment(s, officer, cadre_id, assessed_on=TODAY, outcome="合格(正常使用)", today=TODAY)
    with db.session() as s:
        asv.withdraw_assessment(s, officer, a.id, a.version, "录入到了错误的干部")
    with db.session() as s:
        assert asv.list_for_cadre(s, officer, cadre_id) == []
        assert len(asv.list_for_cadre(s, admin, cadre_id, include_withdrawn=True)) == 1
