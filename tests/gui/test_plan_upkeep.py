"""At start, plans of decisions written without the service (e.g. by another PC) are made in the background."""
from datetime import date

from sqlalchemy import func, select

from gui.app import start_plan_upkeep
from gui.context import AppContext
from models.derived.restrictions import recompute_cadre
from models.entities import Handling, VisitPlan
from tests.handling_helpers import add_cadre


def test_upkeep_makes_missing_plans_and_notifies(qtbot, db, admin):
    with db.session() as s:
        cadre = add_cadre(s, "覃晓东")
        s.add(Handling(cadre_id=cadre.id, regime="gov", kind="major_demerit", effective_on=date(2024, 5, 6)))
        s.flush()
        recompute_cadre(s, cadre.id)
    ctx = AppContext(db, admin, today_fn=lambda: date(2024, 6, 1))
    with qtbot.waitSignal(ctx.data_changed, timeout=10000) as blocker:
        start_plan_upkeep(ctx)
    assert blocker.args == ["visit_plan"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(VisitPlan).where(VisitPlan.status == "planned")) >= 2
