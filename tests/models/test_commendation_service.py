from datetime import date

import pytest

from models.services.cadres import editing as cadre_editing
from models.services import units as unit_service
from models.reference import codes
from models.services import commendations as cms
from models.reference import id_number
from models.derived.restrictions import recompute_cadre
from models.entities import AuditEvent, Commendation, Handling
from models.core.errors import ConflictError, ValidationError

TODAY = date(2024, 6, 1)


def cadre(s, actor, name, seq, **kw):
    return cadre_editing.create_cadre(s, actor, {"name": name, "id_number": id_number.make_id_number(
        "420102", date(1980, 1, 1), seq, "男"), **kw}, today=TODAY).id


def commend(s, actor, cadre_id, kind="嘉奖", on=date(2023, 1, 10), **kw):
    return cms.create_commendation(s, actor, {"cadre_id": cadre_id, "kind": kind, "awarded_on": on, **kw}, today=TODAY)


def test_create_validates_kind_date_and_urgent_task(db, officer):
    with db.session() as s:
        cid = cadre(s, officer, "张三", 11)
        with pytest.raises(ValidationError) as e:
            commend(s, officer, cid, kind="发奖金")
        assert e.value.field == "kind" and "代码表" in e.value.message
        with pytest.raises(ValidationError) as e:
            commend(s, officer, cid, on=date(2025, 1, 1))
        assert e.value.field == "awarded_on"
        with pytest.raises(ValidationError) as e:
            commend(s, officer, cid, urgent_task=True)
        assert e.value.field == "urgent_task_desc"
        with pytest.raises(ValidationError) as e:
            commend(s, officer, cid, kind="授予称号")
        assert e.value.field == "honour"
        saved = commend(s, officer, cid, kind="记三等功", organ="某某市人民政府", doc_number="某政〔2023〕5号",
                        urgent_task=True, urgent_task_desc="2023年防汛", double_victory=True)
        row = s.get(Commendation, saved.id)
        assert (row.kind, row.urgent_task_desc, row.double_victory) == ("记三等功", "2023年防汛", True)
        assert s.query(AuditEvent).filter_by(entity="commendation").count() == 1


def test_local_honours_list_is_editable(db, officer, admin):
    with db.session() as s:
        cid = cadre(s, officer, "张三", 11)
        with pytest.raises(ValidationError):
            commend(s, officer, cid, kind="最美社区工作者")
        codes.save_editable(s, admin, "local_honours", ["百佳公务员", " 最美社区工作者 ", "百佳公务员", ""])
        assert codes.editable(s, "local_honours") == ["百佳公务员", "最美社区工作者"]
        assert commend(s, officer, cid, kind="最美社区工作者").id > 0
        with pytest.raises(ValidationError):
            codes.save_editable(s, admin, "local_honours", [" "])


def test_revoke_keeps_record_marked_and_update_checks_version(db, officer):
    with db.session() as s:
        cid = cadre(s, officer, "张三", 11)
        saved = commend(s, officer, cid)
        with pytest.raises(ValidationError):
            cms.revoke_commendation(s, officer, saved.id, on=date(2023, 2, 1), reason="", today=TODAY)
        with pytest.raises(ValidationError):
            cms.revoke_commendation(s, officer, saved.id, on=date(2022, 2, 1), reason="弄虚作假", today=TODAY)
        revoked = cms.revoke_commendation(s, officer, saved.id, on=date(2023, 2, 1), reason="弄虚作假", today=TODAY)
        assert revoked.version == saved.version + 1
        with pytest.raises(ConflictError):
            cms.revoke_commendation(s, officer, saved.id, on=date(2023, 2, 1), reason="弄虚作假", today=TODAY)
        rows = cms.list_commendations(s, officer)
        assert rows[0].revoked_on == date(2023, 2, 1)
        assert cms.list_commendations(s, officer, include_revoked=False) == []
        with pytest.raises(ConflictError):
            cms.update_commendation(s, officer, saved.id, {"organ": "某局"}, version=saved.version, today=TODAY)
        res = cms.update_commendation(s, officer, saved.id, {"organ": "某局"}, version=revoked.version, today=TODAY)
        assert res.version == revoked.version + 1 and s.get(Commendation, saved.id).revoked_on is not None
        cms.withdraw_commendation(s, officer, saved.id, "录入错误")
        assert cms.list_commendations(s, officer) == []


