"""Commendations from an Excel 台账, matched to cadres by ID number."""
from datetime import date

from sqlalchemy import select

from models.entities import Commendation
from models.exchange.cadre_import import import_cadres
from models.exchange.commendation_import import import_commendations
from tests.exchange.files import number, write_xlsx

N1, N2 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2)


def test_commendations_imported_matched_and_not_duplicated(db, admin, tmp_path):
    cadres = write_xlsx(tmp_path / "c.xlsx", ["姓名", "身份证号"], [["张三", N1], ["李四", N2]])
    with db.session() as s:
        import_cadres(s, admin, cadres)
    path = write_xlsx(
        tmp_path / "表彰.xlsx",
        ["序号", "姓 名", "身份证号码", "表彰种类", "荣誉称号", "表彰时间", "批准机关", "文号", "急难险重任务", "任务内容"],
        [[1, "张　三", N1, "百佳公务员", "2023年度百佳公务员", "2023.12", "市委", "武发〔2023〕1号", "否", None],
         [2, "李四", N2, "记三等功", None, 45000, "市政府", "武政〔2023〕2号", "是", "防汛抗洪"],
         [3, "王五", number(date(1990, 1, 1)), "嘉奖", None, "2023.5", None, None, None, None],
         [4, "李四", N1, "嘉奖", None, "2023.5", None, None, None, None],
         [5, "李四", N2, "优秀员工", None, "2023.5", None, None, None, None],
         [6, "张三", N1, "百佳公务员", "2023年度百佳公务员", "2023年12月", "市委", "武发〔2023〕1号", None, None]],
        above=[["表彰奖励台账"]], below=[["合计", "5人次"]])
    with db.session() as s:
        res = import_commendations(s, admin, path, today=date(2024, 6, 1))
    assert res.created == 2
    reasons = {r.row: r.reason for r in res.rejected}
    assert set(reasons) == {5, 6, 7}
    assert "找不到该身份证号的干部" in reasons[5]
    assert "姓名与身份证号不符" in reasons[6]
    assert "不在代码表中" in reasons[7]
    assert res.notes == ["工作表“干部台账”第8行与第3行完全相同，只导入一次。"], res.notes  # same meaning, other spelling
    with db.session() as s:
        rows = s.execute(select(Commendation).order_by(Commendation.awarded_on)).scalars().all()
        assert [(r.kind, r.awarded_on) for r in rows] == [("百佳公务员", date(2023, 12, 1)), ("记三等功", date(2023, 3, 15))][::-1]
        assert rows[0].urgent_task and rows[0].urgent_task_desc == "防汛抗洪"
    with db.session() as s:  # the same file again: nothing new
        res = import_commendations(s, admin, path, today=date(2024, 6, 1))
    assert (res.created, res.updated, res.unchanged) == (0, 0, 2)
