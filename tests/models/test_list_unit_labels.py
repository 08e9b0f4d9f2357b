"""The 回访教育, 举报/函询 and 澄清正名 lists name a unit as the cadre and handling lists do: its own name where no
other unit bears it, with as much of its path as tells it apart where several do (13 "区财政局" in one tree)."""
from __future__ import annotations

from datetime import date

from models.derived import visit_plans
from models.derived.restrictions import recompute_cadre
from models.entities import Handling, Unit
from models.services import accusations as acc
from models.services import clarifications as clar
from models.services import inquiries as inq
from models.services import units as us
from models.services.visits import plans as visit_plans_list
from models.services.visits import records as visit_records
from tests.handling_helpers import add_cadre
from tests.models.accusation_helpers import make_accusation

TODAY = date(2024, 6, 3)
VISITORS = [{"name": "李喆", "post": "区纪委第一纪检监察室主任"}, {"name": "赵〇明", "post": "区委组织部干部科科长"}]


def test_every_list_tells_two_units_of_one_name_apart(db, officer):
    with db.session() as s:
        fin_a = us.create_unit(s, officer, "区财政局", us.create_unit(s, officer, "江岸区"))
        fin_h = us.create_unit(s, officer, "区财政局", us.create_unit(s, officer, "汉阳区"))
        only = us.create_unit(s, officer, "区住建局")
        a = add_cadre(s, "张建国", s.get(Unit, fin_a)).id
        h = add_cadre(s, "李明华", s.get(Unit, fin_h)).id
        z = add_cadre(s, "王志强", s.get(Unit, only)).id
        for cid in (a, h, z):
            s.add(Handling(cadre_id=cid, regime="party", kind="serious_warning", effective_on=date(2024, 3, 15),
                           decided_on=date(2024, 3, 12), organ="中共某某区纪委"))
            s.flush()
            recompute_cadre(s, cid)
        visit_plans.sync_plans_for_cadres(s, [a, h, z], TODAY)
        for hid in s.query(Handling.id).all():
            visit_records.record_visit(s, officer, visit_records.VisitInput(
                handling_id=hid[0], visited_on=date(2024, 4, 1), form="谈心谈话", visitors=list(VISITORS),
                evaluation="好"), TODAY)
        report = make_accusation(s, officer, [a, h, z], "反映三人违规发放津贴补贴，数额较大。", received_on=date(2024, 1, 5))
        for cid in (a, h, z):
            inq.create_inquiry(s, officer, report.id, cid, date(2024, 1, 8), override_reason="本次反映内容具体，需要本人书面说明情况。")
        acc.set_outcome(s, officer, report.id, "不属实", date(2024, 5, 1))

    want = {"张建国": "江岸区/区财政局", "李明华": "汉阳区/区财政局", "王志强": "区住建局"}
    with db.session() as s:
        assert {r.cadre_name: r.unit_name for r in visit_records.list_visits(s, officer)} == want
        assert {r.cadre_name: r.unit_name for r in visit_plans_list.list_plans(s, officer, TODAY, "all")} == want
        visit = visit_records.list_visits(s, officer)[0]
        assert visit_records.get_visit(s, officer, visit.id).unit_name == want[visit.cadre_name]
        assert [r.unit_name for r in visit_records.find_cadres(s, officer, "李明华")] == ["汉阳区/区财政局"]
        assert {p.name: p.unit_name for p in acc.list_accusations(s, officer)[0].subjects} == want
        assert {p.name: p.unit_name for p in acc.get_accusation(s, officer, report.id).subjects} == want
        assert {r.cadre_name: r.unit_name for r in inq.list_inquiries(s, officer, TODAY)} == want
        assert {r.cadre_name: r.unit_name for r in clar.list_clarifications(s, officer)} == want
        # a notice reads the unit by its own name (and names it in full itself): the single read keeps the leaf
        one = next(r for r in clar.list_clarifications(s, officer) if r.cadre_name == "张建国")
        assert clar.get_clarification(s, officer, one.id).unit_name == "区财政局"


def test_the_handling_dialog_names_the_chosen_persons_unit_as_the_lists_do(db, officer):
    from models.services.handling import register

    with db.session() as s:
        fin_a = us.create_unit(s, officer, "区财政局", us.create_unit(s, officer, "江岸区"))
        us.create_unit(s, officer, "区财政局", us.create_unit(s, officer, "汉阳区"))
        only = us.create_unit(s, officer, "区住建局")
        a = add_cadre(s, "张建国", s.get(Unit, fin_a)).id
        z = add_cadre(s, "王志强", s.get(Unit, only)).id
        assert register.cadre_choice(s, officer, a).unit_name == "江岸区/区财政局"
        assert register.cadre_choice(s, officer, z).unit_name == "区住建局"