def test_priority_for_use_excludes_running_restrictions_and_revoked(db, officer):
    with db.session() as s:
        a = cadre(s, officer, "甲一", 11)
        b = cadre(s, officer, "乙二", 21)
        c = cadre(s, officer, "丙三", 31)
        d = cadre(s, officer, "丁四", 41)
        e = cadre(s, officer, "戊五", 51)
        commend(s, officer, a)
        commend(s, officer, b, urgent_task=True, urgent_task_desc="抗洪")
        commend(s, officer, c)
        x = commend(s, officer, d)
        cms.revoke_commendation(s, officer, x.id, on=date(2023, 3, 1), reason="弄虚作假", today=TODAY)
        # c: party serious warning in 2024-01 → no promotion for 18 months: still running on TODAY
        s.add(Handling(cadre_id=c, regime="party", kind="serious_warning", effective_on=date(2024, 1, 10)))
        # a: a warning long ago: off already
        s.add(Handling(cadre_id=a, regime="party", kind="warning", effective_on=date(2020, 1, 10)))
        s.flush()
        recompute_cadre(s, c)
        recompute_cadre(s, a)
        rows = cms.priority_for_use(s, officer, today=TODAY)
        assert [r.name for r in rows] == ["乙二", "甲一"]  # 急难险重 first; 丙三 restricted, 丁四 revoked, 戊五 none
        assert rows[0].urgent_task and rows[0].commendations == 1
        assert e not in [r.cadre_id for r in rows]


def test_grassroots_share_per_year(db, officer):
    with db.session() as s:
        grass_unit = unit_service.ensure_unit(s, officer, "某某区/某某街道")
        s.get(__import__("models.entities", fromlist=["Unit"]).Unit, grass_unit).is_grassroots = True
        a = cadre(s, officer, "甲一", 11, unit_id=grass_unit)
        b = cadre(s, officer, "乙二", 21, is_grassroots=True)
        c = cadre(s, officer, "丙三", 31)
        for cid in (a, b, c):
            commend(s, officer, cid, kind="百佳公务员", on=date(2022, 2, 1))
        commend(s, officer, c, kind="授予称号", honour="2023年度百佳公务员", on=date(2023, 2, 1))
        commend(s, officer, a, kind="嘉奖", on=date(2023, 2, 1))
        shares = cms.grassroots_share(s, officer)
        assert [(y.year, y.total, y.grassroots) for y in shares] == [(2022, 3, 2), (2023, 1, 0)]
        assert round(shares[0].share, 3) == 0.667


