"""The visit lists at scale: one page (offset, limit) of plain rows from a fixed number of queries, counts that
match the lists, and open plans cancelled when their decision or cadre is withdrawn (the 工作台 counts rely on it)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from models.services import dashboard
from models.services.cadres import editing as cadre_editing
from models.services.handling import register as handling_register
from models.derived import visit_plans
from models.services.visits import plans as visit_plan_list
from models.services.visits import records as visit_records
from models.derived.restrictions import recompute_cadre
from models.entities import Handling, Review, VisitPlan
from models.entities.visit import CADRE_WITHDRAWN_NOTE, HANDLING_WITHDRAWN_NOTE
from models.services.unit_names import list_labels
from tests.handling_helpers import add_cadre, add_unit
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2024, 4, 10)
VISITORS = [{"name": "李喆", "post": "区纪委第一纪检监察室主任"}, {"name": "赵〇明", "post": "区委组织部干部科科长"}]


@pytest.fixture
def case(db):
    with db.session() as s:
        unit = add_unit(s, "某某区发展和改革局")
        ids = {}
        for name in ("王堃", "李明", "赵华"):
            cadre = add_cadre(s, name, unit)
            h = Handling(cadre_id=cadre.id, regime="party", kind="serious_warning", effective_on=date(2024, 3, 15),
                         decided_on=date(2024, 3, 12), organ="中共某某区纪委")
            s.add(h)
            s.flush()
            recompute_cadre(s, cadre.id)
            ids[name] = (cadre.id, h.id)
        visit_plans.sync_plans_for_cadres(s, [c for c, _h in ids.values()], TODAY)
        return ids


def _visit(s, actor, hid, day):
    return visit_records.record_visit(s, actor, visit_records.VisitInput(handling_id=hid, visited_on=day, form="谈心谈话",
                                                   visitors=list(VISITORS), evaluation="好"), TODAY)


class Statements:
    def __init__(self, session):
        self.n = 0
        self.engine = session.get_bind()

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.n += 1


def test_visits_are_paged_newest_first_and_counted_with_the_same_filters(db, officer, admin, case):
    with db.session() as s:
        for n, (name, (_cid, hid)) in enumerate(case.items()):
            _visit(s, officer, hid, date(2024, 4, 1 + n))
        first = visit_records.list_visits(s, officer, limit=2)
        rest = visit_records.list_visits(s, officer, limit=2, offset=2)
        assert [r.cadre_name for r in first + rest] == ["赵华", "李明", "王堃"]
        assert visit_records.count_visits(s, officer) == 3
        assert visit_records.count_visits(s, officer, date_from=date(2024, 4, 2)) == 2
        assert visit_records.count_visits(s, officer, cadre_id=case["王堃"][0]) == 1
        visit_records.withdraw_visit(s, officer, rest[0].id, "录入重复，作废")
        assert visit_records.count_visits(s, officer) == 2 and len(visit_records.list_visits(s, officer)) == 2
        assert visit_records.count_visits(s, admin, include_withdrawn=True) == 3
        assert visit_records.count_visits(s, officer, include_withdrawn=True) == 2  # only administrators see withdrawn ones


def test_list_rows_take_a_fixed_number_of_queries_and_show_the_kind_in_force(db, officer, case):
    with db.session() as s:
        for n, (_cid, hid) in enumerate(case.values()):
            _visit(s, officer, hid, date(2024, 4, 1 + n))
        hid = case["李明"][1]
        s.add(Review(handling_id=hid, track="复审", decided_on=date(2024, 4, 5), outcome="changed", new_kind="warning"))
        s.flush()
        recompute_cadre(s, case["李明"][0])
        s.expunge_all()  # nothing already loaded: a lazy load per row would show as extra statements
        list_labels(s)  # the unit labels are read once and then only checked (one small query)
        with Statements(s) as visits_sql:
            visits = visit_records.list_visits(s, officer)
        with Statements(s) as plans_sql:
            plans = visit_plan_list.list_plans(s, READER, TODAY, "all")
        # the rows, the reviews, the unit labels' check (and the plan filter's setting)
        assert visits_sql.n <= 3 and plans_sql.n <= 4
        labels = {r.cadre_name: r.handling_label for r in visits}
        assert "警告" in labels["李明"] and "严重警告" not in labels["李明"]
        assert "严重警告" in labels["王堃"]
        assert {p.handling_label for p in plans if p.cadre_name == "李明"} == {labels["李明"]}


def test_plans_are_paged_and_counted_alike(db, case):
    with db.session() as s:
        for which in visit_plan_list.PLAN_FILTERS:
            everything = visit_plan_list.list_plans(s, READER, TODAY, which, limit=None)
            assert visit_plan_list.count_plans(s, READER, TODAY, which) == len(everything)
            assert [p.id for p in visit_plan_list.list_plans(s, READER, TODAY, which, limit=2, offset=1)] == [p.id for p in everything[1:3]]
        assert visit_plan_list.count_plans(s, READER, TODAY, "all") > visit_plan_list.count_plans(s, READER, TODAY, "due") == 3
        assert [p.due_by for p in everything] == sorted(p.due_by for p in everything)


def test_withdrawing_a_decision_cancels_its_open_plans_even_without_a_sync(db, officer, case):
    cid, hid = case["王堃"]
    with db.session() as s:
        assert dashboard.count_visits_due(s, READER, TODAY) == 3
        version = s.get(Handling, hid).version
        handling_register.withdraw_handling(s, officer, hid, "录入重复，作废", version)  # no `today`: no plan sync
        plans = s.query(VisitPlan).filter_by(handling_id=hid).all()
        assert plans and {p.status for p in plans} == {"cancelled"}
        assert {p.note for p in plans} == {HANDLING_WITHDRAWN_NOTE}
        assert dashboard.count_visits_due(s, READER, TODAY) == 2 == len(dashboard.list_visits_due(s, READER, TODAY))
        assert visit_plan_list.count_plans(s, READER, TODAY, "open") == len(visit_plan_list.list_plans(s, READER, TODAY, "open")) == 2 * len(plans)


def test_withdrawing_a_cadre_cancels_the_plans_and_a_later_sync_keeps_them_cancelled(db, officer, admin, case):
    cid, hid = case["李明"]
    with db.session() as s:
        overdue_day = date(2024, 7, 1)
        before = dashboard.count_visits_overdue(s, READER, overdue_day)
        cadre_editing.withdraw_cadre(s, officer, cid, "重复录入")
        plans = s.query(VisitPlan).filter_by(cadre_id=cid).all()
        assert {p.status for p in plans} == {"cancelled"} and {p.note for p in plans} == {CADRE_WITHDRAWN_NOTE}
        assert dashboard.count_visits_overdue(s, READER, overdue_day) == before - 1
        assert visit_plan_list.count_plans(s, READER, TODAY, "all") == len(visit_plan_list.list_plans(s, READER, TODAY, "all", limit=None))
        assert cid not in {p.cadre_id for p in visit_plan_list.list_plans(s, READER, TODAY, "all", limit=None)}
        visit_plans.sync_all(s, TODAY)
        assert {p.status for p in s.query(VisitPlan).filter_by(cadre_id=cid)} == {"cancelled"}
        assert dashboard.count_visits_due(s, READER, TODAY) == 2
