"""The one unit resolver (models/services/units.py): paths against the existing tree, one separator rule."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.core.errors import PermissionDenied, ValidationError
from models.entities import AuditEvent, Unit
from models.services import units as unit_service


def _tree(s, officer):
    """武汉市/江岸区/区财政局 and 武汉市/江汉区/区财政局: two units of the same name."""
    a = unit_service.ensure_unit(s, officer, "武汉市/江岸区/区财政局")
    b = unit_service.ensure_unit(s, officer, "武汉市/江汉区/区财政局")
    return a, b


@pytest.mark.parametrize("sep", ["/", "\\", "／", ">", "＞", " / "])
def test_every_separator_means_the_same(db, officer, sep):
    with db.session() as s:
        a = unit_service.ensure_unit(s, officer, "某某市/组织部")
        assert unit_service.find_unit(s, f"某某市{sep}组织部") == a
        assert unit_service.split_path(f" 某某市{sep}{sep}组织部 ") == ["某某市", "组织部"]


def test_a_path_may_start_below_the_root_and_uses_the_existing_parent(db, officer):
    with db.session() as s:
        unit_service.ensure_unit(s, officer, "武汉市/江岸区/区财政局")
        before = s.scalar(select(func.count()).select_from(Unit))
        kid = unit_service.ensure_unit(s, officer, "区财政局/预算科")
        assert s.scalar(select(func.count()).select_from(Unit)) == before + 1  # only 预算科 is new
        row = s.get(Unit, kid)
        parent = s.get(Unit, row.parent_id)
        assert (row.name, parent.name) == ("预算科", "区财政局")
        assert [u.full_name for u in unit_service.list_units(s) if u.id == kid] == ["武汉市/江岸区/区财政局/预算科"]
        assert unit_service.find_unit(s, "江岸区/区财政局/预算科") == kid
        audit = s.execute(select(AuditEvent.summary).where(AuditEvent.entity == "unit", AuditEvent.entity_id == str(kid)))
        assert audit.scalar_one() == "新增单位 区财政局/预算科"


def test_an_ambiguous_first_name_is_refused_unless_the_rest_tells_them_apart(db, officer):
    with db.session() as s:
        a, b = _tree(s, officer)
        with pytest.raises(ValidationError) as e:
            unit_service.ensure_unit(s, officer, "区财政局/预算科")
        assert "2个单位都叫“区财政局”" in e.value.message and "江岸区/区财政局" in e.value.message
        assert unit_service.find_unit(s, "江汉区/区财政局") == b
        kid = unit_service.ensure_unit(s, officer, "江岸区/区财政局/预算科")
        assert s.get(Unit, kid).parent_id == a
        # now only the 江岸区 one has a 预算科: the longer match decides
        assert unit_service.find_unit(s, "区财政局/预算科") == kid


def test_find_never_creates_and_withdrawn_units_are_not_matched(db, officer):
    with db.session() as s:
        a = unit_service.ensure_unit(s, officer, "某某市/组织部")
        before = s.scalar(select(func.count()).select_from(Unit))
        assert unit_service.find_unit(s, "某某市/宣传部") is None
        assert unit_service.find_unit(s, "  ") is None
        assert s.scalar(select(func.count()).select_from(Unit)) == before
        from datetime import datetime
        s.get(Unit, a).withdrawn_at = datetime(2024, 1, 1)
        s.flush()
        assert unit_service.find_unit(s, "某某市/组织部") is None


def test_dry_run_lists_what_would_be_created_and_creates_nothing(db, officer):
    with db.session() as s:
        unit_service.ensure_unit(s, officer, "某某市")
        before = s.scalar(select(func.count()).select_from(Unit))
        r = unit_service.UnitResolver(s, officer, dry_run=True)
        assert r.resolve("某某市/组织部/干部科") is None
        assert r.created == ["某某市/组织部", "某某市/组织部/干部科"]
        assert s.scalar(select(func.count()).select_from(Unit)) == before


def test_bad_names_and_roles(db, officer, viewer):
    with db.session() as s:
        with pytest.raises(ValidationError, match="工作单位为空"):
            unit_service.ensure_unit(s, officer, " / ")
        with pytest.raises(ValidationError, match="太长"):
            unit_service.ensure_unit(s, officer, "某某市/" + "长" * 201)
        with pytest.raises(PermissionDenied):
            unit_service.ensure_unit(s, viewer, "某某市")


def test_full_names_of_given_units_match_the_whole_tree(db, officer):
    """A document's unit is named from its own path (read with its ancestors only), the same as from the tree."""
    from models.services.unit_names import full_name, full_names

    with db.session() as s:
        a, b = _tree(s, officer)
        kid = unit_service.ensure_unit(s, officer, "武汉市/江岸区/区财政局/预算科")
        for i in range(30):
            unit_service.ensure_unit(s, officer, f"某某县/第{i}局")
        s.flush()
        every = full_names(s)
        assert full_name(s, kid) == every[kid] == "武汉市江岸区财政局预算科"
        assert full_names(s, {a, b}) == {a: every[a], b: every[b]}
        assert every[a] != every[b]
        assert full_names(s, set()) == {}
        assert full_name(s, None) == ""


def test_one_resolver_gives_the_same_unit_for_every_spelling_of_a_path(db, officer):
    """A 台账 names its units row after row: the resolver remembers each text, never a unit it did not make."""
    with db.session() as s:
        preview = unit_service.UnitResolver(s, officer, dry_run=True)
        assert [preview.resolve(t) for t in ("某市/某局", "某市 / 某局", "某市/某局")] == [None, None, None]
        assert preview.created == ["某市", "某市/某局"]
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.name == "某局")) == 0
        resolver = unit_service.UnitResolver(s, officer)
        ids = [resolver.resolve(t) for t in ("某市/某局", "某市 / 某局", "某市/某局", "某市＞某局")]
        assert ids[0] is not None and set(ids) == {ids[0]}
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.name == "某局")) == 1
        with pytest.raises(ValidationError, match="工作单位为空"):
            resolver.resolve(" / ")
        with pytest.raises(ValidationError, match="工作单位为空"):
            resolver.resolve(" / ")  # refused again, not remembered
        looking = unit_service.UnitResolver(s, create=False)
        assert looking.resolve("某市/别的局") is None
        assert looking.resolve("某市/某局") == ids[0]
