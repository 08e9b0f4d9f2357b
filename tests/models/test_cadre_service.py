from datetime import date

import pytest

from models.services.cadres import appointment_text
from models.services.cadres import editing as cadre_editing
from models.services.cadres import profile as cadre_profile
from models.services.cadres import search as cadre_search
from models.services import units as unit_service
from models.reference import id_number
from models.entities import AuditEvent, Cadre, Commendation, Handling
from models.core.errors import ConflictError, PermissionDenied, ValidationError
from models.derived.restrictions import recompute_cadre

TODAY = date(2024, 6, 1)


def idn(born=date(1975, 3, 15), g="男", seq=123):
    return id_number.make_id_number("420102", born, seq, g)


def make(s, actor, name="张三", **kw):
    data = {"name": name, "id_number": kw.pop("id_number", idn(seq=kw.pop("seq", 123)))}
    data.update(kw)
    return cadre_editing.create_cadre(s, actor, data, today=TODAY)


def test_create_reads_birth_and_gender_from_id_and_stores_pinyin(db, officer):
    with db.session() as s:
        saved = make(s, officer, name="曾　国藩", id_number=idn(date(1980, 2, 29), "女").lower())
    with db.session() as s:
        c = s.get(Cadre, saved.id)
        assert (c.name, c.name_pinyin, c.name_initials) == ("曾国藩", "zengguofan", "zgf")
        assert c.birth_date == date(1980, 2, 29) and c.gender == "女"
        assert s.query(AuditEvent).filter_by(entity="cadre", action="create").count() == 1


def test_gender_and_birth_checked_against_id(db, officer):
    with db.session() as s:
        with pytest.raises(ValidationError) as e:
            make(s, officer, gender="女")
        assert e.value.field == "gender" and "第17位表明为男" in e.value.message
        with pytest.raises(ValidationError) as e:
            make(s, officer, birth_date=date(1976, 3, 15))
        assert e.value.field == "birth_date" and "1975-03-15" in e.value.message
        # the 任免表 has only year and month: 1975-03-01 is accepted and the exact day taken from the number
        saved = make(s, officer, birth_date=date(1975, 3, 1))
        assert s.get(Cadre, saved.id).birth_date == date(1975, 3, 15)


def test_bad_id_and_future_dates_and_required_name(db, officer):
    with db.session() as s:
        bad = idn()[:17] + ("0" if idn()[17] != "0" else "1")
        with pytest.raises(ValidationError) as e:
            make(s, officer, id_number=bad)
        assert e.value.field == "id_number" and "校验位不符" in e.value.message
        with pytest.raises(ValidationError) as e:
            make(s, officer, work_started=date(2025, 1, 1))
        assert e.value.field == "work_started" and "将来" in e.value.message
        with pytest.raises(ValidationError) as e:
            make(s, officer, name="  ")
        assert e.value.field == "name"
        with pytest.raises(ValidationError) as e:
            make(s, officer, work_started=date(1970, 1, 1))
        assert "早于出生日期" in e.value.message


def test_duplicate_id_refused_naming_existing(db, officer):
    with db.session() as s:
        first = make(s, officer, name="李四")
    with db.session() as s:
        with pytest.raises(cadre_editing.DuplicateCadreError) as e:
            make(s, officer, name="李四四")
        assert e.value.existing_id == first.id and "李四" in e.value.message and f"编号{first.id}" in e.value.message
        assert isinstance(e.value, ConflictError)


def test_update_with_stale_version_names_changed_fields(db, officer, admin):
    with db.session() as s:
        saved = make(s, officer, rank="一级科员")
        original = cadre_editing.form_values(s, officer, saved.id)
    with db.session() as s:  # someone else saves first
        cadre_editing.update_cadre(s, admin, saved.id, {"rank": "四级主任科员"}, version=original["version"], today=TODAY)
    with db.session() as s:
        with pytest.raises(cadre_editing.StaleCadreError) as e:
            cadre_editing.update_cadre(s, officer, saved.id, {"current_post": "科长"}, version=original["version"],
                            original=original, today=TODAY)
        assert e.value.changed == ["职级"] and "职级已改变" in e.value.message and "admin" in e.value.message
    with db.session() as s:
        assert s.get(Cadre, saved.id).current_post is None


