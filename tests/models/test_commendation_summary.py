"""The commendation summary on the cadre row (Cadre.commended_on …) follows every way a commendation is written."""
from datetime import date
from pathlib import Path

import sqlite3

from sqlalchemy import select

from models.services.cadres import editing as cadre_editing
from models.services import commendations as cms
from models.reference import id_number
from models.core.db import open_database
from models.entities import Cadre, Commendation
from models.exchange.commendation_import import import_commendations
from tests.exchange.files import write_xlsx
from tests.migration_helpers import database_at, insert_cadres

TODAY = date(2024, 6, 1)


def _cadre(s, actor, name, seq):
    return cadre_editing.create_cadre(s, actor, {"name": name, "id_number": id_number.make_id_number(
        "420102", date(1980, 1, 1), seq, "男")}, today=TODAY).id


def _summary(s, cadre_id):
    return tuple(s.execute(select(Cadre.commended_on, Cadre.urgent_commended_on, Cadre.double_victory_on)
                           .where(Cadre.id == cadre_id)).one())


def _commend(s, actor, cid, on, **kw):
    return cms.create_commendation(s, actor, {"cadre_id": cid, "kind": "嘉奖", "awarded_on": on, **kw}, today=TODAY)


def test_summary_follows_create_revoke_withdraw_and_a_move_to_another_cadre(db, officer):
    with db.session() as s:
        a, b = _cadre(s, officer, "甲一", 11), _cadre(s, officer, "乙二", 21)
        assert _summary(s, a) == (None, None, None)
        first = _commend(s, officer, a, date(2021, 3, 1), urgent_task=True, urgent_task_desc="抗洪")
        second = _commend(s, officer, a, date(2023, 5, 1), double_victory=True)
        assert _summary(s, a) == (date(2023, 5, 1), date(2021, 3, 1), date(2023, 5, 1))
        cms.revoke_commendation(s, officer, second.id, on=date(2024, 1, 1), reason="弄虚作假", today=TODAY)
        assert _summary(s, a) == (date(2021, 3, 1), date(2021, 3, 1), None)
        moved = cms.update_commendation(s, officer, first.id, {"cadre_id": b}, version=first.version, today=TODAY)
        assert _summary(s, a) == (None, None, None)  # the old cadre loses it …
        assert _summary(s, b) == (date(2021, 3, 1), date(2021, 3, 1), None)  # … the new one has it
        cms.withdraw_commendation(s, officer, moved.id, "录入错误")
        assert _summary(s, b) == (None, None, None)


def test_summary_follows_plain_orm_writes_and_deletes(db, officer):
    with db.session() as s:
        a = _cadre(s, officer, "丙三", 31)
        row = Commendation(cadre_id=a, kind="嘉奖", awarded_on=date(2022, 2, 2))
        s.add(row)
        s.flush()
        assert _summary(s, a)[0] == date(2022, 2, 2)
        s.delete(row)
        s.flush()
        assert _summary(s, a)[0] is None


def test_summary_follows_the_bulk_import(db, admin, tmp_path):
    n = id_number.make_id_number("420102", date(1980, 1, 1), 41, "男")
    with db.session() as s:
        cid = cadre_editing.create_cadre(s, admin, {"name": "丁四", "id_number": n}, today=TODAY).id
    path = write_xlsx(tmp_path / "表彰.xlsx", ["姓名", "身份证号", "表彰种类", "表彰时间", "急难险重任务", "任务内容"],
                      [["丁四", n, "嘉奖", "2023.5", "是", "防汛"], ["丁四", n, "记三等功", "2022.1", "否", None]])
    with db.session() as s:
        res = import_commendations(s, admin, path, today=TODAY)
        assert res.created == 2
    with db.session() as s:
        assert _summary(s, cid) == (date(2023, 5, 1), date(2023, 5, 1), None)


def test_upgrade_from_0002_fills_the_summary(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    engine = database_at(path, "0002")
    with engine.begin() as conn:
        insert_cadres(conn, ((1, "王五", "110101199003070011"), (2, "赵六", "110101199003070038")))
        conn.exec_driver_sql(
            "insert into commendation(cadre_id, kind, awarded_on, urgent_task, double_victory, revoked_on, version)"
            " values (1, '嘉奖', '2021-01-05', 1, 0, NULL, 1), (1, '嘉奖', '2023-04-01', 0, 0, NULL, 1),"
            " (1, '记三等功', '2024-01-01', 0, 1, '2024-03-01', 1)")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.upgraded_from == "0002"
        with db.session() as s:
            assert _summary(s, 1) == (date(2023, 4, 1), date(2021, 1, 5), None)  # the revoked one does not count
            assert _summary(s, 2) == (None, None, None)
    finally:
        db.dispose()
    names = {r[0] for r in sqlite3.connect(path).execute("select name from sqlite_master where type='index'")}
    assert {"ix_cadre_commended", "ix_cadre_off_live"} <= names and "ix_commendation_window" not in names
