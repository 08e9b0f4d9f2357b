"""The unit tree of a 机构改革: create, rename with history, move (paths of the whole subtree), merge (cadres and
sub-units follow, the unit is withdrawn, never deleted), withdraw only when empty; every change audited."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.core.errors import PermissionDenied, ValidationError
from models.entities import AuditEvent, Cadre, Unit, UnitEvent
from models.services import units as us
from tests.handling_helpers import add_cadre


@pytest.fixture
def tree(db, officer):
    with db.session() as s:
        jiangan = us.create_unit(s, officer, "江岸区")
        hanyang = us.create_unit(s, officer, "汉阳区")
        fin_a = us.create_unit(s, officer, "区财政局", jiangan)
        fin_h = us.create_unit(s, officer, "区财政局", hanyang)
        budget = us.create_unit(s, officer, "预算科", fin_a)
        cadre = add_cadre(s, "张三", s.get(Unit, fin_a)).id
    return dict(jiangan=jiangan, hanyang=hanyang, fin_a=fin_a, fin_h=fin_h, budget=budget, cadre=cadre)


def _paths(s, officer):
    return {u.id: u.full_path for u in us.unit_tree(s, officer)}


def test_tree_tells_two_units_of_one_name_apart(db, officer, tree):
    with db.session() as s:
        nodes = {u.id: u for u in us.unit_tree(s, officer)}
        assert nodes[tree["fin_a"]].full_path == "江岸区/区财政局" and nodes[tree["fin_h"]].full_path == "汉阳区/区财政局"
        assert nodes[tree["fin_a"]].cadres == 1 and nodes[tree["budget"]].depth == 2
        with pytest.raises(ValidationError, match="已有名为“区财政局”"):
            us.create_unit(s, officer, "区财政局", tree["jiangan"])
        with pytest.raises(ValidationError, match="分隔符"):
            us.create_unit(s, officer, "区财政局/预算科")


def test_rename_keeps_the_former_name_in_the_history(db, officer, tree):
    with db.session() as s:
        us.rename_unit(s, officer, tree["fin_a"], "区财政局（区国资局）", effective_on=date(2024, 3, 1),
                       reason="机构改革，江编〔2024〕3号")
    with db.session() as s:
        assert _paths(s, officer)[tree["budget"]] == "江岸区/区财政局（区国资局）/预算科"
        history = us.unit_history(s, officer, tree["fin_a"])
        assert history[-1].text == "2024-03-01 由“区财政局”更名为“区财政局（区国资局）”：机构改革，江编〔2024〕3号"
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity == "unit", AuditEvent.action == "update")).scalar_one()
        assert ev.before == {"name": "区财政局"} and "机构改革" in ev.summary
        with pytest.raises(ValidationError, match="原因"):
            us.rename_unit(s, officer, tree["fin_a"], "区财政局", effective_on=None, reason="")




def test_move_and_its_refusals(db, officer, tree):
    with db.session() as s:
        with pytest.raises(ValidationError, match="已有名为“区财政局”"):
            us.move_unit(s, officer, tree["fin_a"], tree["hanyang"], effective_on=None, reason="区划调整")
        with pytest.raises(ValidationError, match="下级单位之下"):
            us.move_unit(s, officer, tree["jiangan"], tree["budget"], effective_on=None, reason="错误操作")
        us.move_unit(s, officer, tree["budget"], tree["hanyang"], effective_on=date(2024, 5, 1), reason="职能划转")
    with db.session() as s:
        assert _paths(s, officer)[tree["budget"]] == "汉阳区/预算科"
        budget = s.get(Unit, tree["budget"])
        assert budget.path == f"{s.get(Unit, tree['hanyang']).path}{budget.id}/"
        assert "隶属由“江岸区/区财政局”调整为“汉阳区”" in us.unit_history(s, officer, tree["budget"])[-1].text


def test_merge_moves_cadres_and_sub_units_and_withdraws_the_unit(db, officer, tree):
    with db.session() as s:
        version = s.get(Cadre, tree["cadre"]).version
        moved = us.merge_unit(s, officer, tree["fin_a"], tree["fin_h"], effective_on=date(2024, 6, 1),
                              reason="两区财政局合并")
    assert moved == 1
    with db.session() as s:
        cadre = s.get(Cadre, tree["cadre"])
        assert cadre.unit_id == tree["fin_h"] and cadre.version == version + 1
        gone = s.get(Unit, tree["fin_a"])
        assert gone is not None and gone.withdrawn_at is not None and "并入汉阳区/区财政局" in gone.withdrawn_reason
        assert tree["fin_a"] not in _paths(s, officer)
        assert _paths(s, officer)[tree["budget"]] == "汉阳区/区财政局/预算科"
        into = [e.text for e in us.unit_history(s, officer, tree["fin_h"])]
        assert any("“江岸区/区财政局”并入本单位，转入1名干部" in t for t in into)
        assert s.execute(select(UnitEvent.kind).where(UnitEvent.unit_id == tree["fin_a"])).scalars().all() == [
            "create", "merge"]


def test_withdraw_only_an_empty_unit(db, officer, viewer, tree):
    with db.session() as s:
        with pytest.raises(ValidationError, match="还有1名干部、1个下级单位"):
            us.withdraw_unit(s, officer, tree["fin_a"], "撤销")
        us.withdraw_unit(s, officer, tree["budget"], "职能并入局机关")
        assert s.get(Unit, tree["budget"]).withdrawn_reason == "职能并入局机关"
        with pytest.raises(PermissionDenied):
            us.create_unit(s, viewer, "新单位")


def test_list_labels_tell_units_of_one_name_apart(db, officer, tree):
    from models.services.unit_names import list_labels

    with db.session() as s:
        labels = list_labels(s)
        assert labels[tree["fin_a"]] == "江岸区/区财政局" and labels[tree["fin_h"]] == "汉阳区/区财政局"
        assert labels[tree["budget"]] == "预算科" and labels[tree["jiangan"]] == "江岸区"
        us.rename_unit(s, officer, tree["fin_h"], "区财政局（国资）", effective_on=None, reason="机构改革")
    with db.session() as s:  # a rename is seen at once (the labels are cached until the tree changes)
        labels = list_labels(s)
        assert labels[tree["fin_a"]] == "区财政局" and labels[tree["fin_h"]] == "区财政局（国资）"


def test_a_unit_made_from_a_typed_path_has_its_history_too(db, officer, tree):
    with db.session() as s:
        uid = us.ensure_unit(s, officer, "江岸区/区财政局/国库科")
        assert s.get(Unit, uid).parent_id == tree["fin_a"]
        assert [e.text for e in us.unit_history(s, officer, uid)][0].endswith("新增")
