"""The Word files keep the order WordprocessingML requires inside paragraph, run and table properties (Word
refuses or "repairs" a file that does not; LibreOffice would not tell), and their form tables carry the PDF's
column widths in the table grid (LibreOffice and WPS size columns by it)."""
from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from reports.grid import Cell, Row
from reports.grid_docx import build_grid_docx
from reports.notice_docx import build_notice_docx
from reports.ooxml_order import ORDERS, local_name
from tests.reports.test_header_setting import _notice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/styles.xml")]


def _out_of_order(data: bytes) -> list[str]:
    bad = []
    for root in _parts(data):
        for parent_name, order in ORDERS.items():
            for parent in root.iter(W + parent_name):
                names = [local_name(c.tag) for c in parent if local_name(c.tag) in order]
                if names != sorted(names, key=order.index):
                    bad.append(f"{parent_name}: {names}")
    return bad


def _form(fs) -> bytes:
    rows = [Row([Cell("回访日期", 20, True), Cell("2026年10月30日", 30), Cell("地点", 16, True), Cell("单位会议室", 90)]),
            Row([Cell("意见", 20, True), Cell("", 136)], min_lines=3)]
    return build_grid_docx("回访教育记录表", "填报单位：某单位", "编号：1", rows, fs)


@pytest.mark.parametrize("header", ["red", "preprinted", "plain", "letter"])
def test_notice_properties_are_in_schema_order(fs, header):
    assert _out_of_order(build_notice_docx(_notice(header), fs)) == []


def test_form_properties_are_in_schema_order_and_columns_in_the_grid(fs):
    data = _form(fs)
    assert _out_of_order(data) == []
    document = _parts(data)[0]
    first = next(document.iter(W + "tblGrid"))
    widths_mm = [int(c.get(W + "w")) / 20 * 25.4 / 72 for c in first.iter(W + "gridCol")]
    assert widths_mm == pytest.approx([20, 30, 16, 90], abs=0.1)
    margins = next(document.iter(W + "tblCellMar"))
    assert {local_name(e.tag): int(e.get(W + "w")) for e in margins} == {"top": 0, "left": 91, "bottom": 0, "right": 91}