def test_update_family_and_assessments_bumps_version_and_audits(db, officer):
    with db.session() as s:
        saved = make(s, officer)
    with db.session() as s:
        res = cadre_editing.update_cadre(s, officer, saved.id, {
            "family": [{"relation": "妻子", "name": "王　芳", "birth": "1977.05"}],
            "assessments": [(2021, "称职"), (2022, "称职"), (2023, "优秀")]}, version=saved.version, today=TODAY)
        assert res.version == saved.version + 1
    with db.session() as s:
        d = cadre_profile.detail(s, officer, saved.id, today=TODAY)
        assert d.family[0]["name"] == "王芳" and d.family[0]["birth"] == "197705"
        assert d.assessment_text == "2021年度、2022年度考核称职，2023年度考核优秀"
        assert d.age == 49
        ev = s.query(AuditEvent).filter_by(entity="cadre", action="update").one()
        assert "family" in ev.after


def test_withdraw_hides_from_search_for_officer_but_not_admin(db, officer, admin):
    with db.session() as s:
        saved = make(s, officer, name="王五")
        with pytest.raises(ValidationError):
            cadre_editing.withdraw_cadre(s, officer, saved.id, "")
        cadre_editing.withdraw_cadre(s, officer, saved.id, "重复录入")
    with db.session() as s:
        assert cadre_search.search(s, officer, cadre_search.CadreFilter(text="王五")) == []
        assert [r.id for r in cadre_search.search(s, admin, cadre_search.CadreFilter(text="王五", include_withdrawn=True))] == [saved.id]


def _seed_search(s, officer):
    city = unit_service.ensure_unit(s, officer, "某某市")
    dept = unit_service.ensure_unit(s, officer, "某某市/组织部")
    office = unit_service.ensure_unit(s, officer, "某某市/组织部/干部科")
    other = unit_service.ensure_unit(s, officer, "另一区/财政局")
    people = [("张三", office, "一级科员", "公务员", 1), ("张三丰", dept, "四级调研员", "参公", 2),
              ("单田芳", other, "一级科员", "公务员", 3), ("李四", city, "二级主任科员", "公务员", 4),
              ("曾国藩", other, "一级科员", "事业管理", 5)]
    ids = {}
    for name, unit, rank, cat, seq in people:
        ids[name] = make(s, officer, name=name, seq=seq * 10 + 1, unit_id=unit, rank=rank, identity_category=cat).id
    return ids, {"city": city, "dept": dept, "office": office, "other": other}


def names(rows):
    return [r.name for r in rows]


def test_search_by_name_pinyin_initials_id_unit(db, officer, viewer):
    with db.session() as s:
        ids, units = _seed_search(s, officer)
        flt = cadre_search.CadreFilter
        assert names(cadre_search.search(s, officer, flt(text="张"))) == ["张三", "张三丰"]
        assert names(cadre_search.search(s, officer, flt(text="三丰"))) == ["张三丰"]
        assert names(cadre_search.search(s, officer, flt(text="zs"))) == ["张三", "张三丰"]
        assert names(cadre_search.search(s, officer, flt(text="ZSF"))) == ["张三丰"]
        assert names(cadre_search.search(s, officer, flt(text="shantian"))) == ["单田芳"]  # 单 read as shan
        assert names(cadre_search.search(s, officer, flt(text="zgf"))) == ["曾国藩"]
        assert names(cadre_search.search(s, officer, flt(text="guofan"))) == ["曾国藩"]
        number = s.get(Cadre, ids["李四"]).id_number
        assert names(cadre_search.search(s, officer, flt(text=number[10:16]))) == ["李四"]
        assert cadre_search.search(s, viewer, flt(text=number[10:16])) == []  # no probing without the permission
        assert "*" in cadre_search.search(s, viewer, flt(text="李四"))[0].id_number
        assert names(cadre_search.search(s, officer, flt(text="财政"))) == ["单田芳", "曾国藩"]
        assert names(cadre_search.search(s, officer, flt(text="张 组织部"))) == ["张三", "张三丰"]
        assert len(cadre_search.search(s, officer, flt(text="[*?"))) == 5  # GLOB characters are dropped, not interpreted
        assert cadre_search.count(s, officer, flt(text="zs")) == 2


def test_search_filters_and_sorting(db, officer):
    with db.session() as s:
        ids, units = _seed_search(s, officer)
        flt = cadre_search.CadreFilter
        assert names(cadre_search.search(s, officer, flt(unit_id=units["dept"]))) == ["张三", "张三丰"]  # with sub-units
        assert names(cadre_search.search(s, officer, flt(unit_id=units["office"]))) == ["张三"]
        assert names(cadre_search.search(s, officer, flt(identity_category="参公"))) == ["张三丰"]
        assert names(cadre_search.search(s, officer, flt(rank="一级科员"))) == ["单田芳", "曾国藩", "张三"]  # pinyin order
        s.get(Cadre, ids["李四"]).off_date = date(2025, 1, 1)
        s.get(Cadre, ids["张三"]).off_date = date(2024, 1, 1)
        s.flush()
        assert names(cadre_search.search(s, officer, flt(in_impact_period=True, today=TODAY))) == ["李四"]
        by_rank = cadre_search.search(s, officer, sort="rank", descending=True)
        assert [r.rank for r in by_rank] == sorted([r.rank for r in by_rank], reverse=True)
        page1 = cadre_search.search(s, officer, limit=2)
        page2 = cadre_search.search(s, officer, offset=2, limit=2)
        assert len(page1) == 2 and len(page2) == 2 and not set(names(page1)) & set(names(page2))


