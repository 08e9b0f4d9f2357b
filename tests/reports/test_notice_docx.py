"""The .docx of a notice: the same GB/T 9704 page as the PDF (A4, 37/28 mm margins, 22 × 28 grid), the fonts by
name, the 版头 of each setting, the 文号, the same title lines, page numbers as PAGE fields odd right / even left."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from reports.notice import _balanced_title, _clean
from reports.notice_docx import build_notice_docx
from tests.reports.test_header_setting import _notice


def _open(data: bytes):
    return Document(io.BytesIO(data))


@pytest.mark.parametrize("header", ["red", "preprinted", "plain", "letter"])
def test_page_grid_and_fonts(fs, header):
    doc = _open(build_notice_docx(_notice(header), fs))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(x.mm, 1) for x in (sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin)] == \
        [37.0, 28.0, 26.0, 35.0]
    grid = sec._sectPr.find(qn("w:docGrid"))
    # a line grid (LibreOffice gives a character wider than a character grid's pitch two cells: 14 a line)
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    normal = doc.styles["Normal"].element.rPr
    pitch_pt = normal.sz_val.pt + int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(156 / (pitch_pt * 25.4 / 72)) == 28  # 28 characters a line, the 29th does not fit
    assert int(156 / (normal.sz_val.pt * 25.4 / 72)) == 27  # (without the spacing only 27 would)
    assert 225 / (int(grid.get(qn("w:linePitch"))) / 20 * 25.4 / 72) == pytest.approx(22, abs=0.1)  # 22 lines
    families = {fs.face(r).family for r in ("body", "title")}
    used = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert used and used <= families | {fs.face(r).family for r in ("hei", "kai", "song")}
    east = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert east <= families | {fs.face(r).family for r in ("hei", "kai")}
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "某某区财政局：" in text and "特此说明。" in text and "2026年3月5日" in text
    if header == "plain":
        assert "某纪函〔2026〕3号" not in text
    elif header == "letter":
        head = "".join(p.text for p in sec.first_page_header.paragraphs)
        assert head == "中共某某市纪律检查委员会" and "某纪函〔2026〕3号" in text
        assert sec.different_first_page_header_footer
    else:
        assert "某纪函〔2026〕3号" in text


def test_red_header_mark_is_red_and_the_rule_follows_the_number(fs):
    doc = _open(build_notice_docx(_notice("red"), fs))
    mark = doc.paragraphs[0]
    assert mark.text == "中共某某市纪律检查委员会" and mark.runs[0].font.color.rgb is not None
    assert round(mark.paragraph_format.space_before.mm) == 35  # 35 mm below the top of the type area
    number = next(p for p in doc.paragraphs if p.text == "某纪函〔2026〕3号")
    border = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "E60012"


def test_title_lines_are_those_of_the_pdf(fs):
    long_title = "关于对某某市某某区住房和城乡建设局张堃喆同志有关问题予以澄清的说明"
    n = _notice("red")
    n.title, n.title_keep = long_title, ("张堃喆同志",)
    doc = _open(build_notice_docx(n, fs))
    title = next(p for p in doc.paragraphs if p.text.replace("\n", "").startswith("关于对"))
    pdf_lines = [ln.text for ln in _balanced_title(fs, _clean(long_title), 22, 156 * 72 / 25.4, ("张堃喆同志",))]
    assert len(pdf_lines) >= 2 and title.text.split("\n") == pdf_lines
    assert not any(ln.endswith("同") or ln.startswith("志") for ln in pdf_lines)


def test_page_numbers_are_fields_odd_right_even_left(fs):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _open(build_notice_docx(_notice("red"), fs))
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for p in (odd, even):
        xml = p._element.xml
        assert "PAGE" in xml and "fldChar" in xml and p.text.startswith("— ") and p.text.endswith(" —")
    assert Mm(20) < sec.footer_distance < Mm(30)


def test_missing_organ_name_is_refused(fs):
    from models.core.errors import ValidationError

    n = _notice("red")
    n.org_mark, n.signature = "", ""
    n.date = date(2026, 3, 5)
    with pytest.raises(ValidationError, match="机关名称"):
        build_notice_docx(n, fs)
