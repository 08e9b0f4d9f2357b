"""统计分析 (models/services/statistics.py): the figures on hand-made records, and on a demo database every number
equals the length of the list behind it."""
from __future__ import annotations

from datetime import date

import pytest

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import PermissionDenied, ValidationError
from sqlalchemy import select

from models.entities import Accusation, Cadre, GuardRefusal
from models.reference.four_forms import table as four_forms
from models.rules import rule_table as rt
from models.services import assessments as asv
from models.services import roster
from models.services import commendations as cs
from models.services.handling import register as hs
from models.services.handling import reviews
from models.services import inquiries as inq
from models.services import statistics as st
from tests.handling_helpers import add_cadre, add_unit
from tests.models.accusation_helpers import make_accusation

TODAY = date(2026, 6, 1)


def q(unit_id=None, date_from=date(2024, 1, 1), date_to=date(2025, 12, 31)):
    return st.StatsQuery(date_from, date_to, TODAY, unit_id)


def row(table: st.StatTable, label: str) -> st.StatRow:
    return next(r for r in table.rows if r.label == label)


def test_four_forms_table_maps_every_kind_of_the_rule_table():
    ff = four_forms()
    for regime, spec in rt.TABLE.regimes.items():
        for kind in spec.kinds:
            assert ff.form_of(regime, kind) in (1, 2, 3), f"{regime}.{kind} has no form"
    assert ff.form_of("admonish", "admonishment") == 1 and ff.inquiry_form == 1
    assert ff.form_of("party", "warning") == 2 and ff.form_of("party", "expulsion") == 3
    assert [f.form for f in ff.forms] == [1, 2, 3, 4] and ff.forms[3].not_counted
    assert all(f.sources for f in ff.forms) and {s.id for s in ff.sources} >= {"F1", "F3"}


@pytest.fixture
def office(db, officer):
    """某市 ⊃ 某局 ⊃ 某局办公室, and 另一局; decisions in 2024 and 2025, one withdrawn, one revoked on review."""
    with db.session() as s:
        city = add_unit(s, "某市")
        bureau = add_unit(s, "某局", city)
        desk = add_unit(s, "某局办公室", bureau)
        other = add_unit(s, "另一局", city)
        a, b, c, d = (add_cadre(s, n, u).id for n, u in (("甲", desk), ("乙", bureau), ("丙", other), ("丁", city)))
        units = {"city": city.id, "bureau": bureau.id, "desk": desk.id, "other": other.id}
    made = {}
    with db.session() as s:
        def add(key, cadre, regime, kind, on, organ="某区纪委"):
            made[key] = hs.create_handling(s, officer, hs.HandlingInput(
                cadre_id=cadre, regime=regime, kind=kind, decided_on=on, approved_on=on, organ=organ), TODAY).id
        add("a", a, "gov", "warning", date(2024, 3, 1), "某区监委")
        add("b", b, "party", "warning", date(2025, 2, 1))
        add("c", c, "admonish", "admonishment", date(2025, 5, 1))
        add("d", c, "gov", "dismissal", date(2024, 8, 1), "某区监委")
        add("e", d, "org", "post_adjustment", date(2023, 12, 31))  # before the period
        add("w", b, "gov", "demerit", date(2025, 3, 1))
    with db.session() as s:
        hs.withdraw_handling(s, officer, made["w"], "录入错误，撤回", hs.get_handling(s, officer, made["w"]).version, TODAY)
        reviews.add_review(s, officer, made["a"], track="复核", decided_on=date(2024, 5, 1), outcome="revoked", today=TODAY)
    return units, made, (a, b, c, d)


