"""The handling register: decisions, validation, derived dates, overrides, reviews, 留党察看, withdrawal."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.services.handling import overrides as handling_overrides
from models.services.handling import preview as handling_preview
from models.services.handling import register as handling_register
from models.services.handling import reviews as handling_reviews
from models.entities import AuditEvent, Cadre, Handling, Restriction, Review, Task
from models.core.errors import ConflictError, PermissionDenied, ValidationError
from tests.handling_helpers import add_cadre

TODAY = date(2025, 6, 1)


@pytest.fixture
def cadre_id(db):
    with db.session() as s:
        return add_cadre(s, "王五").id


def _gov_demerit(cadre_id, decided=date(2024, 4, 12), **kw):
    return handling_register.HandlingInput(cadre_id=cadre_id, regime="gov", kind="demerit", decided_on=decided,
                            organ="某区监委", doc_number="某监〔2024〕3号", facts="违反规定发放津贴。", **kw)


def test_gov_demerit_effective_defaults_to_decided_and_dates_are_derived(db, officer, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, _gov_demerit(cadre_id), TODAY)
    assert d.data.effective_on == date(2024, 4, 12)
    kinds = {r.kind: r for r in d.restrictions}
    assert set(kinds) == {"NO_PROMOTION", "NO_SALARY_STEP"}
    assert kinds["NO_PROMOTION"].last_day == date(2025, 4, 11)
    assert kinds["NO_PROMOTION"].explanation  # each restriction carries its Chinese explanation
    with db.session() as s:
        assert s.get(Cadre, cadre_id).off_date == date(2025, 4, 12)
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity == "handling")).scalar_one()
        assert ev.action == "create" and "记过" in ev.summary


def test_party_effective_defaults_to_approved_date(db, officer, cadre_id):
    data = handling_register.HandlingInput(cadre_id=cadre_id, regime="party", kind="serious_warning",
                            decided_on=date(2024, 3, 1), approved_on=date(2024, 3, 15))
    with db.session() as s:
        d = handling_register.create_handling(s, officer, data, TODAY)
    assert d.data.effective_on == date(2024, 3, 15)
    assert d.restrictions[0].last_day == date(2025, 9, 14)
    assert d.off_date == date(2025, 9, 15)


@pytest.mark.parametrize("change, field, words", [
    (dict(kind="serious_warning"), "kind", "不是"),
    (dict(effective_on=date(2024, 4, 1)), "effective_on", "早于决定日期"),
    (dict(decided_on=date(2025, 7, 1)), "decided_on", "晚于今天"),
    (dict(probation_extended=True), "probation_extended", "留党察看一年"),
    (dict(restored_on=date(2024, 6, 1)), "restored_on", "只适用于留党察看"),
    (dict(in_lieu_of_revocation=True), "in_lieu_of_revocation", "严重警告"),
    (dict(rules_version="2003"), "rules_version", "党纪处分"),
    (dict(months=60), "months", "上限"),
    (dict(decided_on=None), "effective_on", "决定日期"),
])
def test_invalid_decisions_are_refused_in_chinese(db, officer, cadre_id, change, field, words):
    data = _gov_demerit(cadre_id)
    for k, v in change.items():
        setattr(data, k, v)
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            handling_register.create_handling(s, officer, data, TODAY)
    assert exc.value.field == field and words in exc.value.message
    with db.session() as s:
        assert s.execute(select(Handling)).first() is None


def test_viewer_may_not_record(db, viewer, cadre_id):
    with db.session() as s, pytest.raises(PermissionDenied):
        handling_register.create_handling(s, viewer, _gov_demerit(cadre_id), TODAY)


def test_update_with_stale_version_is_refused(db, officer, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, _gov_demerit(cadre_id), TODAY)
    with db.session() as s:
        new = handling_register.update_handling(s, officer, d.id, _gov_demerit(cadre_id, decided=date(2024, 5, 1)), d.version, TODAY)
    assert new.restrictions[0].start == date(2024, 5, 1) and new.version > d.version
    with db.session() as s, pytest.raises(ConflictError):
        handling_register.update_handling(s, officer, d.id, _gov_demerit(cadre_id), d.version, TODAY)


def test_override_needs_reason_survives_recompute_and_can_be_cleared(db, officer, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, _gov_demerit(cadre_id), TODAY)
    np = next(r for r in d.restrictions if r.kind == "NO_PROMOTION")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        handling_overrides.override_restriction(s, officer, np.id, date(2025, 5, 31), "  ")
    assert exc.value.field == "reason"
    with db.session() as s:
        d2 = handling_overrides.override_restriction(s, officer, np.id, date(2025, 5, 31), "依据市委组织部批复延长")
    np2 = next(r for r in d2.restrictions if r.kind == "NO_PROMOTION")
    assert np2.overridden and np2.last_day == date(2025, 5, 31) and np2.computed_last_day == date(2025, 4, 11)
    assert "已人工修改" in np2.last_day_text
    # another write for the same cadre recomputes everything; the override stays
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre_id, regime="admonish", kind="admonishment",
                                                         decided_on=date(2024, 1, 10)), TODAY)
    with db.session() as s:
        row = s.execute(select(Restriction).where(Restriction.handling_id == d.id,
                                                  Restriction.kind == "NO_PROMOTION")).scalar_one()
        assert row.last_day == date(2025, 5, 31) and row.override_reason == "依据市委组织部批复延长"
        assert s.get(Cadre, cadre_id).off_date == date(2025, 6, 1)
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "override")).scalar_one()
        assert "依据市委组织部批复延长" in ev.summary
        rid = row.id
    with db.session() as s:
        d3 = handling_overrides.override_restriction(s, officer, rid, None, "批复已撤销，恢复计算结果")
    np3 = next(r for r in d3.restrictions if r.kind == "NO_PROMOTION")
    assert not np3.overridden and np3.last_day == date(2025, 4, 11)


def test_revocation_on_review_keeps_the_record_and_creates_restore_task(db, officer, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, _gov_demerit(cadre_id, decided=date(2024, 4, 1)), TODAY)
    with db.session() as s:
        d2 = handling_reviews.add_review(s, officer, d.id, track="复审", decided_on=date(2024, 7, 15), outcome="revoked", today=TODAY)
    assert d2.status == "revoked" and d2.status_label == "已撤销" and d2.restrictions == ()
    assert d2.reviews[0].outcome_label == "撤销"
    with db.session() as s:
        assert s.get(Handling, d.id).withdrawn_at is None  # kept
        assert s.get(Cadre, cadre_id).off_date is None
        task = s.execute(select(Task)).scalar_one()
        assert task.kind == "restore_reputation" and "原宣布范围" in task.title and "王五" in task.title
        rid = s.execute(select(Review.id)).scalar_one()
    # withdrawing the review restores the decision and withdraws the task
    with db.session() as s:
        d3 = handling_reviews.withdraw_review(s, officer, rid, "录入错误，复审未撤销")
    assert d3.status == "in_force" and d3.restrictions
    with db.session() as s:
        assert s.execute(select(Task)).scalar_one().withdrawn_at is not None


def test_changed_to_lighter_recomputes_from_original_date(db, officer, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre_id, regime="gov", kind="major_demerit",
                                                             decided_on=date(2024, 3, 1)), TODAY)
    assert d.restrictions[0].last_day == date(2025, 8, 31)
    with db.session() as s:
        d2 = handling_reviews.add_review(s, officer, d.id, track="复核", decided_on=date(2024, 5, 1), outcome="changed",
                           new_kind="warning", today=TODAY)
    assert d2.status == "changed"
    assert [(r.kind, r.start, r.last_day) for r in d2.restrictions] == [("NO_PROMOTION", date(2024, 3, 1), date(2024, 8, 31))]
    with db.session() as s, pytest.raises(ValidationError) as exc:
        handling_reviews.add_review(s, officer, d.id, track="申诉", decided_on=date(2024, 5, 1), outcome="changed",
                      new_kind="major_demerit", today=TODAY)
    assert exc.value.field == "new_kind"


def test_probation_extension_and_restoration_are_recomputed(db, officer, cadre_id):
    data = handling_register.HandlingInput(cadre_id=cadre_id, regime="party", kind="probation_1y", approved_on=date(2022, 5, 10))
    with db.session() as s:
        d = handling_register.create_handling(s, officer, data, TODAY)
    assert d.off_date == date(2025, 5, 10)
    with db.session() as s:
        d2 = handling_register.set_probation(s, officer, d.id, extended=True, restored_on=None, version=d.version, today=TODAY)
    vote = next(r for r in d2.restrictions if r.kind == "NO_VOTE_ELECT")
    assert vote.last_day == date(2024, 5, 9) and d2.off_date == date(2026, 5, 10)
    with db.session() as s:
        d3 = handling_register.set_probation(s, officer, d.id, extended=True, restored_on=date(2024, 6, 1), version=d2.version,
                              today=TODAY)
    assert d3.off_date == date(2026, 6, 1) and d3.data.restored_on == date(2024, 6, 1)


def test_withdraw_needs_reason_and_clears_derived_dates(db, officer, admin, cadre_id):
    with db.session() as s:
        d = handling_register.create_handling(s, officer, _gov_demerit(cadre_id), TODAY)
    with db.session() as s, pytest.raises(ValidationError):
        handling_register.withdraw_handling(s, officer, d.id, "", d.version)
    with db.session() as s:
        handling_register.withdraw_handling(s, officer, d.id, "重复录入的记录", d.version)
    with db.session() as s:
        assert s.get(Cadre, cadre_id).off_date is None
        assert handling_register.count_handlings(s, officer) == 0
        rows = handling_register.list_handlings(s, admin, handling_register.HandlingFilter(include_withdrawn=True))
        assert [r.withdrawn for r in rows] == [True]


def test_preview_shows_restrictions_without_writing(db, officer, cadre_id):
    with db.session() as s:
        p = handling_preview.preview(s, _gov_demerit(cadre_id), TODAY)
        assert [r.kind for r in p.restrictions] == ["NO_PROMOTION", "NO_SALARY_STEP"]
        assert p.off_date == date(2025, 4, 12) and "draft" not in p.explanation
        assert s.execute(select(Handling)).first() is None
        with pytest.raises(ValidationError):
            handling_preview.preview(s, _gov_demerit(cadre_id, decided=None), TODAY)


def test_list_filters_and_search(db, officer):
    with db.session() as s:
        a = add_cadre(s, "李四", initials="ls").id
        b = add_cadre(s, "赵六", initials="zl").id
    with db.session() as s:
        handling_register.create_handling(s, officer, _gov_demerit(a), TODAY)
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=b, regime="org", kind="removal",
                                                         decided_on=date(2024, 3, 1)), TODAY)
    with db.session() as s:
        assert [r.cadre_name for r in handling_register.list_handlings(s, officer, handling_register.HandlingFilter(text="ls"))] == ["李四"]
        assert [r.label for r in handling_register.list_handlings(s, officer, handling_register.HandlingFilter(regime="org"))] == ["组织处理·免职"]
        assert handling_register.count_handlings(s, officer, handling_register.HandlingFilter(text="某监〔2024〕")) == 1
        assert [c.name for c in handling_register.find_cadres(s, officer, "赵")] == ["赵六"]


def test_explanations_cite_both_articles_and_name_the_earlier_decision_by_its_number(db, officer, cadre_id):
    # 政务处分法: the period is Art 8, the bar on promotion and pay steps Art 19 — both are cited
    with db.session() as s:
        first = handling_register.create_handling(s, officer, _gov_demerit(cadre_id), TODAY)
        second = handling_register.create_handling(s, officer, handling_register.HandlingInput(
            cadre_id=cadre_id, regime="gov", kind="warning", decided_on=date(2024, 10, 8), organ="某区监委",
            doc_number="某监〔2024〕9号"), TODAY)
    text = {r.kind: r.explanation for r in first.restrictions}["NO_PROMOTION"]
    assert text.startswith("依据《公职人员政务处分法》第八条、第十九条：记过")
    later = {r.kind: r.explanation for r in second.restrictions}["NO_PROMOTION"]
    # the earlier decision is named by its 文号, never by an internal record id
    assert "在某监〔2024〕3号决定（记过）的处分期内" in later and "记录" not in later
    with db.session() as s:
        s.get(Handling, first.id).doc_number = None
        from models.derived.restrictions import recompute_cadre
        recompute_cadre(s, cadre_id)
        later = s.execute(select(Restriction.explanation).where(
            Restriction.handling_id == second.id, Restriction.kind == "NO_PROMOTION")).scalar_one()
    assert "在2024年4月12日生效的决定（记过）的处分期内" in later and "记录" not in later
