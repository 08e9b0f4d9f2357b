"""工作台 lists on their boundary days: today is the last day, today is the off date, lead-time edges."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.services import assessments as asv
from models.services import dashboard
from models.services.handling import register as handling_register
from models.core import settings_store
from models.entities import Accusation, Clarification, Commendation, Handling, Inquiry, VisitPlan
from tests.handling_helpers import add_cadre
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

# gov.warning decided 2024-01-10: NO_PROMOTION last day 2024-07-09, off date 2024-07-10
DECIDED, LAST, OFF = date(2024, 1, 10), date(2024, 7, 9), date(2024, 7, 10)


@pytest.fixture
def warned(db, officer):
    with db.session() as s:
        cid = add_cadre(s, "钱七").id
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="warning", decided_on=DECIDED),
                           DECIDED)
    return cid


def _names(rows):
    return [r.name for r in rows]


def test_today_is_the_last_day_means_coming_off(db, warned):
    with db.session() as s:
        assert dashboard.count_coming_off(s, READER, LAST, 30) == 1
        rows = dashboard.list_coming_off(s, READER, LAST, 30)
        assert _names(rows) == ["钱七"] and rows[0].when == OFF and "1 天后期满" in rows[0].detail
        assert dashboard.count_awaiting_assessment(s, READER, LAST) == 0


def test_today_is_the_off_date_means_came_off_and_awaits_assessment(db, warned):
    with db.session() as s:
        assert dashboard.count_coming_off(s, READER, OFF, 30) == 0
        assert dashboard.count_awaiting_assessment(s, READER, OFF) == 1
        row = dashboard.list_awaiting_assessment(s, READER, OFF)[0]
        # the row says which decision is expiring (no 文号 recorded: its effective date)
        assert row.detail == "今天期满，待期满考核：政务处分/公务员处分·警告（2024-01-10生效）" and row.handling_id


def test_lead_time_edges(db, warned):
    with db.session() as s:
        assert dashboard.count_coming_off(s, READER, OFF - timedelta(days=30), 30) == 1  # exactly 30 days ahead
        assert dashboard.count_coming_off(s, READER, OFF - timedelta(days=31), 30) == 0
        assert dashboard.count_coming_off(s, READER, OFF - timedelta(days=31), 60) == 1
        assert dashboard.count_coming_off(s, READER, OFF - timedelta(days=91), 90) == 0


def test_lead_days_setting_changes_the_tiles(db, admin, warned):
    with db.session() as s:
        assert [t.key for t in dashboard.tiles(s, READER, LAST)][:3] == ["coming_off_30", "coming_off_60", "coming_off_90"]
        settings_store.put(s, admin, "dashboard.lead_days", [15, 45])
    with db.session() as s:
        tiles = {t.key: t.count for t in dashboard.tiles(s, READER, OFF - timedelta(days=20))}
        assert tiles["coming_off_15"] == 0 and tiles["coming_off_45"] == 1 and "coming_off_30" not in tiles


def test_assessment_after_or_shortly_before_off_date_clears_the_list(db, officer, warned):
    with db.session() as s:
        # 31 days before the off date does not count (assessment.early_days = 30) …
        asv.record_assessment(s, officer, warned, assessed_on=OFF - timedelta(days=31), outcome="合格(正常使用)",
                              today=OFF)
    with db.session() as s:
        assert dashboard.count_awaiting_assessment(s, READER, OFF + timedelta(days=5)) == 1
        # … 30 days before does
        asv.record_assessment(s, officer, warned, assessed_on=OFF - timedelta(days=30), outcome="合格(正常使用)",
                              today=OFF)
    with db.session() as s:
        assert dashboard.count_awaiting_assessment(s, READER, OFF + timedelta(days=5)) == 0
        assert dashboard.awaits_assessment(s, READER, warned, OFF + timedelta(days=5)) is False


def test_retired_and_withdrawn_cadres_are_not_listed(db, officer):
    with db.session() as s:
        cid = add_cadre(s, "退休者", status="退休").id
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="warning", decided_on=DECIDED),
                           DECIDED)
    with db.session() as s:
        assert dashboard.count_coming_off(s, READER, LAST, 30) == 0 and dashboard.count_awaiting_assessment(s, READER, OFF) == 0


def test_visits_due_and_overdue_on_boundaries(db, warned):
    with db.session() as s:
        # recording the decision made its visit plans (models.derived.visit_plans); set them aside for exact dates
        assert s.query(VisitPlan).filter(VisitPlan.status == "planned").count() >= 1
        s.query(VisitPlan).update({VisitPlan.status: "cancelled"})
        hid = s.query(Handling.id).scalar()
        s.add(VisitPlan(handling_id=hid, cadre_id=warned, seq=1, purpose="期中回访", due_from=date(2024, 4, 1),
                        due_by=date(2024, 4, 30)))
        s.add(VisitPlan(handling_id=hid, cadre_id=warned, seq=2, purpose="期满前回访", due_by=date(2024, 7, 1)))
        s.add(VisitPlan(handling_id=hid, cadre_id=warned, seq=3, purpose="已完成", due_by=date(2024, 3, 1), status="done"))
    with db.session() as s:
        assert dashboard.count_visits_due(s, READER, date(2024, 3, 31)) == 0
        assert dashboard.count_visits_due(s, READER, date(2024, 4, 1)) == 1  # window opens
        assert dashboard.count_visits_due(s, READER, date(2024, 4, 30)) == 1  # last day of the window
        assert dashboard.count_visits_overdue(s, READER, date(2024, 4, 30)) == 0
        assert dashboard.count_visits_overdue(s, READER, date(2024, 5, 1)) == 1
        assert "已逾期 1 天" in dashboard.list_visits_overdue(s, READER, date(2024, 5, 1))[0].detail
        # no due_from: due within the first lead time (30 days) before due_by
        assert dashboard.count_visits_due(s, READER, date(2024, 6, 1)) == 1
        assert dashboard.count_visits_due(s, READER, date(2024, 5, 31)) == 0


def test_inquiries_overdue_and_clarifications_waiting(db, warned):
    with db.session() as s:
        acc = Accusation(received_on=date(2024, 1, 2), category="其他", summary="反映问题", outcome_on=date(2024, 3, 1))
        s.add(acc)
        s.flush()
        s.add(Inquiry(accusation_id=acc.id, cadre_id=warned, sent_on=date(2024, 2, 1), due_on=date(2024, 2, 22)))
        s.add(Inquiry(accusation_id=acc.id, cadre_id=warned, sent_on=date(2024, 2, 1), due_on=date(2024, 2, 10),
                      replied_on=date(2024, 2, 9)))
        s.add(Clarification(accusation_id=acc.id, cadre_id=warned, status="pending"))
        s.add(Clarification(accusation_id=acc.id, cadre_id=warned, status="done"))
    with db.session() as s:
        assert dashboard.count_inquiries_overdue(s, READER, date(2024, 2, 22)) == 0  # due today: not yet overdue
        assert dashboard.count_inquiries_overdue(s, READER, date(2024, 2, 23)) == 1
        assert dashboard.count_clarifications_waiting(s, READER, date(2024, 3, 2)) == 1
        assert _names(dashboard.list_clarifications_waiting(s, READER, date(2024, 3, 2))) == ["钱七"]


def test_recommended_for_use_needs_commendation_and_no_running_restriction(db, warned):
    with db.session() as s:
        clean = add_cadre(s, "孙八").id
        s.add(Commendation(cadre_id=clean, kind="嘉奖", awarded_on=date(2023, 12, 1)))
        s.add(Commendation(cadre_id=warned, kind="嘉奖", awarded_on=date(2023, 12, 1)))
        old = add_cadre(s, "周九").id
        s.add(Commendation(cadre_id=old, kind="嘉奖", awarded_on=date(2019, 12, 1)))
    with db.session() as s:
        assert _names(dashboard.list_recommended(s, READER, LAST)) == ["孙八"]  # 钱七 still restricted on the last day
        assert sorted(_names(dashboard.list_recommended(s, READER, OFF))) == ["孙八", "钱七"]
        assert dashboard.count_recommended(s, READER, OFF) == 2


def test_awaiting_assessment_lookback_window(db, admin, warned):
    with db.session() as s:
        assert dashboard.count_awaiting_assessment(s, READER, OFF + timedelta(days=365)) == 1  # exactly 365 days back
        assert dashboard.count_awaiting_assessment(s, READER, OFF + timedelta(days=366)) == 0
        settings_store.put(s, admin, "assessment.lookback_days", 0)  # 0 = no limit
    with db.session() as s:
        assert dashboard.count_awaiting_assessment(s, READER, OFF + timedelta(days=3000)) == 1


def test_recommended_list_pages_in_sql_and_agrees_with_count(db, warned):
    with db.session() as s:
        for n, name in enumerate(("孙八", "周九", "吴十")):
            cid = add_cadre(s, name).id
            for k in range(n + 1):
                s.add(Commendation(cadre_id=cid, kind="嘉奖", awarded_on=date(2023, 12, 1 + k)))
    with db.session() as s:
        everyone = _names(dashboard.list_recommended(s, READER, OFF, limit=None))
        assert everyone[:3] == ["吴十", "周九", "孙八"]  # by number of commendations
        assert dashboard.count_recommended(s, READER, OFF) == len(everyone) == 3
        assert _names(dashboard.list_recommended(s, READER, OFF, limit=2, offset=1)) == ["周九", "孙八"]
        assert dashboard.rows(s, READER, "recommended", OFF, 1, 2)[0].detail.startswith("受表彰奖励 1 次")


def test_rows_name_the_decision_in_its_current_kind_after_an_appeal(db, officer):
    from models.services.handling import reviews as handling_reviews

    with db.session() as s:
        cid = add_cadre(s, "孙八").id
    with db.session() as s:
        d = handling_register.create_handling(s, officer, handling_register.HandlingInput(
            cadre_id=cid, regime="party", kind="serious_warning", decided_on=date(2024, 1, 5),
            approved_on=date(2024, 1, 10), doc_number="武纪〔2024〕3号"), date(2024, 2, 1))
        handling_reviews.add_review(s, officer, d.id, track="申诉", decided_on=date(2024, 3, 1), outcome="changed",
                                    new_kind="warning", today=date(2024, 3, 2))
    with db.session() as s:
        rows = dashboard.list_coming_off(s, READER, date(2024, 12, 20), 60)
    assert [r.name for r in rows] == ["孙八"]
    assert rows[0].detail.endswith("：党纪处分·警告（武纪〔2024〕3号）") and rows[0].handling_id == d.id
    with db.session() as s:  # the register and the cadre's page also show the kind in force
        listed = handling_register.list_handlings(s, officer, handling_register.HandlingFilter(cadre_id=cid))
        assert [r.label for r in listed] == ["党纪处分·警告"]
        from models.services.cadres import profile

        assert [h.label for h in profile.detail(s, officer, cid, today=date(2024, 12, 20)).handlings] == ["党纪处分·警告"]


def test_pages_of_tasks_and_waiting_clarifications_are_slices_of_the_whole_list(db):
    """The page is chosen before the cadre and unit are joined: every page is exactly its slice of the full list,
    in the same order, and the pages together are the list the count counts."""
    from models.core.actor import CLI_ACTOR
    from models.demo import build_demo

    today = date(2026, 6, 1)
    build_demo(db, cadres=1500, seed=3, today=today, actor=CLI_ACTOR)
    with db.session() as s:
        for key in ("tasks_open", "clarifications_waiting"):
            whole = [(r.ref_id, r.name, r.unit_name, r.when, r.detail)
                     for r in dashboard.rows(s, READER, key, today, None)]
            assert len(whole) >= 4, key
            assert dashboard.count(s, READER, key, today) == len(whole)
            paged = []
            for offset in range(0, len(whole) + 3, 3):
                paged += [(r.ref_id, r.name, r.unit_name, r.when, r.detail)
                          for r in dashboard.rows(s, READER, key, today, 3, offset)]
            assert paged == whole, key


def test_every_list_tells_units_of_one_name_apart(db, officer):
    """A row shows 区财政局 alone where one unit bears the name, else with as much path as tells it apart — in the
    lists that read the unit id themselves and in those built by another service (优先考虑使用)."""
    from models.entities import Unit
    from models.services import units as us

    with db.session() as s:
        a = s.get(Unit, us.ensure_unit(s, officer, "江岸区/区财政局"))
        h = s.get(Unit, us.ensure_unit(s, officer, "汉阳区/区财政局"))
        own = s.get(Unit, us.ensure_unit(s, officer, "江岸区/区教育局"))
        people = {name: add_cadre(s, name, unit).id for name, unit in (("钱七", a), ("孙八", h), ("周九", own))}
    with db.session() as s:
        for cid in people.values():
            handling_register.create_handling(s, officer, handling_register.HandlingInput(
                cadre_id=cid, regime="gov", kind="warning", decided_on=DECIDED), DECIDED)
            s.add(Commendation(cadre_id=cid, kind="嘉奖", awarded_on=date(2024, 5, 1)))
    expected = {"钱七": "江岸区/区财政局", "孙八": "汉阳区/区财政局", "周九": "区教育局"}
    with db.session() as s:
        for key, today in (("coming_off_30", LAST), ("awaiting_assessment", OFF), ("recommended", OFF)):
            rows = dashboard.rows(s, READER, key, today)
            assert {r.name: r.unit_name for r in rows} == expected, key
        us.rename_unit(s, officer, h.id, "区财政局（国资）", effective_on=None, reason="机构改革")
    with db.session() as s:  # one name left: shown alone
        rows = dashboard.rows(s, READER, "coming_off_30", LAST)
        assert {r.name: r.unit_name for r in rows} == {"钱七": "区财政局", "孙八": "区财政局（国资）", "周九": "区教育局"}


def test_an_exported_list_names_every_unit_by_its_full_path(db, officer, tmp_path):
    """The .xlsx of a 工作台 list names the unit by its full path even where the screen shows the short label."""
    from openpyxl import load_workbook

    from models.entities import Unit
    from models.exchange.dashboard_export import export_list
    from models.services import units as us

    with db.session() as s:
        budget = s.get(Unit, us.ensure_unit(s, officer, "江岸区/区财政局/预算科"))
        cid = add_cadre(s, "钱七", budget).id
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(
            cadre_id=cid, regime="gov", kind="warning", decided_on=DECIDED), DECIDED)
    with db.session() as s:
        assert [r.unit_name for r in dashboard.rows(s, READER, "coming_off_30", LAST)] == ["预算科"]
        done = export_list(s, officer, "coming_off_30", LAST, tmp_path / "list.xlsx")
    sheet = load_workbook(done.path).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert cells[6:8] == ["钱七", "江岸区财政局预算科"]  # the full name as unit_names.join_names writes it