def test_handling_by_year_regime_unit_and_form(db, admin, office):
    units, _made, cadres = office
    with db.session() as s:
        stats = st.compute(s, admin, q())
        by_year = stats.table("handling_by_year")
        regimes = list(rt.REGIME_LABELS)
        y2024, y2025 = row(by_year, "2024年"), row(by_year, "2025年")
        assert y2024.values[regimes.index("gov")] == 2 and y2024.values[-1] == 2
        assert y2025.values[regimes.index("party")] == 1 and y2025.values[regimes.index("admonish")] == 1
        assert y2025.values[-1] == 2  # the withdrawn 记过 is not counted
        # by unit under 某市: 某局 holds its 办公室 (rolled up), 另一局, and 某市 itself (本级, nothing in the period)
        by_unit = st.compute(s, admin, q(units["city"])).table("handling_by_unit")
        assert row(by_unit, "某局").values[0] == 2
        assert row(by_unit, "另一局").values[0] == 2
        assert row(by_unit, "某市（本级）").values[0] == 0
        assert st.compute(s, admin, q(units["desk"])).table("handling_by_year").total(len(regimes)) == 1
        forms = stats.table("four_forms")
        years = [2024, 2025]
        assert row(forms, "第一种形态").values[:2] == (0, 1)  # 诫勉 2025
        assert row(forms, "第二种形态").values[:2] == (1, 1)  # gov warning 2024, party warning 2025
        assert row(forms, "第三种形态").values[:2] == (1, 0)  # 撤职 2024
        assert row(forms, "第四种形态").values[len(years)] is None


def test_inquiries_count_in_the_first_form_and_the_guard_refusals_are_kept(db, admin, officer, office):
    _units, _made, (a, b, _c, _d) = office
    with db.session() as s:
        vague = make_accusation(s, officer, [a], "听说他有问题", specific=False, received_on=date(2025, 4, 1))
        clear = make_accusation(s, officer, [b], "2025年3月收受某公司购物卡2000元", received_on=date(2025, 4, 2))
        other_vague = make_accusation(s, officer, [b], "群众反映他工作作风不好", specific=False, verifiable=False,
                                      received_on=date(2025, 4, 3))
    with db.session() as s:
        assert inq.check_guard(s, officer, vague.id, a, today=date(2025, 4, 5)).blocked
        assert inq.check_guard(s, officer, other_vague.id, b, today=date(2025, 4, 5)).blocked
        assert not inq.check_guard(s, officer, clear.id, b, today=date(2025, 4, 5)).blocked
    with db.session() as s:
        assert s.query(GuardRefusal).count() == 2  # one row per refused pair; a passed check leaves none
        inq.check_guard(s, officer, vague.id, a, today=date(2025, 4, 6))
        assert s.query(GuardRefusal).count() == 2  # the same pair again: the same row, its last day moved
        assert s.query(GuardRefusal).filter_by(cadre_id=a).one().last_on == date(2025, 4, 6)
        sent = inq.create_inquiry(s, officer, clear.id, b, date(2025, 4, 10), today=TODAY)
        inq.create_inquiry(s, officer, other_vague.id, b, date(2025, 4, 11), today=TODAY,
                           override_reason="上级交办，须书面说明有关情况")
        inq.record_reply(s, officer, sent.id, date(2025, 4, 20), st.TALK, today=TODAY)
    with db.session() as s:
        stats = st.compute(s, admin, q())
        summary = stats.table("accusations")
        assert row(summary, "收到举报").values == (3,)
        assert row(summary, "发出函询").values == (2,)
        assert row(summary, "函询前检查拦下的函询").values == (1,)
        assert row(summary, "检查未通过、写明理由后仍函询").values == (1,)
        first = row(stats.table("four_forms"), "第一种形态")
        assert first.values[1] == 1 + 2  # 诫勉 + two 函询 in 2025
        total, rows = st.list_behind(s, admin, q(), first.drills[1], limit=None)
        assert total == 3 and {r.ref_type for r in rows} == {"handling", "inquiry"}
        # the first form's breakdown: 诫勉, 函询, and the 函询 closed with 谈话提醒; none of them charted or totalled
        forms = stats.table("four_forms")
        assert st.TALK in inq.REPLY_OUTCOMES
        assert row(forms, "其中：诫勉").values[:3] == (0, 1, 1)
        assert row(forms, "其中：函询").values[:3] == (0, 2, 2)
        talked = row(forms, "　其中：函询后谈话提醒")
        assert talked.values[:3] == (0, 1, 1) and talked.part
        total, rows = st.list_behind(s, admin, q(), talked.drills[1], limit=None)
        assert total == 1 and rows[0].ref_type == "inquiry" and st.TALK in rows[0].detail
        assert forms.total(2) == row(forms, "第一种形态").values[2] + row(forms, "第二种形态").values[2] \
            + row(forms, "第三种形态").values[2]
        total, rows = st.list_behind(s, admin, q(), row(summary, "函询前检查拦下的函询").drills[0])
        assert total == 1 and rows[0].cadre_id == a and "举报内容不具体" in rows[0].detail


