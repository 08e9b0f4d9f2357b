"""The latest live 影响期满考核 on the cadre row (Cadre.assessed_on) follows every way an assessment is written, and
the 工作台 counts read the indexes of migration 0012."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from models.core.actor import CLI_ACTOR
from models.core.db import open_database
from models.demo import build_demo
from models.entities import Cadre, ExpiryAssessment
from models.services import assessments as asv
from models.services import dashboard
from tests.handling_helpers import add_cadre
from tests.migration_helpers import database_at, insert_cadres

TODAY = date(2026, 11, 25)
OUTCOME = "合格(正常使用)"


def _latest(s, cadre_id):
    return s.scalar(select(Cadre.assessed_on).where(Cadre.id == cadre_id))


def test_latest_assessment_follows_record_update_withdraw_and_delete(db, officer):
    with db.session() as s:
        cid, other = add_cadre(s, "孙八").id, add_cadre(s, "周九").id
    with db.session() as s:
        assert _latest(s, cid) is None
        first = asv.record_assessment(s, officer, cid, assessed_on=date(2025, 3, 1), outcome=OUTCOME, today=TODAY)
        second = asv.record_assessment(s, officer, cid, assessed_on=date(2025, 9, 1), outcome=OUTCOME, today=TODAY)
        assert _latest(s, cid) == date(2025, 9, 1)
        asv.update_assessment(s, officer, second.id, second.version, assessed_on=date(2025, 1, 1), outcome=OUTCOME,
                              today=TODAY)
        assert _latest(s, cid) == date(2025, 3, 1)  # the earlier one is now the latest
        asv.withdraw_assessment(s, officer, first.id, first.version, "录入错误，撤回重录")
        assert _latest(s, cid) == date(2025, 1, 1)
        assert _latest(s, other) is None
    with db.session() as s:
        row = s.get(ExpiryAssessment, second.id)
        s.delete(row)
        s.flush()
        assert _latest(s, cid) is None  # only the withdrawn one is left


def test_a_bulk_loaded_database_carries_the_latest_of_the_live_assessments(db):
    build_demo(db, cadres=400, seed=5, today=TODAY, actor=CLI_ACTOR)
    a = ExpiryAssessment.__table__
    with db.session() as s:
        want = dict(s.execute(select(a.c.cadre_id, func.max(a.c.assessed_on)).where(a.c.withdrawn_at.is_(None))
                              .group_by(a.c.cadre_id)).all())
        got = dict(s.execute(select(Cadre.id, Cadre.assessed_on).where(Cadre.assessed_on.is_not(None))).all())
    assert want and got == want


def test_upgrade_from_0011_fills_the_latest_assessment(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    engine = database_at(path, "0011")
    with engine.begin() as conn:
        insert_cadres(conn, ((1, "王五", "110101199003070011"), (2, "赵六", "110101199003070038")))
        conn.exec_driver_sql(
            "insert into expiry_assessment(cadre_id, assessed_on, outcome, version, withdrawn_at) values"
            " (1, '2024-05-01', '合格', 1, NULL), (1, '2025-02-01', '合格', 1, '2025-03-01 10:00:00'),"
            " (2, '2023-01-01', '合格', 1, '2023-02-01 10:00:00')")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.upgraded_from == "0011"
        with db.session() as s:
            assert _latest(s, 1) == date(2024, 5, 1)  # the withdrawn later one does not count
            assert _latest(s, 2) is None
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("select name from sqlite_master where type in ('index', 'trigger')")}
    con.close()
    assert {"ix_visit_plan_status_from", "ix_inquiry_open", "ix_clarification_waiting", "ix_cadre_unassessed",
            "cadre_search_ai", "cadre_search_au", "cadre_search_ad"} <= names  # ADD COLUMN kept the search triggers


def _plans(db, count, today):
    """The query plans of the statements one count sends."""
    sent = []
    listener = lambda _c, _cur, stmt, params, _ctx, _many: sent.append((stmt, params))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with db.session() as s:
            count(s, CLI_ACTOR, today)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    with db.engine.connect() as conn:
        return [" | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params))
                for stmt, params in sent if stmt.lstrip().upper().startswith("SELECT") and "setting" not in stmt]


def test_the_counts_read_only_what_they_count(db):
    """Each 工作台 count (and 优先考虑使用's page) is a range of an index holding only its candidates (a change that brings back a probe per
    candidate or a scan of every record shows here, long before a million cadres)."""
    if not db.is_sqlite:
        pytest.skip("SQLite query plans")
    build_demo(db, cadres=300, seed=2, today=TODAY, actor=CLI_ACTOR)
    awaiting = _plans(db, dashboard.count_awaiting_assessment, TODAY)
    # the cadres not assessed since coming off (migration 0013), not every off date in the window
    assert any("COVERING INDEX ix_cadre_unassessed" in p for p in awaiting)
    assert not any("SUBQUERY" in p for p in awaiting)  # no probe of the assessments per candidate
    assert any("ix_visit_plan_status_from (status=? AND due_from<?)" in p
               for p in _plans(db, dashboard.count_visits_due, TODAY))
    assert any("COVERING INDEX ix_inquiry_open" in p for p in _plans(db, dashboard.count_inquiries_overdue, TODAY))
    assert any("ix_clarification_waiting" in p for p in _plans(db, dashboard.count_clarifications_waiting, TODAY))
    # 澄清正名待办's page: read in its order from the waiting ones, not every one joined to its accusation and sorted
    page = _plans(db, lambda s, a, t: dashboard.list_clarifications_waiting(s, a, t, 50), TODAY)
    (plan,) = [p for p in page if "clarification" in p]
    assert "SCAN clarification USING COVERING INDEX ix_clarification_waiting" in plan and "accusation" not in plan
    assert "TEMP B-TREE" not in plan.split("SCAN anon_1")[0]  # only the page itself is sorted, after the join
    # 待办事项: a page is chosen from the open tasks read in due order, not by sorting every open task
    (tasks,) = [p for p in _plans(db, lambda s, a, t: dashboard.list_tasks_open(s, a, t, 50), TODAY) if "task" in p]
    chosen = tasks.split("SCAN parts")[0]
    assert "SEARCH task USING INDEX ix_task_open" in chosen and "TEMP B-TREE" not in chosen
    # 优先考虑使用: the 急难险重 / 双胜利 parts of the first page read the cadres that have such a commendation
    page = " ".join(_plans(db, lambda s, a, t: dashboard.list_recommended(s, a, t, 50), TODAY))
    assert "ix_cadre_commended_urgent" in page and "ix_cadre_commended_double" in page
