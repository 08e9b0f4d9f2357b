"""What makes an import trustworthy at first contact: identity changes held back, the ledger, withdrawing a whole
import (and being told what stops it), odd digits and invisible characters, hostile sizes."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from models.core.errors import ValidationError
from models.entities import AuditEvent, Cadre, Handling, ImportBatch, Unit
from models.exchange import import_ledger, mappings
from models.exchange.cadre_import import import_cadres
from models.exchange.common import FileUnusable
from models.exchange.handling_import import import_handling
from models.services.units import ensure_unit
from tests.exchange.files import number, write_xlsx

TODAY = date(2024, 6, 1)
N1, N2 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2)


def _import(db, actor, path, **kw):
    with db.session() as s:
        return import_cadres(s, actor, path, today=TODAY, **kw)


def _cadre(db, n):
    with db.session() as s:
        return s.execute(select(Cadre).where(Cadre.id_number == n)).scalar_one()


def test_a_typo_in_a_name_is_listed_not_applied_unless_asked(db, admin, tmp_path):
    _import(db, admin, write_xlsx(tmp_path / "a.xlsx", ["姓名", "身份证号", "现任职务"], [["蔡超春", N1, "科员"]]))
    typo = write_xlsx(tmp_path / "b.xlsx", ["姓名", "身份证号", "现任职务"], [["蔡超纯", N1, "科长"]])
    result = _import(db, admin, typo)
    assert [(h.name, [(f.label, f.old, f.new) for f in h.fields]) for h in result.held] == [
        ("蔡超春", [("姓名", "蔡超春", "蔡超纯")])]
    assert "姓名/性别/出生日期与库中不同" in result.summary()
    c = _cadre(db, N1)
    assert (c.name, c.current_post) == ("蔡超春", "科长")  # the rest of the row is applied
    again = _import(db, admin, typo, allow_renames=True)
    assert again.held == [] and again.updated == 1
    assert [(f.label, f.old, f.new) for f in again.rows[0].fields] == [("姓名", "蔡超春", "蔡超纯")]
    c = _cadre(db, N1)
    assert c.name == "蔡超纯" and c.name_initials == "ccc"


def test_identical_rows_import_once_with_a_note(db, admin, tmp_path):
    row = ["张三", N1, "区委办", "科员"]
    path = write_xlsx(tmp_path / "d.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"], [row, ["李四", N2, "区委办", ""], row])
    result = _import(db, admin, path)
    assert (result.created, result.rejected) == (2, [])
    assert result.notes == ["工作表“干部台账”第4行与第2行完全相同，只导入一次。"]


def test_units_by_path_use_the_existing_parent(db, admin, tmp_path):
    with db.session() as s:
        ensure_unit(s, admin, "某区/区财政局")
    path = write_xlsx(tmp_path / "u.xlsx", ["姓名", "身份证号", "工作单位"], [["张三", N1, "区财政局/预算科"]])
    check = None
    with db.session() as s:
        check = import_cadres(s, admin, path, today=TODAY, dry_run=True)
        s.rollback()
    assert check.units_created == ["区财政局/预算科"]
    _import(db, admin, path)
    with db.session() as s:
        fin = s.execute(select(Unit).where(Unit.name == "区财政局")).scalars().all()
        assert len(fin) == 1  # no second top-level 区财政局
        child = s.execute(select(Unit).where(Unit.name == "预算科")).scalar_one()
        assert child.parent_id == fin[0].id


def test_the_ledger_keeps_every_import_and_a_whole_import_can_be_withdrawn(db, admin, tmp_path):
    first = _import(db, admin, write_xlsx(tmp_path / "1.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"],
                                           [["张三", N1, "区委办", "科员"]]))
    second = _import(db, admin, write_xlsx(tmp_path / "2.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"],
                                            [["张三", N1, "区委办", "科长"], ["李四", N2, "新单位/一科", "科员"],
                                             ["王五", "123", "", ""]]))
    with db.session() as s:
        batches = import_ledger.list_batches(s, admin)
        assert [b.id for b in batches] == [second.batch_id, first.batch_id]
        b = batches[0]
        assert b.file_name == "2.xlsx" and len(b.file_sha256) == 64 and b.account == "admin"
        assert b.counts["created"] == 1 and b.counts["updated"] == 1 and b.counts["rejected"] == 1
        assert b.report[0]["row"] == 4 and b.report[0]["column"] == "B列“身份证号”" and b.report[0]["value"] == "123"
        assert "导入干部“2.xlsx”：新增1，更新1" in import_ledger.describe(b)
        # the first import is built upon by the second (张三 changed again): it says so
        problems = import_ledger.withdraw_check(s, admin, first.batch_id)
        assert any(f"第{second.batch_id}次导入" in p for p in problems), problems
    with db.session() as s:
        with pytest.raises(ValidationError, match="原因"):
            import_ledger.withdraw(s, admin, second.batch_id, "")
        assert import_ledger.withdraw(s, admin, second.batch_id, "导错了文件") == 4  # 2 units, 1 cadre, 1 change
    zhang, li = _cadre(db, N1), _cadre(db, N2)
    assert zhang.current_post == "科员" and zhang.withdrawn_at is None  # put back
    assert li.withdrawn_at is not None and "导错了文件" in li.withdrawn_reason
    with db.session() as s:
        assert all(u.withdrawn_at is not None for u in s.execute(select(Unit).where(Unit.name.in_(["新单位", "一科"]))).scalars())
        assert s.get(ImportBatch, second.batch_id).withdrawn_reason == "导错了文件"
        assert s.execute(select(AuditEvent).where(AuditEvent.entity == "import_batch")).scalar_one().action == "withdraw"
        assert import_ledger.withdraw_check(s, admin, first.batch_id) == []  # nothing builds on it any more


def test_a_later_edit_or_record_blocks_the_withdrawal(db, admin, tmp_path):
    res = _import(db, admin, write_xlsx(tmp_path / "1.xlsx", ["姓名", "身份证号"], [["张三", N1]]))
    hand = write_xlsx(tmp_path / "h.xlsx", ["姓名", "身份证号", "处分种类", "决定日期"], [["张三", N1, "诫勉", "2024-03-01"]])
    with db.session() as s:
        import_handling(s, admin, hand, today=TODAY)
    with db.session() as s:
        problems = import_ledger.withdraw_check(s, admin, res.batch_id)
        assert any("已有其后登记的处分处理" in p for p in problems), problems
        with pytest.raises(ValidationError, match="不能整体撤回"):
            import_ledger.withdraw(s, admin, res.batch_id, "试试")
        handling_batch = import_ledger.list_batches(s, admin)[0]
        assert handling_batch.kind == "handling"
        import_ledger.withdraw(s, admin, handling_batch.id, "重复登记")
    with db.session() as s:
        assert s.execute(select(Handling)).scalar_one().withdrawn_at is not None
        assert import_ledger.withdraw_check(s, admin, res.batch_id) == []
    with db.session() as s:  # a later hand edit of the cadre also blocks
        c = s.execute(select(Cadre).where(Cadre.id_number == N1)).scalar_one()
        c.current_post = "手工改过"
    with db.session() as s:
        assert any("又被修改过" in p for p in import_ledger.withdraw_check(s, admin, res.batch_id))


def test_viewer_may_list_but_not_withdraw(db, admin, viewer, tmp_path):
    res = _import(db, admin, write_xlsx(tmp_path / "1.xlsx", ["姓名", "身份证号"], [["张三", N1]]))
    with db.session() as s:
        assert len(import_ledger.list_batches(s, viewer)) == 1
        with pytest.raises(Exception, match="权限"):
            import_ledger.withdraw(s, viewer, res.batch_id, "x")


@pytest.mark.parametrize("cell, char", [
    (N1[:5] + "\u00b3" + N1[6:], "³"),  # superscript three
    (N1[:5] + "\u0663" + N1[6:], "٣"),  # Arabic-Indic three
    (N1[:5] + "\u2462" + N1[6:], "③"),
])
def test_odd_digits_in_an_id_number_reject_the_row_naming_the_character(db, admin, tmp_path, cell, char):
    path = write_xlsx(tmp_path / "o.xlsx", ["姓名", "身份证号"], [["张三", cell], ["李四", N2]])
    result = _import(db, admin, path)
    assert result.created == 1 and len(result.rejected) == 1
    r = result.rejected[0]
    assert r.row == 2 and f"第6个字符“{char}”" in r.reason and r.column == "B列“身份证号”"


def test_full_width_digits_are_the_same_person(db, admin, tmp_path):
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in N1)
    _import(db, admin, write_xlsx(tmp_path / "a.xlsx", ["姓名", "身份证号"], [["张三", N1]]))
    again = _import(db, admin, write_xlsx(tmp_path / "b.xlsx", ["姓名", "身份证号"], [["张三", wide]]))
    assert (again.created, again.unchanged) == (0, 1)


def test_odd_digits_in_a_date_reject_the_row(db, admin, tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", ["姓名", "身份证号", "参加工作时间"], [["张三", N1, "199٧.07"]])
    result = _import(db, admin, path)
    assert result.created == 0 and "第4个字符“٧”" in result.rejected[0].reason
    assert result.rejected[0].column == "C列“参加工作时间”"


def test_zero_width_and_bidi_characters_are_removed_from_names(db, admin, tmp_path):
    _import(db, admin, write_xlsx(tmp_path / "a.xlsx", ["姓名", "身份证号"], [["张\u200b三\u202e", N1]]))
    assert _cadre(db, N1).name == "张三"


def test_mapping_remembered_by_header_and_by_name(db, admin, tmp_path):
    with db.session() as s:
        mappings.save(s, admin, "cadres", "abc123", ["姓名", "证号"], {"证号": "id_number", "姓名": "name"}, "区委台账")
    with db.session() as s:
        assert mappings.find(s, "cadres", signature="abc123").name == "区委台账"
        assert mappings.by_name(s, "cadres", "区委台账")["证号"] == "id_number"
        with pytest.raises(ValidationError, match="没有名为“别的”"):
            mappings.by_name(s, "cadres", "别的")
    assert mappings.parse_map_options("handling", ["处理处分种类=处分种类", "备注=忽略"]) == {
        "处理处分种类": "kind", "备注": "ignore"}
    with pytest.raises(ValidationError, match="没有叫“种类名”的字段"):
        mappings.parse_map_options("handling", ["x=种类名"])


def _bomb(path, member, data_iter):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(member, "w") as fh:
            for chunk in data_iter:
                fh.write(chunk)


def test_a_shared_strings_bomb_is_refused_naming_the_limit(db, admin, tmp_path):
    p = tmp_path / "bomb.xlsx"
    _bomb(p, "xl/sharedStrings.xml", (b"<si><t>a</t></si>" * 100_000 for _ in range(40)))
    assert p.stat().st_size < 2_000_000
    with pytest.raises(FileUnusable, match="上限"):
        _import(db, admin, p)


def test_millions_of_empty_rows_are_refused_within_the_scan(db, admin, tmp_path):
    p = tmp_path / "rows.xlsx"
    rows = (b"".join(b'<row r="%d"/>' % n for n in range(k * 100_000 + 1, (k + 1) * 100_000 + 1)) for k in range(50))
    _bomb(p, "xl/worksheets/sheet1.xml", rows)
    with pytest.raises(FileUnusable, match="行.*上限|上限.*行"):
        _import(db, admin, p)


def test_a_far_cell_reference_is_refused(db, admin, tmp_path):
    p = tmp_path / "far.xlsx"
    _bomb(p, "xl/worksheets/sheet1.xml", [b'<sheetData><row r="1"><c r="XFD1" t="n"><v>1</v></c></row></sheetData>'])
    with pytest.raises(FileUnusable, match="列"):
        _import(db, admin, p)


def _lrmx_text(name: str, n: str, declared: str) -> str:
    return (f'<?xml version="1.0" encoding="{declared}"?>\r\n<Person><XingMing>{name}</XingMing>'
            f"<ShenFenZheng>{n}</ShenFenZheng><XianRenZhiWu>区财政局预算科科长</XianRenZhiWu></Person>")


@pytest.mark.parametrize("data", [
    _lrmx_text("欧阳娜娜", N2, "gbk").encode("utf-8"),  # declares GBK, is UTF-8: strict UTF-8 first
    _lrmx_text("欧阳娜娜", N2, "utf-8").encode("gb18030"),  # declares UTF-8, is GBK: GB18030 last
    _lrmx_text("欧阳娜娜", N2, "utf-16").encode("utf-16"),  # UTF-16 with a BOM
])
def test_lrmx_text_whatever_encoding_it_claims(db, admin, tmp_path, data):
    from models.exchange.lrmx import import_lrmx

    p = tmp_path / "p.lrmx"
    p.write_bytes(data)
    with db.session() as s:
        result = import_lrmx(s, admin, p, today=TODAY)
    assert result.created == 1, [r.reason for r in result.rejected]
    assert _cadre(db, N2).name == "欧阳娜娜"


def test_lrmx_that_reads_only_as_mojibake_is_refused(db, admin, tmp_path):
    from models.exchange.lrmx import import_lrmx

    garbled = "欧阳娜娜区财政局".encode("utf-8").decode("gbk", errors="replace")  # a name once read the wrong way
    p = tmp_path / "g.lrmx"
    p.write_bytes(_lrmx_text(garbled, N2, "utf-8").encode("utf-8"))
    with pytest.raises(FileUnusable, match="乱码"):
        with db.session() as s:
            import_lrmx(s, admin, p, today=TODAY)
    latin = tmp_path / "l.lrmx"  # GBK bytes declared as Latin-1 (decodes without error, into accented letters)
    latin.write_bytes(_lrmx_text("欧阳娜娜", N2, "iso-8859-1").encode("gbk"))
    with db.session() as s:
        assert import_lrmx(s, admin, latin, today=TODAY).created == 1  # the clean GB18030 reading is taken