def test_review_quality_by_organ_and_kind_with_the_share(db, admin, office):
    with db.session() as s:
        stats = st.compute(s, admin, q())
        organ = row(stats.table("review_by_organ"), "某区监委")
        assert organ.values == (2, 0, 1, 0.5)
        kind = row(stats.table("review_by_kind"), rt.full_label("gov", "warning"))
        assert kind.values == (1, 0, 1, 1.0)
        total_row = row(stats.table("review_by_kind"), "合计")
        assert total_row.values[0] == 4 and total_row.values[3] == pytest.approx(0.25)
        n, rows = st.list_behind(s, admin, q(), organ.drills[2])
        assert n == 1 and "已撤销" in rows[0].detail


def test_pipeline_assessment_results_and_actual_use(db, admin, officer, office):
    _units, _made, (a, b, c, d) = office
    with db.session() as s:
        # 甲's warning was revoked; 丙 comes off the 诫勉 on 2025-11-01 and the 撤职 on 2026-08-01
        one = asv.record_assessment(s, officer, b, assessed_on=date(2025, 6, 1), outcome="优秀(可大胆使用)",
                                    recommendation="提拔", today=TODAY)
        asv.record_use(s, officer, one.id, one.version, used_on=date(2025, 9, 1), used_post="某局副局长",
                       use_kind="提拔", today=TODAY)
        asv.record_assessment(s, officer, d, assessed_on=date(2025, 7, 1), outcome="合格(正常使用)",
                              recommendation="平职交流", today=TODAY)
        with pytest.raises(ValidationError):
            asv.record_use(s, officer, one.id, one.version + 1, used_on=date(2025, 9, 1), used_post="x",
                           use_kind="升官", today=TODAY)
    with db.session() as s:
        stats = st.compute(s, admin, q())
        use = stats.table("use_after")
        assert row(use, "提拔").values == (1, 0.5) and row(use, "未调整").values == (1, 0.5)
        outcomes = stats.table("assessment_outcomes")
        assert row(outcomes, "优秀(可大胆使用)").values == (1, 1)
        pipeline = stats.table("pipeline")
        assert row(pipeline, f"{TODAY.isoformat()} 正处于影响期").values == (1,)  # 丙 (撤职 until 2026-08)
        coming = stats.table("coming_off")
        assert [r.label for r in coming.rows][:2] == ["2026-06", "2026-07"] and len(coming.rows) == 12
        assert row(coming, "2026-08").values == (1,)
        n, rows = st.list_behind(s, admin, q(), row(coming, "2026-08").drills[0])
        assert n == 1 and rows[0].cadre_id == c


def test_grassroots_share_against_the_target_in_settings(db, admin, officer):
    with db.session() as s:
        city = add_unit(s, "某市")
        town = add_unit(s, "某街道", city)
        town_row = s.get(type(town), town.id)
        town_row.is_grassroots = True
        a, b, c = add_cadre(s, "甲", town).id, add_cadre(s, "乙", city).id, add_cadre(s, "丙", city).id
        settings_store.put(s, admin, st.TARGET_KEY, 60)
    with db.session() as s:
        for cadre, kind, flags in ((a, "百佳公务员", {"urgent_task": True, "urgent_task_desc": "2025年防汛"}),
                                   (b, "百佳公务员", {}), (c, "嘉奖", {"double_victory": True})):
            cs.create_commendation(s, officer, {"cadre_id": cadre, "kind": kind, "awarded_on": date(2025, 2, 1),
                                                **flags}, today=TODAY)
    with db.session() as s:
        stats = st.compute(s, admin, q())
        share = row(stats.table("grassroots_share"), "2025年")
        assert share.values == (2, 1, 0.5, 0.6)
        assert stats.table("grassroots_share").target == 0.6
        flags = stats.table("urgent_double")
        assert row(flags, "参与急难险重任务").values == (1, 1) and row(flags, "“双胜利”表现突出").values == (1, 1)
        n, rows = st.list_behind(s, admin, q(), share.drills[1])
        assert n == 1 and rows[0].cadre_id == a


