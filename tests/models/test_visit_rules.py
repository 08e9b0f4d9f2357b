"""The 回访 plan rule: plans for each kind at the boundaries, uncovered kinds, revoked and changed decisions."""
from __future__ import annotations

from datetime import date

import pytest

from models.entities import Handling, Review, VisitPlan
from models.derived.restrictions import recompute_cadre
from models.core.errors import ValidationError
from models.rules.engine import RecordInput, Review as RuleReview, evaluate
from models.core.settings_store import DEFAULTS
from models.rules.visit_plan import (
    DEFAULT_COVERED, HandlingFacts, VisitRule, add_months, plan_for, rule_from_json, why_no_plans,
)
from models.derived import visit_plans
from models.services.visits import plans as visit_plan_list
from tests.handling_helpers import add_cadre
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

RULE = VisitRule()


def plans(regime, kind, effective, rule=RULE, **extra):
    res = evaluate([RecordInput(id="1", regime=regime, kind=kind, effective=effective, **extra)]).records[0]
    facts = HandlingFacts(regime, res.kind, effective, res.status)
    return plan_for(facts, res.restrictions, rule)


def by_code(ps):
    return {p.code: p for p in ps}


def test_defaults_in_settings_match_the_rule_class():
    assert rule_from_json(DEFAULTS["visits.rule"]) == VisitRule()
    assert "org.suspension" not in DEFAULT_COVERED and "admonish.admonishment" not in DEFAULT_COVERED
    assert "party.warning" in DEFAULT_COVERED and "inst.dismissal" in DEFAULT_COVERED


def test_party_warning_first_talk_mid_and_last_month():
    ps = plans("party", "warning", date(2024, 3, 15))  # last day 2025-03-14, off 2025-03-15
    assert [p.code for p in ps] == ["first", "mid1", "final"]
    assert [p.seq for p in ps] == [1, 2, 3]
    first, mid, final = ps
    assert (first.due_from, first.due_by) == (date(2024, 3, 15), date(2024, 4, 14))  # 30 days after the decision
    assert (final.due_from, final.due_by) == (date(2025, 2, 15), date(2025, 3, 14))  # last month, to the last day
    assert first.due_by < mid.due_from and mid.due_by < final.due_from
    centre = date(2024, 3, 15) + (date(2025, 3, 15) - date(2024, 3, 15)) / 2
    assert mid.due_from <= centre <= mid.due_by
    assert (mid.due_by - mid.due_from).days == 60  # ± 30 days


def test_final_window_on_month_end_and_leap_february():
    # gov warning 2023-08-31: last day 2024-02-29, off 2024-03-01 (C2)
    final = by_code(plans("gov", "warning", date(2023, 8, 31)))["final"]
    assert (final.due_from, final.due_by) == (date(2024, 2, 1), date(2024, 2, 29))
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


@pytest.mark.parametrize("regime,kind", [
    ("party", "removal_from_party_post"), ("gov", "demotion"), ("gov", "dismissal"), ("inst", "post_grade_lowered"),
    ("party", "expulsion"),
])
def test_heavier_kinds_get_an_extra_visit(regime, kind):
    ps = plans(regime, kind, date(2024, 1, 10))
    mids = [p for p in ps if p.code.startswith("mid")]
    assert len(mids) == 2
    assert "较重" in mids[0].note
    assert mids[0].due_by < mids[1].due_from


@pytest.mark.parametrize("regime,kind", [("party", "serious_warning"), ("gov", "major_demerit"), ("org", "removal")])
def test_lighter_kinds_get_one_visit_during_the_period(regime, kind):
    assert [p.code for p in plans(regime, kind, date(2024, 1, 10))].count("mid1") == 1
    assert "mid2" not in by_code(plans(regime, kind, date(2024, 1, 10)))


def test_probation_visit_before_restoration_and_visits_after_it():
    ps = by_code(plans("party", "probation_1y", date(2022, 5, 10)))  # R 2023-05-10, off 2025-05-10
    assert (ps["restore"].due_from, ps["restore"].due_by) == (date(2023, 4, 10), date(2023, 5, 9))
    assert ps["mid1"].due_from > date(2023, 5, 10)  # during the impact period after the restoration
    assert ps["final"].due_by == date(2025, 5, 9)
    assert [p.seq for p in sorted(ps.values(), key=lambda p: p.seq)] == [1, 2, 3, 4, 5]


def test_permanent_kind_gets_only_the_first_talk():
    ps = plans("gov", "expulsion", date(2024, 6, 1))
    assert [(p.code, p.due_by) for p in ps] == [("first", date(2024, 7, 1))]


def test_uncovered_kinds_get_nothing_and_say_why():
    assert plans("org", "suspension", date(2024, 1, 1)) == []
    assert plans("admonish", "admonishment", date(2024, 1, 1)) == []
    facts = HandlingFacts("admonish", "admonishment", date(2024, 1, 1))
    assert "不在回访范围" in why_no_plans(facts, RULE)
    covered = VisitRule(covered=frozenset(DEFAULT_COVERED) | {"admonish.admonishment"})
    assert [p.code for p in plans("admonish", "admonishment", date(2024, 1, 1), covered)] == ["first", "mid1", "final"]


