"""The same 台账 in every format imports the same people: .xlsx .xls .et .ods .csv (UTF-8, BOM, GB18030) and
UTF-16 .txt; two-row merged headers, a title merged across, cells merged down, headers under other names, and
columns that match nothing listed, never dropped unseen."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.entities import Cadre, Handling, Unit
from models.exchange.cadre_import import import_cadres
from models.exchange.common import FileUnusable
from models.exchange.handling_import import import_handling
from models.exchange.table_reader import detect_encoding
from tests.exchange.files import number
from tests.exchange.ledgers import FORMATS, Ledger, write
from tests.handling_helpers import add_cadre

TODAY = date(2024, 6, 1)
N1, N2, N3 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2), number(date(1990, 1, 1), "男", 3)


def two_row_ledger() -> Ledger:
    """Title merged over the table; 序号/姓名/身份证号码 merged over both header rows; 工作情况 merged over four
    columns; 全日制教育 over 学历; the unit merged down over the first two people; an unknown column 联系电话."""
    rows = [
        ["2024年某区干部信息台账", None, None, None, None, None, None, None, None, None],
        ["填报单位：某区委组织部", None, None, None, None, None, None, None, None, None],
        ["序号", "姓名", "公民身份号码", "工作情况", None, None, None, "全日制教育", "联系电话", "备注"],
        [None, None, None, "工作单位", "现任职务", "职级", "任现职时间", "学历", None, None],
        [1, "张三", N1, "区财政局/预算科", "科长", "一级主任科员", "2020.03", "大学本科", "13800000000", None],
        [2, "李四", N2, None, "副科长", "三级主任科员", "2021.06", "研究生", None, None],
        [3, "王五", N3, "区委办", "科员", "一级科员", "2019.07", None, None, "调入"],
        ["合计", "3人", None, None, None, None, None, None, None, None],
    ]
    merges = [((0, 0), (0, 9)), ((2, 0), (3, 0)), ((2, 1), (3, 1)), ((2, 2), (3, 2)), ((2, 3), (2, 6)),
              ((2, 8), (3, 8)), ((2, 9), (3, 9)), ((4, 3), (5, 3))]
    return Ledger(rows, merges)


def _people(db):
    with db.session() as s:
        units = {u.id: u for u in s.execute(select(Unit)).scalars()}
        out = {}
        for c in s.execute(select(Cadre).order_by(Cadre.id_number)).scalars():
            unit = units.get(c.unit_id)
            path = []
            while unit is not None:
                path.append(unit.name)
                unit = units.get(unit.parent_id)
            out[c.id_number] = (c.name, "/".join(reversed(path)), c.current_post, c.rank, c.post_since, c.ft_education)
        return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_row_merged_header_imports_every_column_in_every_format(db, admin, tmp_path, fmt):
    path = write(two_row_ledger(), tmp_path / "台账", fmt)
    with db.session() as s:
        result = import_cadres(s, admin, path, today=TODAY)
    assert (result.created, len(result.rejected)) == (3, 0), [r.message for r in result.rejected]
    assert result.unknown_columns == ["I列“联系电话”"]
    assert "I列“联系电话”（未识别）" in result.left_out_columns
    assert "J列“备注”（不需要导入）" in result.left_out_columns
    assert {c["header"]: c["key"] for c in result.columns}["工作情况/工作单位"] == "unit"
    assert {c["header"]: c["key"] for c in result.columns}["全日制教育/学历"] == "ft_education"
    merged_down = "" if fmt.startswith(("csv", "txt")) else "区财政局/预算科"  # text files have no merged cells
    assert _people(db) == {
        N1: ("张三", "区财政局/预算科", "科长", "一级主任科员", date(2020, 3, 1), "大学本科"),
        N2: ("李四", merged_down, "副科长", "三级主任科员", date(2021, 6, 1), "研究生"),
        N3: ("王五", "区委办", "科员", "一级科员", date(2019, 7, 1), None),
    }


def test_handling_headers_offices_use(db, admin, tmp_path):
    """处理处分种类, 决定（批准）时间, 公民身份号码 and 工作单位及职务 (known, not imported) — from a .xls."""
    with db.session() as s:
        a = add_cadre(s, "张三")
        b = add_cadre(s, "李四")
        na, nb = a.id_number, b.id_number
    rows = [["序号", "姓名", "公民身份号码", "工作单位及职务", "处理处分种类", "决定（批准）时间", "处分（处理）文号", "问题摘要"],
            [1, "张三", na, "区财政局科长", "党内警告", "2024-03-15", "区纪〔2024〕1号", "违规收受礼品"],
            [2, "李四", nb, "区委办科员", "诫勉", date(2024, 4, 1), "", ""]]
    path = write(Ledger(rows), tmp_path / "处分台账", "xls")
    with db.session() as s:
        result = import_handling(s, admin, path, today=date(2025, 6, 1))
    assert (result.created, len(result.rejected)) == (2, 0), [r.message for r in result.rejected]
    assert result.unknown_columns == ["H列“问题摘要”"]
    with db.session() as s:
        kinds = sorted((h.regime, h.kind, h.decided_on) for h in s.execute(select(Handling)).scalars())
    assert kinds == [("admonish", "admonishment", date(2024, 4, 1)), ("party", "warning", date(2024, 3, 15))]


def test_mapping_names_a_column_the_synonyms_do_not_know(db, admin, tmp_path):
    rows = [["姓名", "身份证号", "现工作岗位"], ["张三", N1, "科长"]]
    path = write(Ledger(rows), tmp_path / "m", "xlsx")
    with db.session() as s:
        plain = import_cadres(s, admin, path, today=TODAY, dry_run=True)
        s.rollback()
    assert plain.unknown_columns == ["C列“现工作岗位”"]
    with db.session() as s:
        mapped = import_cadres(s, admin, path, today=TODAY, mapping={"现工作岗位": "current_post"})
    assert mapped.unknown_columns == [] and mapped.created == 1
    assert _people(db)[N1][2] == "科长"


def test_a_required_column_under_an_unknown_name_can_be_mapped(db, admin, tmp_path):
    rows = [["姓名", "证号", "职务"], ["张三", N1, "科长"]]
    path = write(Ledger(rows), tmp_path / "r", "csv-gb18030")
    with pytest.raises(FileUnusable, match="缺少必填列：身份证号.*--map"):
        with db.session() as s:
            import_cadres(s, admin, path, today=TODAY)
    with db.session() as s:
        assert import_cadres(s, admin, path, today=TODAY, mapping={"证号": "id_number"}).created == 1


@pytest.mark.parametrize("data, encoding", [
    ("姓名,身份证号\r\n张三,1\r\n".encode("utf-8"), "utf-8"),
    ("姓名,身份证号\r\n张三,1\r\n".encode("utf-8-sig"), "utf-8-sig"),
    ("姓名,身份证号\r\n张三,1\r\n".encode("gb18030"), "gb18030"),
    ("姓名\t身份证号\r\n".encode("utf-16"), "utf-16"),
])
def test_text_encoding_detected(tmp_path, data, encoding):
    p = tmp_path / "x.csv"
    p.write_bytes(data)
    assert detect_encoding(p) == encoding


def test_a_text_file_in_no_known_encoding_is_refused(tmp_path, db, admin):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"\xff\xff\xfa\x80\x81" * 50)
    with pytest.raises(FileUnusable, match="编码无法识别"):
        with db.session() as s:
            import_cadres(s, admin, p, today=TODAY)


def test_a_workbook_with_a_csv_name_is_told_apart(tmp_path, db, admin):
    src = write(Ledger([["姓名", "身份证号"], ["张三", N1]]), tmp_path / "w", "xlsx")
    p = tmp_path / "w.csv"
    p.write_bytes(src.read_bytes())
    with pytest.raises(FileUnusable, match="扩展名"):
        with db.session() as s:
            import_cadres(s, admin, p, today=TODAY)
