"""The cadre import on 台账 files in the forms officers really make."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from models.entities import AuditEvent, Cadre, Unit
from models.exchange.cadre_import import import_cadres
from models.exchange.common import FileUnusable
from models.exchange.import_report import save_report
from models.exchange.template import save_template
from models.core.progress import Cancelled, Progress
from tests.exchange.files import number, write_xlsx

TODAY = date(2024, 6, 1)
N1, N2, N3, N4 = (number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2),
                  number(date(1990, 1, 1), "男", 3), number(date(1968, 12, 31), "女", 4))


def _spaced(n: str) -> str:
    return f"{n[:6]} {n[6:14]} {n[14:]}"


def _fullwidth(n: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in n)


def real_ledger(path):
    """Title and 填报 lines, headers out of order with synonyms, 序号, blank rows, a 合计 line and a note."""
    return write_xlsx(
        path,
        ["序号", "工作单位", "身份证号码", "姓  名", "出生日期\n（1975.03）", "现任职务", "职级", "参加工作时间", "备注"],
        [
            [1, "市委组织部/干部一科", _spaced(N1), "张　三", "1975.03", "科长", "一级主任科员", "1996.7", None],
            [2, "市委组织部", N2.lower(), "李四", datetime(1980, 10, 2), "副部长", None, 37073, "调入"],
            [None] * 9,
            [3, "市委组织部", float(N3), "王五", "1990年1月", None, None, "2012-08-01", None],
            [4, "市委组织部/干部一科", _fullwidth(N4), " 赵 六 ", "196812", "科员", "四级主任科员", "1990/7/1", None],
            [5, "市委组织部", "1.10101E+17", "钱七", "1975.3", None, None, None, None],
        ],
        above=[["2024年干部信息台账"], ["填报单位：市委组织部（盖章）", None, None, None, "填报日期：2024年5月"], []],
        below=[["合计", None, None, "5人"], ["填表人：王小明    联系电话：12345678"]],
    )


def _cadres(db):
    with db.session() as s:
        return {c.id_number: c for c in s.execute(select(Cadre)).scalars()}


def test_real_ledger_imports_valid_rows_and_rejects_mangled_ids(db, admin, tmp_path):
    path = real_ledger(tmp_path / "台账.xlsx")
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert (result.created, result.updated, len(result.rejected)) == (3, 0, 2)
    assert {r.row for r in result.rejected} == {8, 10}  # rows as Excel shows them (3 lines above the header)
    assert all("身份证号被Excel转成了数字" in r.reason for r in result.rejected)
    assert result.skipped_lines >= 3  # the blank row, 合计 and the note
    cadres = _cadres(db)
    assert set(cadres) == {N1, N2, N4}
    zhang = cadres[N1]
    assert zhang.name == "张三" and zhang.name_pinyin == "zhangsan" and zhang.name_initials == "zs"
    assert zhang.birth_date == date(1975, 3, 15)  # exact date from the ID number
    assert zhang.gender == "男" and zhang.current_post == "科长" and zhang.rank == "一级主任科员"
    assert zhang.work_started == date(1996, 7, 1)
    assert cadres[N2].work_started == date(2001, 7, 1)  # Excel serial number 37073
    assert cadres[N4].name == "赵六" and cadres[N4].work_started == date(1990, 7, 1)
    with db.session() as s:
        units = {u.name: u for u in s.execute(select(Unit)).scalars()}
        assert set(units) == {"市委组织部", "干部一科"}
        assert units["干部一科"].parent_id == units["市委组织部"].id
        assert units["干部一科"].path == f"/{units['市委组织部'].id}/{units['干部一科'].id}/"
        assert cadres[N1].unit_id == units["干部一科"].id and cadres[N2].unit_id == units["市委组织部"].id
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "import")).scalars().all()
        assert len(events) == 1 and events[0].after["created"] == 3 and events[0].after["rejected"] == 2
    assert result.units_created == ["市委组织部", "市委组织部/干部一科"]


def test_dry_run_writes_nothing(db, admin, tmp_path):
    path = real_ledger(tmp_path / "台账.xlsx")
    with db.session() as s:
        result = import_cadres(s, admin, path, dry_run=True, today=TODAY)
    assert (result.created, len(result.rejected)) == (3, 2)
    assert result.units_created == ["市委组织部", "市委组织部/干部一科"]
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 0
        assert s.execute(select(func.count()).select_from(Unit)).scalar() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() == 0


def test_existing_cadre_is_updated_never_duplicated(db, admin, tmp_path):
    path = real_ledger(tmp_path / "台账.xlsx")
    with db.session() as s:
        import_cadres(s, admin, path, today=TODAY)
    again = write_xlsx(tmp_path / "b.xlsx", ["姓名", "身份证号", "现任职务", "职级"],
                       [["张三", N1, "副处长", ""], ["李四", N2, "副部长", None], ["孙八", number(date(1985, 5, 5)), "", ""]])
    with db.session() as s:
        result = import_cadres(s, admin, again, today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    cadres = _cadres(db)
    assert len(cadres) == 4
    assert cadres[N1].current_post == "副处长"
    assert cadres[N1].rank == "一级主任科员"  # blank cell: stored value left alone
    assert cadres[N1].version == 2
    assert any("张三：更新（现任职务：" in line and "→ 副处长" in line for line in result.changes), result.changes


def test_duplicate_id_in_file_rejects_every_such_row(db, admin, tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", ["姓名", "身份证号"],
                      [["张三", N1], ["李四", N2], ["张叁", _spaced(N1)]])
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == 1
    reasons = {r.row: r.reason for r in result.rejected}
    assert set(reasons) == {2, 4}
    assert "与第4行是同一人" in reasons[2] and "与第2行是同一人" in reasons[4]
    assert set(_cadres(db)) == {N2}


@pytest.mark.parametrize("cells, words", [
    (["张三", "1975.10", N1, "男"], "出生年月与身份证号不符"),
    (["张三", "1975.03", N1, "女"], "性别与身份证号不符"),
    (["张三", "1975.03", N1[:17] + ("0" if N1[17] != "0" else "1"), "男"], "校验位"),
    (["", "1975.03", N1, "男"], "姓名为空"),
    (["张三", "1975.13", N1, "男"], "月份13不存在"),
    (["张三", "2030.01", N1, "男"], "出生年月"),
])
def test_row_errors_are_reported_with_reason(db, admin, tmp_path, cells, words):
    path = write_xlsx(tmp_path / "e.xlsx", ["姓名", "出生年月", "身份证号", "性别"], [cells])
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == 0 and len(result.rejected) == 1
    assert words in result.rejected[0].reason and result.rejected[0].row == 2


def test_unusable_files_are_refused(db, admin, tmp_path):
    no_header = write_xlsx(tmp_path / "n.xlsx", ["甲", "乙"], [[1, 2]])
    with pytest.raises(FileUnusable, match="找不到干部台账的表头"):
        with db.session() as s:
            import_cadres(s, admin, no_header)
    no_id = write_xlsx(tmp_path / "m.xlsx", ["姓名", "工作单位", "职级"], [["张三", "x", "y"]])
    with pytest.raises(FileUnusable, match="缺少必填列：身份证号"):
        with db.session() as s:
            import_cadres(s, admin, no_id)
    fake = tmp_path / "f.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(FileUnusable, match="不是 Excel"):
        with db.session() as s:
            import_cadres(s, admin, fake)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(FileUnusable, match="另存为"):
        with db.session() as s:
            import_cadres(s, admin, old)


def test_viewer_may_not_import(db, viewer, tmp_path):
    from models.core.errors import PermissionDenied

    path = real_ledger(tmp_path / "台账.xlsx")
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            import_cadres(s, viewer, path)


def test_cancel_leaves_database_unchanged(db, admin, tmp_path):
    rows = [[f"干部{chr(0x4e00 + i)}", number(date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "男", i)] for i in range(1200)]
    path = write_xlsx(tmp_path / "big.xlsx", ["姓名", "身份证号"], rows)
    progress = Progress()
    seen = []

    def report(done, total, text):
        seen.append(text)
        if "写入" in text:
            progress.cancel_event.set()

    progress.report = report
    with pytest.raises(Cancelled):
        with db.session() as s:
            import_cadres(s, admin, path, progress=progress)
    assert any("写入" in t for t in seen)
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() == 0
    if db.engine.dialect.name == "sqlite":  # the search index's insert trigger, set aside while rows went in, is back
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name = 'cadre_search_ai'").scalar() == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM cadre_search").scalar() == 0


def test_ambiguous_unit_name_is_rejected(db, admin, tmp_path):
    setup = write_xlsx(tmp_path / "u.xlsx", ["姓名", "身份证号", "工作单位"],
                       [["张三", N1, "甲局/办公室"], ["李四", N2, "乙局/办公室"]])
    with db.session() as s:
        import_cadres(s, admin, setup, today=TODAY)
    path = write_xlsx(tmp_path / "v.xlsx", ["姓名", "身份证号", "工作单位"], [["王五", number(date(1990, 1, 1)), "办公室"]])
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == 0 and "有2个单位都叫“办公室”" in result.rejected[0].reason


def test_report_lists_every_rejected_row(db, admin, tmp_path):
    path = real_ledger(tmp_path / "台账.xlsx")
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    out = save_report(result, tmp_path / "报告.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if r[0] is not None]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [("干部台账", 8, "C列“身份证号码”", "王五"),
                                                       ("干部台账", 10, "C列“身份证号码”", "钱七")]
    assert rows[1][3] == "1.10101E+17"  # the cell value as the file has it
    assert all("身份证号被Excel转成了数字" in r[6] for r in rows)
    assert "新增3条" in ws["A2"].value


def test_blank_template_imports_after_filling(db, admin, tmp_path):
    path = save_template("cadres", tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["序号", "姓名*", "身份证号*", "性别", "出生年月", "民族"]
    assert ws.cell(row=4, column=3).number_format == "@"
    assert wb.worksheets[1].title == "填写说明"
    ws.append([1, "周九", N1, None, "1975.03"])
    wb.save(path)
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == 1 and not result.rejected


def test_months_do_not_overwrite_stored_days_and_an_export_imports_back_unchanged(db, admin, tmp_path):
    """The 任免表 and most 台账 write 任现职时间 as 2019.03: that says nothing about the day stored."""
    from models.services.cadres import editing as cadre_editing
    from models.services.cadres.search import CadreFilter
    from models.exchange.cadre_export import export_cadres_xlsx

    with db.session() as s:
        cid = cadre_editing.create_cadre(s, admin, {"name": "张三", "id_number": N1, "post_since": date(2019, 3, 17),
                                         "work_started": date(1996, 7, 20)}, today=TODAY).id
    out = tmp_path / "导出.xlsx"
    with db.session() as s:
        export_cadres_xlsx(s, admin, CadreFilter(), out)
    with db.session() as s:
        back = import_cadres(s, admin, out, today=TODAY)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 1), back.changes
    cases = [("2019.03", date(2019, 3, 17), 0), ("2019年3月", date(2019, 3, 17), 0), (201903, date(2019, 3, 17), 0),
             ("2019-03-01", date(2019, 3, 1), 1),  # a day given: it is the day
             ("2019.04", date(2019, 4, 1), 1)]  # another month: a change
    for n, (cell, stored, updated) in enumerate(cases):
        path = write_xlsx(tmp_path / f"m{n}.xlsx", ["姓名", "身份证号", "任现职时间"], [["张三", N1, cell]])
        with db.session() as s:
            result = import_cadres(s, admin, path, today=TODAY)
        assert result.updated == updated, (cell, result.changes)
        with db.session() as s:
            assert s.get(Cadre, cid).post_since == stored, cell
        if updated:  # back to the day for the next case
            with db.session() as s:
                s.get(Cadre, cid).post_since = date(2019, 3, 17)


def test_values_repeated_row_after_row_convert_as_in_the_first_row_and_a_bad_one_is_refused_each_time(
        db, admin, tmp_path):
    """RowValidator remembers the conversion of each cell value for the rows below: the same cell gives the same
    field, a value that failed fails again with the same message, and a 是 (True) cell is not taken for a 1."""
    n5, n6 = number(date(1985, 5, 5), "男", 5), number(date(1986, 6, 6), "女", 6)
    path = write_xlsx(tmp_path / "重复.xlsx", ["姓名", "身份证号", "参加工作时间", "现任职务", "状态"], [
        ["甲一", N1, "1996.07", True, "在职"],
        ["乙二", N2, "1975.13", 1, "在职"],
        ["丙三", N3, "2012.08", 1, "退休"],
        ["丁四", N4, "1975.13", True, "在职"],
        ["戊五", n5, "2012.08", "科长", "离休"],
        ["己六", n6, "1996.07", "科长", "离休"],
    ], text_columns=(2,))
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == 2
    reasons = {r.row: r.reason for r in result.rejected}
    assert set(reasons) == {3, 5, 6, 7}
    assert reasons[3] == reasons[5] and "月份13不存在" in reasons[3]
    assert reasons[6] == reasons[7] and "离休" in reasons[6]
    cadres = _cadres(db)
    assert cadres[N1].current_post == "是" and cadres[N3].current_post == "1"
    assert cadres[N1].work_started == date(1996, 7, 1) and cadres[N3].work_started == date(2012, 8, 1)
    assert cadres[N3].status == "退休"


def test_remembered_conversions_give_what_each_row_alone_gives(tmp_path):
    """Every row of the real ledger through one RowValidator, twice, as validate_row gives it on its own."""
    from models.core.errors import ValidationError
    from models.exchange.cadre_import import COLUMNS, RowValidator, validate_row
    from models.exchange.sheet_reader import read_sheet

    sheet = read_sheet(real_ledger(tmp_path / "台账.xlsx"), COLUMNS, kind="cadres")

    def outcome(check, row):
        try:
            return check(row, TODAY)
        except ValidationError as exc:
            return (exc.message, exc.field)

    alone = [outcome(validate_row, r) for r in sheet.rows]
    remembering = RowValidator()
    assert [outcome(remembering, r) for r in sheet.rows + sheet.rows] == alone + alone
    assert sum(isinstance(o, tuple) for o in alone) == 2  # the two mangled ID numbers


def test_a_unit_withdrawn_after_an_import_is_not_used_by_the_next(db, admin, tmp_path):
    """Units found by their text are remembered for one import only: the next one sees the tree as it is."""
    from models.services import units as unit_service

    first = write_xlsx(tmp_path / "一.xlsx", ["姓名", "身份证号", "工作单位"], [["甲一", N1, "某局/某科"]])
    with db.session() as s:
        import_cadres(s, admin, first, today=TODAY)
        old_unit = s.execute(select(Cadre.unit_id).where(Cadre.id_number == N1)).scalar_one()
        s.execute(Cadre.__table__.update().values(unit_id=None))
        unit_service.withdraw_unit(s, admin, old_unit, "机构改革撤销")
    second = write_xlsx(tmp_path / "二.xlsx", ["姓名", "身份证号", "工作单位"],
                        [["乙二", N2, "某局/某科"], ["丙三", N3, "某局 / 某科"]])
    with db.session() as s:
        result = import_cadres(s, admin, second, today=TODAY)
        ids = set(s.execute(select(Cadre.unit_id).where(Cadre.id_number.in_((N2, N3)))).scalars())
    assert result.units_created == ["某局/某科"]
    assert len(ids) == 1 and old_unit not in ids


def test_new_cadres_are_numbered_in_the_order_of_the_ledger_and_indexed_as_one_by_one(db, admin, tmp_path):
    """The rows go in in the search index's order (by pinyin), yet each cadre has the number it would have had
    in file order, and the search index holds what one trigger run per row gives."""
    from sqlalchemy import text

    names = ["张三", "艾一", "王五", "李四", "Tom Li", "欧阳修", "阿二", "张三"]
    people = [[n, number(date(1970 + i, 1 + i, 1 + i), "男" if i % 2 else "女", 10 + i), "市委组织部"]
              for i, n in enumerate(names)]
    path = write_xlsx(tmp_path / "排序.xlsx", ["姓名", "身份证号", "工作单位"], people)
    with db.session() as s:
        before = s.execute(select(func.max(Cadre.id))).scalar() or 0
        result = import_cadres(s, admin, path, today=TODAY)
    assert result.created == len(names)
    cadres = _cadres(db)
    assert [cadres[p[1]].id for p in people] == list(range(before + 1, before + 1 + len(names)))
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        loaded = conn.execute(text("SELECT rowid, * FROM cadre_search ORDER BY rowid")).all()
        conn.execute(text("DELETE FROM cadre_search"))
        conn.execute(text("UPDATE cadre SET name = name"))  # the same rows through the triggers, one run each
        assert conn.execute(text("SELECT rowid, * FROM cadre_search ORDER BY rowid")).all() == loaded
        conn.rollback()
    with db.session() as s:  # the import indexed its rows in one statement; a cadre added after it, by the trigger
        added = Cadre(name="赵九", id_number=number(date(1990, 9, 9), "男", 99), name_pinyin="zhaojiu",
                      name_initials="zj")
        s.add(added)
        s.flush()
        new_id = added.id
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cadre_search WHERE rowid % 8388608 = :i"),
                            {"i": new_id}).scalar() == 1


def test_imported_cadres_are_stored_as_the_program_stores_one_entered_by_hand(db, admin, tmp_path):
    """On SQLite new rows go in as positional multi-row INSERTs: every value must still be what SQLAlchemy would
    have written (dates, booleans, defaults), so that the import, the forms and the search read them alike."""
    from sqlalchemy import text

    born, started = date(1976, 4, 9), date(1998, 7, 1)
    imported, typed = number(born, "女", 31), number(born, "女", 32)
    path = write_xlsx(tmp_path / "存储.xlsx", ["姓名", "身份证号", "性别", "出生日期", "参加工作时间", "工作单位", "政治面貌"],
                      [["韩梅", imported, "女", "1976.04.09", "1998.07", "市委组织部", "中共党员"]])
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
        unit_id = s.scalar(select(Cadre.unit_id).where(Cadre.id_number == imported))
        s.add(Cadre(name="韩梅", id_number=typed, gender="女", birth_date=born, work_started=started, unit_id=unit_id,
                    political_status="中共党员", is_party_member=True, name_pinyin="hanmei", name_initials="hm"))
    assert result.created == 1
    cols = ("name", "name_pinyin", "name_initials", "gender", "birth_date", "typeof(birth_date)", "work_started",
            "unit_id", "political_status", "is_party_member", "typeof(is_party_member)", "is_grassroots", "status",
            "version", "created_at IS NOT NULL", "withdrawn_at")
    sql = text(f"SELECT {', '.join(cols)} FROM cadre WHERE id_number = :n")
    with db.engine.connect() as conn:
        stored = {n: conn.execute(sql, {"n": n}).one() for n in (imported, typed)}
    assert stored[imported] == stored[typed]
    with db.session() as s:
        cadre = s.execute(select(Cadre).where(Cadre.id_number == imported)).scalar_one()
        assert (cadre.birth_date, cadre.work_started, cadre.is_party_member) == (born, started, True)


def test_a_signature_line_spread_over_cells_ends_the_table_and_short_forms_are_written_as_the_code_list(
        db, admin, tmp_path):
    """Offices put 填表人, 审核人 and the telephone in separate cells below the table; and write 汉 for 汉族."""
    path = write_xlsx(
        tmp_path / "花名册.xlsx",
        ["序号", "姓名", "身份证号码", "民族", "政治面貌", "备注"],
        [[1, "张三", N1, "汉", "党员", None], [2, "李四", N2, "土家", "团员", None], [3, "王五", N3, "汉族", "群众", None]],
        below=[["填表人：王小明", None, "审核人：刘建国", None, "联系电话：027-87654321"],
               ["单位负责人：周强", "填报日期：2024年5月30日"]],
    )
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert (result.created, result.rejected) == (3, [])
    people = _cadres(db)
    assert [(people[n].ethnicity, people[n].political_status) for n in (N1, N2, N3)] == [
        ("汉族", "中共党员"), ("土家族", "共青团员"), ("汉族", "群众")]
    assert people[N1].is_party_member and not people[N2].is_party_member


def test_a_header_wrapped_over_lines_in_its_cell_is_named_on_one_line(db, admin, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", ["姓名", "公民身份\n号码", "出生\n年月"], [["张三", N1, "1980.05"]])
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY, dry_run=True)
    [refused] = result.rejected
    assert "C列“出生年月”" in refused.message and "\n" not in refused.message