def test_priority_pages_in_order_and_count_agrees(db, officer):
    from models.entities import Restriction

    with db.session() as s:
        ids = {name: cadre(s, officer, name, seq) for name, seq in (
            ("王五", 11), ("李四", 21), ("赵六", 31), ("陈七", 41), ("周八", 51), ("吴九", 61), ("郑十", 71))}
        commend(s, officer, ids["王五"], on=date(2023, 1, 10))
        commend(s, officer, ids["李四"], on=date(2023, 1, 10))  # ties with 王五: by pinyin, li before wang
        commend(s, officer, ids["赵六"], on=date(2022, 5, 1))
        commend(s, officer, ids["赵六"], on=date(2023, 5, 1))  # the most recent → before the older ones
        commend(s, officer, ids["陈七"], on=date(2024, 1, 1), double_victory=True)  # 双胜利 → first
        commend(s, officer, ids["周八"], on=date(2018, 1, 1))  # before `since`
        commend(s, officer, ids["吴九"], on=date(2023, 1, 10))
        commend(s, officer, ids["郑十"], on=date(2023, 1, 10), urgent_task=True, urgent_task_desc="抗洪")
        # 吴九: an open-ended promotion-type restriction (no off date) that started: not free for use
        h = Handling(cadre_id=ids["吴九"], regime="party", kind="warning", effective_on=date(2023, 6, 1))
        s.add(h)
        s.flush()
        s.add(Restriction(handling_id=h.id, cadre_id=ids["吴九"], kind="NO_PROMOTION", start=date(2023, 6, 1)))
        # 郑十 retired: not in post
        s.get(__import__("models.entities", fromlist=["Cadre"]).Cadre, ids["郑十"]).status = "退休"
        s.flush()
        since = date(2021, 6, 1)
        full = cms.priority_for_use(s, officer, today=TODAY, since=since)
        assert [r.name for r in full] == ["陈七", "赵六", "李四", "王五"]
        assert full[1].commendations == 2 and full[1].latest_on == date(2023, 5, 1)
        assert full[0].double_victory and not full[0].urgent_task
        assert cms.count_priority(s, officer, today=TODAY, since=since) == 4
        pages = [cms.priority_for_use(s, officer, today=TODAY, since=since, limit=3, offset=o) for o in (0, 3, 6)]
        assert [[r.name for r in p] for p in pages] == [["陈七", "赵六", "李四"], ["王五"], []]
        # without `since` the 2018 one counts too
        assert cms.count_priority(s, officer, today=TODAY) == 5
        # before the restriction started, 吴九 is free
        earlier = date(2023, 5, 1)
        at_earlier = cms.priority_for_use(s, officer, today=earlier)
        assert "吴九" in [r.name for r in at_earlier]
        # judged at `earlier`, the later commendations do not exist yet: 陈七's 2024 one does not count, 赵六 shows
        # his one of 2022 and the one of `earlier` itself
        assert "陈七" not in [r.name for r in at_earlier]
        zhao = next(r for r in at_earlier if r.name == "赵六")
        assert zhao.commendations == 2 and zhao.latest_on == earlier
        assert [r.latest_on for r in cms.priority_for_use(s, officer, today=date(2023, 4, 30)) if r.name == "赵六"] \
            == [date(2022, 5, 1)]
        assert cms.count_priority(s, officer, today=earlier) == len(cms.priority_for_use(s, officer, today=earlier))


def test_list_commendations_pages_and_counts_with_the_same_filters(db, officer):
    with db.session() as s:
        a = cadre(s, officer, "甲一", 11)
        b = cadre(s, officer, "乙二", 21)
        made = [commend(s, officer, a, on=date(2022, 3, d)).id for d in (1, 2, 3)]
        made += [commend(s, officer, b, kind="记三等功", on=date(2023, 3, d)).id for d in (1, 2)]
        cms.revoke_commendation(s, officer, made[0], on=date(2022, 4, 1), reason="弄虚作假", today=TODAY)
        cms.withdraw_commendation(s, officer, made[1], "录入错误")
        assert cms.count_commendations(s, officer) == 4
        first = cms.list_commendations(s, officer, limit=3)
        rest = cms.list_commendations(s, officer, limit=3, offset=3)
        assert [r.awarded_on for r in first + rest] == [date(2023, 3, 2), date(2023, 3, 1), date(2022, 3, 3),
                                                        date(2022, 3, 1)]
        assert cms.count_commendations(s, officer, year=2022) == 2
        assert cms.count_commendations(s, officer, year=2022, include_revoked=False) == 1
        assert cms.count_commendations(s, officer, kind="记三等功") == 2
        assert [r.cadre_name for r in cms.list_commendations(s, officer, kind="记三等功")] == ["乙二", "乙二"]
