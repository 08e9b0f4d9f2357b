"""澄清正名待办 in the order of the accusations' outcome dates, read from the clarification rows (migration 0013):
the copy of the date follows every way it is written, and an older database gets it on upgrade. 待办事项 read
from the open tasks alone, dated ones first, in pages that run across from dated to undated."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from datetime import datetime

from sqlalchemy import select

from models.core.db import open_database
from models.entities import Clarification, Task
from models.services import accusations as acc
from models.services import dashboard
from models.services import tasks as task_service
from tests.migration_helpers import database_at, insert_cadres
from tests.models.accusation_helpers import make_accusation, make_cadre

TODAY = date(2024, 9, 1)


def _waiting(s, officer):
    return [(r.name, r.when, r.detail) for r in dashboard.list_clarifications_waiting(s, officer, TODAY)]


def test_the_waiting_list_follows_the_outcome_date_as_it_is_set_and_changed(db, officer):
    with db.session() as s:
        zhang, li = make_cadre(s, "张建国"), make_cadre(s, "李红梅")
        early = make_accusation(s, officer, [zhang], "反映张建国同志违规收受礼金。")
        late = make_accusation(s, officer, [li], "反映李红梅同志违规发放津贴。")
        acc.set_outcome(s, officer, late.id, "不属实", date(2024, 5, 20))
        (first,) = acc.set_outcome(s, officer, early.id, "错告", date(2024, 4, 2)).clarification_ids
    with db.session() as s:
        assert _waiting(s, officer) == [("张建国", date(2024, 4, 2), "澄清正名待批准（举报于 2024-04-02 查结）"),
                                        ("李红梅", date(2024, 5, 20), "澄清正名待批准（举报于 2024-05-20 查结）")]
        version = s.get(Clarification, first).version
        # the conclusion corrected to a later date: the open clarification keeps its place by the new date …
        row = acc.get_accusation(s, officer, early.id)
        acc.set_outcome(s, officer, early.id, "不属实", date(2024, 6, 3), version=row.version)
    with db.session() as s:
        assert [(n, d) for n, d, _t in _waiting(s, officer)] == [("李红梅", date(2024, 5, 20)),
                                                                 ("张建国", date(2024, 6, 3))]
        # … and the copy does not make a copy of the clarification open elsewhere stale
        assert s.get(Clarification, first).version == version
        assert s.scalar(select(Clarification.outcome_on).where(Clarification.id == first)) == date(2024, 6, 3)


def test_upgrade_from_0012_copies_each_accusations_outcome_date(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    engine = database_at(path, "0012")
    with engine.begin() as conn:
        insert_cadres(conn, ((1, "王五", "110101199003070011"), (2, "赵六", "110101199003070038")))
        conn.exec_driver_sql(
            "insert into accusation(id, received_on, anonymous, category, summary, is_specific, is_verifiable,"
            " outcome, outcome_on, version) values (1, '2024-01-05', 0, '其他', '反映问题', 1, 1, '不属实',"
            " '2024-03-01', 1), (2, '2024-01-06', 0, '其他', '反映问题', 1, 1, NULL, NULL, 1)")
        conn.exec_driver_sql(
            "insert into clarification(id, accusation_id, cadre_id, status, version) values"
            " (1, 1, 1, 'pending', 1), (2, 2, 2, 'pending', 1)")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.upgraded_from == "0012"
        with db.session() as s:
            got = dict(s.execute(select(Clarification.id, Clarification.outcome_on)).all())
        assert got == {1: date(2024, 3, 1), 2: None}
    finally:
        db.dispose()


def test_open_tasks_come_dated_first_in_due_order_then_undated_in_pages_across_both(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        plan = [("甲", date(2024, 5, 3), None), ("乙", None, None), ("丙", date(2024, 4, 1), None),
                ("丁", date(2024, 4, 1), date(2024, 4, 2)), ("戊", None, None), ("己", date(2024, 6, 9), None),
                ("庚", date(2024, 3, 1), "withdrawn")]
        for title, due, done in plan:
            t = Task(cadre_id=zhang, kind="restore_reputation", title=title, due_on=due,
                     done_on=done if isinstance(done, date) else None)
            if done == "withdrawn":
                t.withdrawn_at, t.withdrawn_by, t.withdrawn_reason = datetime(2024, 3, 2), "jbr", "重复登记"
            s.add(t)
    want = ["丙", "甲", "己", "乙", "戊"]  # 丁 done, 庚 withdrawn; 乙 before 戊: undated ones in the order made
    with db.session() as s:
        assert task_service.count_open(s, officer) == 5
        assert [t.title for t in task_service.list_open(s, officer, None)] == want
        assert [t.title for t in task_service.list_open(s, officer)] == want
        for limit, offset in ((2, 0), (2, 2), (2, 4), (3, 1), (1, 3)):
            got = [t.title for t in task_service.list_open(s, officer, limit, offset)]
            assert got == want[offset:offset + limit], (limit, offset)
        assert {t.cadre_name for t in task_service.list_open(s, officer)} == {"张建国"}