def test_reads_need_the_read_permission_and_a_valid_period(db):
    nobody = Actor(username="x", role="guest")
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            st.compute(s, nobody, q())
        with pytest.raises(PermissionDenied):
            st.list_behind(s, nobody, q(), st.drill("handling"))
        viewer = Actor(username="v", role="viewer")
        with pytest.raises(ValidationError, match="晚于结束日期"):
            st.compute(s, viewer, q(date_from=date(2026, 1, 2), date_to=date(2026, 1, 1)))
        with pytest.raises(ValidationError, match="找不到所选单位"):
            st.compute(s, viewer, q(unit_id=9999))
        assert st.compute(s, viewer, q()).unit_name == "全部单位"


def test_on_a_demo_database_every_number_is_the_length_of_its_list(db_path):
    from models.core.actor import CLI_ACTOR
    from models.core.db import open_database
    from models.demo import build_demo

    today = date(2026, 12, 3)
    database = open_database(db_path)
    try:
        build_demo(database, cadres=400, seed=3, today=today, actor=CLI_ACTOR)
        query = st.StatsQuery(date(2023, 1, 1), date(2026, 12, 31), today)
        with database.session() as s:
            stats = st.compute(s, CLI_ACTOR, query)
            checked = 0
            for table, r, col in st.iter_cells(stats):
                if col in table.shares:
                    continue
                n, rows = st.list_behind(s, CLI_ACTOR, query, r.drills[col], limit=None)
                assert n == r.values[col] == len(rows), (table.key, r.label, col)
                checked += 1
            assert checked > 100
            by_year, by_unit = stats.table("handling_by_year"), stats.table("handling_by_unit")
            assert by_year.total(len(by_year.columns) - 1) == by_unit.total(0) > 0  # every unit rolled up once
            assert stats.table("use_after").total(0) > 0  # the demo has expiry assessments
            assert stats.table("accusations").rows[-2].values[0] > 0  # and refusals of the guard

            # a 查阅人 sees the same figures, and no list behind them shows an ID number, a birth date or a reporter
            viewer = Actor(username="v", role="viewer")
            seen = st.compute(s, viewer, query)
            assert [(t.key, r.label, r.values) for t, r, _c in st.iter_cells(seen)] == \
                [(t.key, r.label, r.values) for t, r, _c in st.iter_cells(stats)]
            private = set()
            for number, born in s.execute(select(Cadre.id_number, Cadre.birth_date)):
                private.add(number)
                if born is not None:
                    private.update({born.isoformat(), f"{born.year}.{born.month:02d}.{born.day:02d}"})
            for who, unit, contact in s.execute(select(Accusation.reporter_name, Accusation.reporter_unit,
                                                       Accusation.reporter_contact)):
                private.update(x for x in (who, unit, contact) if x)
            assert len(private) > 400
            shown = set()
            for _t, r, col in st.iter_cells(seen):
                for d in st.list_behind(s, viewer, query, r.drills[col], limit=None)[1]:
                    shown.update((d.name, d.unit_name, d.detail))
            leaks = [text for text in shown for p in private if p in text]
            assert not leaks, leaks[:3]
            # the check can fail: an officer's roster rows carry the full ID number the viewer's never show
            officer = Actor(username="o", role="officer")
            found = roster.rows(s, officer, st._roster_query(query, mode=roster.MODE_IN_PERIOD, on=today), limit=5)
            assert found and all(r.id_number in private for r in found)
    finally:
        database.dispose()


def test_an_accusation_about_several_people_counts_in_the_unit_of_any_of_them(db, admin, officer, office):
    units, _made, (a, _b, c, _d) = office
    with db.session() as s:
        make_accusation(s, officer, [a, c], "二人共同收受某公司购物卡", received_on=date(2025, 4, 1))
    with db.session() as s:
        query = q(units["other"])  # 丙's unit; 甲 (the first subject) is elsewhere
        received = row(st.compute(s, admin, query).table("accusations"), "收到举报")
        assert received.values == (1,)
        n, rows = st.list_behind(s, admin, query, received.drills[0])
        assert n == 1 == len(rows) and rows[0].name.endswith("等2人")
