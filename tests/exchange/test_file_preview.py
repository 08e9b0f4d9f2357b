"""The mapping step without Qt: sheets, header and first rows, suggestions, the user's choices resolved as the
import resolves them, a header the synonym table does not know, and the chosen sheet imported."""
from datetime import date

import openpyxl
import pytest

from models.exchange import file_preview as fp
from models.exchange.cadre_import import import_cadres
from models.exchange.common import FileUnusable
from tests.exchange.files import number, write_xlsx

N1, N2 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2)


def test_preview_suggests_and_resolve_applies_choices(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", ["序号", "干部名字", "身份证号码", "工作单位", "手机"],
                      [[1, "张　三", N1, "市委", "138"], [2, "李四", N2, "市委", ""]], above=[["台账"]])
    p = fp.preview_file(path, "cadres")
    assert (p.sheet, p.header_row, p.sample_rows) == ("干部台账", 2, [3, 4])  # write_xlsx names the sheet
    assert [(c.letter, c.suggestion, c.status) for c in p.columns] == [
        ("A", None, "known"), ("B", None, "unknown"), ("C", "id_number", "matched"), ("D", "unit", "matched"),
        ("E", None, "unknown")]
    assert p.columns[1].samples == ["张　三", "李四"]
    r = fp.resolve(p, {})
    assert r.missing == ["姓名"] and not r.complete
    r = fp.resolve(p, {"干部名字": "name", "手机": "ignore", "工作单位": None})
    assert r.complete and r.keys == [None, "name", "id_number", "unit", None]
    assert r.statuses == ["known", "mapped", "matched", "matched", "ignored"]
    assert r.mapping == {"干部名字": "name", "手机": "ignore"}
    assert fp.resolve(p, {"干部名字": "id_number"}).statuses[2] == "duplicate"  # the first column takes the field


def test_unknown_header_is_taken_from_the_first_row_and_imported_with_the_mapping(tmp_path, db, admin):
    path = write_xlsx(tmp_path / "b.xlsx", ["干部名字", "公民号"], [["张三", N1]])
    with pytest.raises(FileUnusable):  # without a mapping the import cannot find the header
        with db.session() as s:
            import_cadres(s, admin, path)
    p = fp.preview_file(path, "cadres")
    assert [c.header for c in p.columns] == ["干部名字", "公民号"] and fp.resolve(p, {}).missing == ["姓名", "身份证号"]
    choices = {"干部名字": "name", "公民号": "id_number"}
    assert fp.resolve(p, choices).complete
    with db.session() as s:
        result = import_cadres(s, admin, path, mapping=choices)
    assert result.created == 1
    assert fp.choices_from(p, {"干部名字": "name", "公民号": "id_number", "别的列": "rank"}) == choices


def test_sheets_listed_and_the_chosen_one_read(tmp_path, db, admin):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表说明"])
    for title, name, n in (("在职", "张三", N1), ("退休", "李四", N2)):
        ws = wb.create_sheet(title)
        ws.append(["姓名", "身份证号"])
        ws.append([name, n])
    wb.save(tmp_path / "m.xlsx")
    assert fp.sheet_names(tmp_path / "m.xlsx") == ["说明", "在职", "退休"]
    assert fp.preview_file(tmp_path / "m.xlsx", "cadres").sheet == "在职"
    assert fp.preview_file(tmp_path / "m.xlsx", "cadres", sheet="退休").columns[0].samples == ["李四"]
    with pytest.raises(FileUnusable, match="没有名为“离职”的工作表"):
        fp.preview_file(tmp_path / "m.xlsx", "cadres", sheet="离职")
    with db.session() as s:
        result = import_cadres(s, admin, tmp_path / "m.xlsx", sheet="退休")
    assert (result.created, result.sheet) == (1, "退休")