def test_units_by_path_or_name(db, officer):
    with db.session() as s:
        a = unit_service.ensure_unit(s, officer, "某某市/组织部")
        assert unit_service.ensure_unit(s, officer, "某某市 / 组织部") == a
        assert unit_service.find_unit(s, "组织部") == a
        b = unit_service.ensure_unit(s, officer, "另一市/组织部")
        with pytest.raises(ValidationError, match="2个单位都叫“组织部”"):
            unit_service.find_unit(s, "组织部")
        assert unit_service.find_unit(s, "另一市/组织部") == b
        assert [u.full_name for u in unit_service.list_units(s)][:2] == ["某某市", "某某市/组织部"]


def test_upsert_from_import_creates_then_updates_never_duplicates(db, officer):
    number = idn(seq=555)
    with db.session() as s:
        r1 = cadre_editing.upsert_cadre_from_import(s, officer, {"name": "赵　六", "id_number": " " + number.lower() + " ",
                                                     "unit": "某某市/财政局", "rank": "一级科员"}, today=TODAY)
        assert r1.created
        r2 = cadre_editing.upsert_cadre_from_import(s, officer, {"name": "赵六", "id_number": number, "rank": "四级主任科员",
                                                     "current_post": ""}, today=TODAY)
        assert not r2.created and r2.id == r1.id and r2.changed == ("职级",)
        r3 = cadre_editing.upsert_cadre_from_import(s, officer, {"name": "赵六", "id_number": number}, today=TODAY)
        assert r3.changed == ()
        assert s.query(Cadre).count() == 1
        assert s.get(Cadre, r1.id).unit.name == "财政局"


def test_rewards_and_sanctions_text(db, officer):
    with db.session() as s:
        saved = make(s, officer)
        assert appointment_text.rewards_and_sanctions_text(s, saved.id) == "无"
        s.add(Commendation(cadre_id=saved.id, kind="记三等功", awarded_on=date(2019, 12, 20), organ="某某市人民政府"))
        s.add(Commendation(cadre_id=saved.id, kind="百佳公务员", honour="2020年度百佳公务员", awarded_on=date(2021, 2, 1)))
        s.add(Commendation(cadre_id=saved.id, kind="嘉奖", awarded_on=date(2018, 1, 1), revoked_on=date(2018, 6, 1),
                           revoked_reason="弄虚作假"))
        h = Handling(cadre_id=saved.id, regime="party", kind="serious_warning", effective_on=date(2022, 3, 10),
                     organ="中共某某市纪委")
        s.add(h)
        s.flush()
        recompute_cadre(s, saved.id)
        text = appointment_text.rewards_and_sanctions_text(s, saved.id)
        assert text == ("2019年12月被某某市人民政府记三等功；2021年2月被评为“2020年度百佳公务员”；"
                        "2022年3月受到中共某某市纪委党内严重警告处分。")


def test_detail_shows_everything_without_reporter(db, officer, viewer):
    from models.entities import Accusation, AccusationSubject

    with db.session() as s:
        saved = make(s, officer)
        s.add(Handling(cadre_id=saved.id, regime="party", kind="serious_warning", effective_on=date(2023, 3, 10)))
        acc = Accusation(received_on=date(2023, 5, 1), category="作风", summary="反映……", reporter_name="某举报人")
        acc.subjects.append(AccusationSubject(cadre_id=saved.id))
        s.add(acc)
        s.flush()
        recompute_cadre(s, saved.id)
    with db.session() as s:
        d = cadre_profile.detail(s, viewer, saved.id, today=TODAY)
        assert "*" in d.values["id_number"]
        assert d.handlings[0].label == "党纪处分·严重警告"
        assert d.handlings[0].restrictions and d.handlings[0].restrictions[0].off_date is not None
        assert d.accusations[0].category == "作风" and not hasattr(d.accusations[0], "reporter_name")
        assert s.get(Cadre, saved.id).off_date == d.handlings[0].off_date


def test_viewer_cannot_write(db, viewer):
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            make(s, viewer)
