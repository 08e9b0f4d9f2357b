"""The 统计分析 PDF (A4, every table with its chart and its numbers) and workbook (numbers as numbers), and the
command `export statistics`."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from models.services import statistics as st
from reports import statistics as report
from tests.reports.conftest import open_pdf

TODAY = date(2026, 12, 3)
QUERY = st.StatsQuery(date(2026, 1, 1), date(2026, 12, 31), TODAY)


def table(key="t", chart="bar", rows=None, shares=(), target=None) -> st.StatTable:
    rows = rows or (st.StatRow("市委办公室", (12, 0.25)), st.StatRow("䶮城街道", (3, 0.75)), st.StatRow("合计", (15, 1.0)))
    return st.StatTable(key, "处理处分·按单位（含下级单位）", "单位", ("件数", "占比"), tuple(rows), chart=chart,
                        plotted=(0,), shares=shares or (1,), note="各单位的数字包括其全部下级单位。", target=target)


def stats(*tables) -> st.Statistics:
    return st.Statistics(QUERY, "全部单位", (st.Section("handling", "处理处分", tuple(tables)),))


def test_pdf_has_every_table_its_numbers_and_a_chart_on_a4(fs):
    data = report.build_pdf(stats(table("a", "hbar"), table("b", "line", target=0.5), table("c", "bar")),
                            org_name="中共某某市纪律检查委员会", fonts=fs)
    with open_pdf(data) as pdf:
        assert {(round(p.width, 2), round(p.height, 2)) for p in pdf.pages} == {(595.28, 841.89)}
        text = "".join(p.extract_text() for p in pdf.pages)
        first = pdf.pages[0]
        assert first.rects or first.lines  # the bars and rules are drawn
        assert "".join(c["text"] for c in first.chars if c["size"] == 18) == "中共某某市纪律检查委员会统计分析"
    assert "统计期间：2026年1月1日至2026年12月31日" in text
    assert text.count("处理处分·按单位（含下级单位）") == 3
    assert "市委办公室" in text and "䶮城街道" in text  # the rare character falls back to a font that has it
    assert "25.0%" in text and "75.0%" in text and "15" in text
    assert "目标 50%" in text
    assert "— 1 —" in text


def test_a_chart_shows_the_largest_rows_of_a_long_table_the_table_all():
    rows = tuple(st.StatRow(f"单位{i}", (i, None)) for i in range(40)) + (st.StatRow("合计", (780, None)),)
    t = table(rows=rows)
    shown = report.chart_rows(t)
    assert len(shown) == report.CHART_ROWS and "合计" not in [r.label for r in shown]
    assert {r.label for r in shown} == {f"单位{i}" for i in range(25, 40)}
    assert report.cell_text(t, 1, None) == "—" and report.cell_text(t, 1, 0.1234) == "12.3%"


def test_workbook_keeps_numbers_as_numbers_and_text_as_text(tmp_path):
    rows = (st.StatRow("=HYPERLINK(\"x\")", (2, 0.5)), st.StatRow("合计", (4, 1.0)))
    path = report.write_xlsx(stats(table(rows=rows)), tmp_path / "统计.xlsx", org_name="某纪委")
    ws = load_workbook(path)["处理处分"]
    cells = {c.value: c for r in ws.iter_rows() for c in r if c.value is not None}
    assert "某纪委统计分析：处理处分" in cells
    label = cells['=HYPERLINK("x")']
    assert label.data_type == "s"  # never a formula
    number = ws.cell(row=label.row, column=2)
    share = ws.cell(row=label.row, column=3)
    assert number.value == 2 and isinstance(number.value, int)
    assert share.value == 0.5 and share.number_format == "0.0%"


def test_export_statistics_command(tmp_path, capsys, monkeypatch):
    from main import main

    path = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(path), "--cadres", "120"]) == 0
    monkeypatch.setenv("CADRECARE_PASSWORD", "demo2024")
    real_main = main

    def main(argv):  # noqa: F811 - every export acts under the demo account
        return real_main(argv + ["--user", "demo"])

    out = tmp_path / "统计.xlsx"
    assert main(["export", "statistics", "--db", str(path), "--from", "2024-01-01", "--to", "2026-12-31",
                 "--out", str(out)]) == 0
    assert "已导出统计分析" in capsys.readouterr().out
    wb = load_workbook(out)
    assert {"处理处分", "表彰奖励", "回访教育"} <= set(wb.sheetnames)
    pdf = tmp_path / "统计.pdf"
    assert main(["export", "statistics", "--db", str(path), "--from", "2024-01-01", "--to", "2026-12-31",
                 "--unit", "市委办公室", "--out", str(pdf)]) == 0
    with open_pdf(pdf.read_bytes()) as doc:
        assert "单位：市委办公室" in doc.pages[0].extract_text()
    capsys.readouterr()
    assert main(["export", "statistics", "--db", str(path), "--to", "2026-12-31", "--out", str(out)]) == 2
    assert "--from 和 --to" in capsys.readouterr().err
    assert main(["export", "statistics", "--db", str(path), "--from", "2026-12-31", "--to", "2026-01-01",
                 "--out", str(out)]) == 2
    assert "晚于结束日期" in capsys.readouterr().err
    assert main(["export", "statistics", "--db", str(path), "--from", "2026-01-01", "--to", "2026-12-31",
                 "--unit", "没有这个单位", "--out", str(out)]) == 2
    assert "找不到单位" in capsys.readouterr().err
    assert main(["export", "statistics", "--db", str(path), "--from", "2026-01-01", "--to", "2026-12-31",
                 "--out", str(tmp_path / "统计.docx")]) == 2
    assert ".xlsx、.pdf" in capsys.readouterr().err


@pytest.mark.parametrize("chart", ["bar", "hbar", "line"])
def test_every_chart_kind_draws_with_empty_numbers(fs, chart):
    rows = (st.StatRow("甲", (0, None)), st.StatRow("乙", (0, None)))
    assert report.build_pdf(stats(table(chart=chart, rows=rows)), fonts=fs).startswith(b"%PDF")


def test_a_line_chart_prints_the_number_of_every_point(fs):
    data = report.build_pdf(stats(table("b", "line")), fonts=fs)
    with open_pdf(data) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words()]
    # 12 and 3: once over the chart's points, once in the table (the axis runs 0, 5 … 25)
    assert words.count("12") == 2 and words.count("3") == 2


def test_a_chart_leaves_out_breakdowns_and_rows_without_a_number():
    rows = (st.StatRow("第一种形态", (5, 0.5)), st.StatRow("其中：函询", (2, None), part=True),
            st.StatRow("第四种形态", (None, None)), st.StatRow("第二种形态", (5, 0.5)))
    t = table(rows=rows)
    assert [r.label for r in report.chart_rows(t)] == ["第一种形态", "第二种形态"]
    assert t.total(0) == 10  # a breakdown is not added to the total either


def test_long_reply_outcomes_are_printed_whole_beside_their_bars(fs, db, admin):
    import dataclasses

    with db.session() as s:
        t = st.compute(s, admin, QUERY).table("inquiry_outcomes")  # the chart kind the service chose
    rows = tuple(dataclasses.replace(r, values=(i + 1,)) for i, r in enumerate(t.rows))
    rows += (st.StatRow("已回复、未填办理结果", (1,)),)
    t = dataclasses.replace(t, rows=rows)
    with open_pdf(report.build_pdf(stats(t), fonts=fs)) as pdf:
        text = pdf.pages[0].extract_text()
    for label in ("再次谈话函询", "转初步核实", "已回复、未填办理结果"):
        assert text.count(label) == 2, label  # beside its bar and in the table, not cut to 再次谈…


def test_workbook_prints_on_a4_across_one_page_width(tmp_path):
    ws = load_workbook(report.write_xlsx(stats(table()), tmp_path / "统计.xlsx"))["处理处分"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