def test_revoked_decision_gets_no_plans():
    ps = plans("gov", "demerit", date(2024, 4, 1), review=RuleReview(on=date(2024, 7, 15), outcome="revoked"))
    assert ps == []
    assert "撤销" in why_no_plans(HandlingFacts("gov", "demerit", date(2024, 4, 1), "revoked"), RULE)


def test_rule_settings_change_the_plan():
    rule = VisitRule(first_talk_days=15, mid_visits=0, final_visit=False)
    ps = plans("party", "warning", date(2024, 3, 15), rule)
    assert [(p.code, p.due_by) for p in ps] == [("first", date(2024, 3, 30))]


def test_rule_json_is_validated_with_chinese_messages():
    with pytest.raises(ValidationError, match="首次谈话期限"):
        rule_from_json({"first_talk_days": 0})
    with pytest.raises(ValidationError, match="不认识的种类代码：party.nothing"):
        rule_from_json({"covered": ["party.nothing"]})
    assert rule_from_json({"first_talk_days": 45}).first_talk_days == 45


# ------------------------------------------------------------------------------------- stored plans follow the engine


def _decision(s, cadre, regime, kind, effective):
    h = Handling(cadre_id=cadre.id, regime=regime, kind=kind, effective_on=effective)
    s.add(h)
    s.flush()
    recompute_cadre(s, cadre.id)
    return h


def test_revoked_decision_cancels_its_open_plans_but_keeps_them(db, admin):
    with db.session() as s:
        cadre = add_cadre(s, "钱七")
        h = _decision(s, cadre, "gov", "demerit", date(2024, 4, 1))
        assert visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 4, 2)).created == 3
        s.add(Review(handling_id=h.id, track="复审", decided_on=date(2024, 7, 15), outcome="revoked"))
        s.flush()
        s.expire(h, ["reviews"])
        recompute_cadre(s, cadre.id)
        result = visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 7, 16))
        assert result.cancelled == 3
        rows = s.query(VisitPlan).filter_by(handling_id=h.id).all()
        assert len(rows) == 3 and {p.status for p in rows} == {"cancelled"}
        assert all("撤销" in p.note for p in rows)
        assert visit_plan_list.count_plans(s, READER, date(2024, 7, 16), "open") == 0


def test_changed_decision_moves_the_plan_and_cancels_the_extra_visit(db):
    with db.session() as s:
        cadre = add_cadre(s, "孙八")
        h = _decision(s, cadre, "party", "removal_from_party_post", date(2024, 3, 15))  # 24 months, heavy
        visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 3, 20))
        before = {p.code: (p.id, p.due_by) for p in s.query(VisitPlan).filter_by(handling_id=h.id)}
        assert before["final"][1] == date(2026, 3, 14) and "mid2" in before
        s.add(Review(handling_id=h.id, track="申诉", decided_on=date(2024, 6, 1), outcome="changed",
                     new_kind="serious_warning"))
        s.flush()
        s.expire(h, ["reviews"])
        recompute_cadre(s, cadre.id)
        result = visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 6, 2))
        after = {p.code: p for p in s.query(VisitPlan).filter_by(handling_id=h.id)}
        assert after["final"].id == before["final"][0]  # the same row, moved
        assert after["final"].due_by == date(2025, 9, 14)  # 18 months from the original date
        assert after["mid2"].status == "cancelled"
        assert result.moved >= 1 and result.cancelled == 1
        assert visit_plan_list.list_plans(s, READER, date(2024, 6, 2), "all", cadre.id)[0].handling_label == "党纪处分·严重警告"


def test_old_finished_decision_gets_no_plans_but_a_running_one_does(db):
    with db.session() as s:
        cadre = add_cadre(s, "周九")
        _decision(s, cadre, "gov", "warning", date(2019, 1, 1))
        assert visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 1, 1)).created == 0
        _decision(s, cadre, "gov", "demerit", date(2023, 12, 1))
        assert visit_plans.sync_plans_for_cadre(s, cadre.id, date(2024, 1, 1)).created == 3


def test_stale_cadres_are_found_after_a_handling_write(db):
    with db.session() as s:
        cadre = add_cadre(s, "吴十")
        other = add_cadre(s, "郑一")
        _decision(s, cadre, "gov", "warning", date(2024, 5, 1))
        _decision(s, other, "admonish", "admonishment", date(2024, 5, 1))  # not covered: never stale
        today = date(2024, 5, 2)
        assert visit_plans.stale_cadres(s, today) == [cadre.id]
        assert visit_plans.sync_stale(s, today) == 1
        assert visit_plans.stale_cadres(s, today) == []
        assert visit_plan_list.count_plans(s, READER, today, "due") == 1  # the first talk
