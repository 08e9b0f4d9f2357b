"""Visit plans follow every handling write, including withdrawal and an override of the last day."""
from datetime import date

from sqlalchemy import select

from models.services.handling import overrides as handling_overrides
from models.services.handling import register as handling_register
from models.entities import Restriction, VisitPlan
from tests.handling_helpers import add_cadre

TODAY = date(2024, 6, 1)


def _plans(s, handling_id):
    return s.execute(select(VisitPlan.status, VisitPlan.due_by).where(VisitPlan.handling_id == handling_id)
                     .order_by(VisitPlan.id)).all()


def test_withdrawal_cancels_plans_and_override_moves_the_last_visit(db, officer):
    with db.session() as s:
        cadre = add_cadre(s, "单雄信")
        detail = handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre.id, regime="gov", kind="demerit",
                                                                decided_on=date(2024, 4, 1)), TODAY)
        hid = detail.id
        before = _plans(s, hid)
        assert before and all(status == "planned" for status, _ in before)
        last_due = max(d for _, d in before)
        restriction = s.scalar(select(Restriction).where(Restriction.handling_id == hid, Restriction.kind == "NO_PROMOTION"))
        handling_overrides.override_restriction(s, officer, restriction.id, date(2025, 6, 30), "复核后认定处分期顺延三个月", today=TODAY)
        moved = _plans(s, hid)
        assert max(d for st, d in moved if st == "planned") > last_due
    with db.session() as s:
        version = handling_register.get_handling(s, officer, hid).version
        handling_register.withdraw_handling(s, officer, hid, "录入错误，重复登记", version, today=TODAY)
        assert {status for status, _ in _plans(s, hid)} == {"cancelled"}
