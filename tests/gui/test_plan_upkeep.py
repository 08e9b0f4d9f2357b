"""At start, plans of decisions written without the service (e.g. by another PC) are made in the background, and
the stored explanations an older program wrote (another rule table, another wording) are written anew."""
from datetime import date

from sqlalchemy import func, select, update

from gui.app import start_plan_upkeep
from gui.context import AppContext
from models.derived import restrictions as derived
from models.derived.restrictions import recompute_cadre
from models.entities import Handling, Restriction, Setting, VisitPlan
from tests.handling_helpers import add_cadre


def test_upkeep_makes_missing_plans_and_notifies(qtbot, db, admin):
    with db.session() as s:
        cadre = add_cadre(s, "覃晓东")
        s.add(Handling(cadre_id=cadre.id, regime="gov", kind="major_demerit", effective_on=date(2024, 5, 6)))
        s.flush()
        recompute_cadre(s, cadre.id)
        derived.mark_explanations_current(s)
    ctx = AppContext(db, admin, today_fn=lambda: date(2024, 6, 1))
    with qtbot.waitSignal(ctx.data_changed, timeout=10000) as blocker:
        start_plan_upkeep(ctx)
    assert blocker.args == ["visit_plan"]  # the explanations were current: only the plans changed
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(VisitPlan).where(VisitPlan.status == "planned")) >= 2


OLD_TEXT = "依据《中国共产党组织处理规定（试行）》及《党政领导干部选拔任用工作条例》：免职，影响期二十四个月"


def test_an_old_database_gets_the_explanations_of_this_rule_table_once(qtbot, db, admin):
    with db.session() as s:
        cadre = add_cadre(s, "覃晓东")
        s.add(Handling(cadre_id=cadre.id, regime="org", kind="removal", effective_on=date(2024, 3, 1),
                       doc_number="某组干〔2024〕5号"))
        s.flush()
        recompute_cadre(s, cadre.id)
        # as a database written by the program of rule table 2026.1 holds it: no article, an older stamp
        s.execute(update(Restriction).values(basis="《中国共产党组织处理规定（试行）》及《党政领导干部选拔任用工作条例》",
                                             explanation=OLD_TEXT))
        s.merge(Setting(key=derived.EXPLANATIONS_KEY, value="2026.1/0123456789ab/1"))
    ctx = AppContext(db, admin, today_fn=lambda: date(2024, 6, 1))
    seen: list[str] = []
    ctx.data_changed.connect(seen.append)
    with qtbot.waitSignal(ctx.data_changed, timeout=10000):
        start_plan_upkeep(ctx)
    qtbot.waitUntil(lambda: "visit_plan" in seen, timeout=10000)
    assert seen[0] == "handling"
    with db.session() as s:
        texts = {r.kind: (r.basis, r.explanation) for r in s.scalars(select(Restriction))}
        assert texts["NO_PROMOTION"][0].endswith("《党政领导干部选拔任用工作条例》第二十四条")
        assert "第二十四条：免职，影响期二十四个月" in texts["NO_PROMOTION"][1]
        assert "第二十四条" not in texts["NO_LEADERSHIP_POST"][1]  # the year without a leadership post: no article
        assert derived.explanations_current(s)
        assert derived.refresh_stale_explanations(s) is None  # once: the next start recomputes nothing
