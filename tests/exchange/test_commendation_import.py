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


def test_a_ledger_whose_award_name_column_holds_the_kind_imports_by_it(db, admin, tmp_path):
    """Many 台账 have one column 奖励名称 (read as the honour) that holds 记三等功 or 嘉奖 and no kind column; the
    kind is taken from it when it is one, and a title there with no kind is refused with the value named."""
    from models.exchange import file_preview as fp

    cadres = write_xlsx(tmp_path / "c.xlsx", ["姓名", "身份证号"], [["张三", N1], ["李四", N2]])
    with db.session() as s:
        import_cadres(s, admin, cadres)
    path = write_xlsx(tmp_path / "奖励.xlsx", ["序号", "姓名", "身份证号码", "奖励名称", "奖励时间", "主要事迹"],
                      [[1, "张三", N1, "记三等功", "2025.12.20", "防汛"], [2, "李四", N2, "嘉奖", "2025-11-02", None],
                       [3, "李四", N2, "全市优秀共产党员", "2025-07-01", None]])
    assert fp.resolve(fp.preview_file(path, "commendations"), {}).missing == []
    with db.session() as s:
        res = import_commendations(s, admin, path, today=date(2026, 1, 1))
    assert res.created == 2
    assert [(r.row, "荣誉称号“全市优秀共产党员”不是奖励种类" in r.reason) for r in res.rejected] == [(4, True)]
    with db.session() as s:
        rows = s.execute(select(Commendation).order_by(Commendation.awarded_on)).scalars().all()
        assert [(r.kind, r.honour, r.reason) for r in rows] == [("嘉奖", None, None), ("记三等功", None, "防汛")]
    neither = write_xlsx(tmp_path / "无种类.xlsx", ["姓名", "身份证号码", "奖励时间"], [["张三", N1, "2025.12.20"]])
    assert fp.resolve(fp.preview_file(neither, "commendations"), {}).missing == ["奖励种类"]


def test_award_name_beside_an_honour_column_is_the_kind(db, admin, tmp_path):
    """奖励名称 is read as the honour, but beside a column headed 荣誉称号 (the field's own label, which has the first
    claim, even to its right) it is the kind — not a duplicate column left out."""
    from models.exchange import file_preview as fp

    cadres = write_xlsx(tmp_path / "c.xlsx", ["姓名", "身份证号"], [["张三", N1]])
    with db.session() as s:
        import_cadres(s, admin, cadres)
    path = write_xlsx(tmp_path / "奖励.xlsx", ["姓名", "身份证号码", "奖励名称", "荣誉称号", "奖励时间"],
                      [["张三", N1, "授予称号", "全市优秀共产党员", "2025-07-01"]])
    preview = fp.preview_file(path, "commendations")
    assert [c.suggestion for c in preview.columns] == ["name", "id_number", "kind", "honour", "awarded_on"]
    r = fp.resolve(preview, {})
    assert (r.keys, r.missing) == (["name", "id_number", "kind", "honour", "awarded_on"], [])
    with db.session() as s:
        res = import_commendations(s, admin, path, today=date(2026, 1, 1))
    assert (res.created, res.rejected) == (1, [])
    with db.session() as s:
        c = s.execute(select(Commendation)).scalar_one()
        assert (c.kind, c.honour) == ("授予称号", "全市优秀共产党员")
