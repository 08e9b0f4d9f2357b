"""One 版头 setting for every notice (documents.header_style) and the geometry of each mode: 红头, 套打, none,
信函格式 (GB/T 9704 §10.1: the number about 4.9 mm under the double line, the title two lines below it)."""
from __future__ import annotations

from datetime import date

import pytest

from models.core import settings_store
from reports import document_settings
from reports import geometry as g
from reports.notice import Notice, build_notice
from tests.reports.conftest import open_pdf

MM = g.MM
ORGAN = "中共某某市纪律检查委员会"


def _notice(header: str, **kw) -> Notice:
    return Notice(title="关于对张堃喆同志有关问题予以澄清的说明", body=["经核查，反映的问题不属实。", "特此说明。"],
                  addressee="某某区财政局", signature=ORGAN, date=date(2026, 3, 5), doc_number="某纪函〔2026〕3号",
                  header=header, org_mark=ORGAN, **kw)


def _chars(data: bytes, text: str, size: float):
    with open_pdf(data) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["size"] == pytest.approx(size, abs=0.2)]
        line = "".join(c["text"] for c in chars)
        assert text in line, line
        start = line.index(text)
        return chars[start:start + len(text)], page


def test_settings_page_value_is_what_notices_read(db, admin):
    with db.session() as s:
        assert document_settings.header_style(s) == "red"  # the default: notices carry their 文号 in a 红头
        settings_store.put(s, admin, "clarification.header_style", "letter")  # a database from before the fix
        assert document_settings.header_style(s) == "letter"
        settings_store.put(s, admin, "documents.header_style", "preprinted")  # saved by 设置 → 公文与字体
        assert document_settings.header_style(s) == "preprinted"
        settings_store.put(s, admin, "documents.preprinted_top_mm", 90.0)
        assert document_settings.preprinted_top_mm(s) == 90.0


def test_letter_format_geometry(fs):
    data = build_notice(_notice("letter"), fs)
    number, page = _chars(data, "某纪函〔2026〕3号", g.BODY_SIZE)
    title, _ = _chars(data, "关于对张堃喆同志", g.TITLE_SIZE)
    mark = [c for c in page.chars if c["size"] > 23]
    assert mark[0]["top"] / MM == pytest.approx(30, abs=0.5)  # the organ name 30 mm from the top edge
    rules = sorted((ln for ln in page.lines + page.rects if ln["width"] > 160 * MM), key=lambda ln: ln["top"])
    upper = [ln for ln in rules if ln["top"] < number[0]["top"]]
    double_bottom = max(ln["bottom"] for ln in upper)
    assert (upper[0]["top"] - mark[0]["bottom"]) / MM == pytest.approx(4, abs=0.5)  # 4 mm below the organ name
    assert (number[0]["top"] - double_bottom) / MM == pytest.approx(4.9, abs=0.3)
    assert number[-1]["x1"] / MM == pytest.approx(184, abs=0.5)  # flush right
    assert (title[0]["top"] - number[0]["top"]) / g.LINE_PITCH == pytest.approx(2, abs=0.1)  # two lines below
    lower = [ln for ln in rules if ln["top"] > 250 * MM]
    assert lower and max(ln["bottom"] for ln in lower) / MM == pytest.approx(277, abs=0.5)  # 20 mm above the edge
    assert "— 1 —" not in page.extract_text()  # no page number on page one


def test_preprinted_leaves_the_top_free_and_prints_the_number_above_the_red_line(fs):
    data = build_notice(_notice("preprinted", preprinted_top_mm=95.0), fs)
    number, page = _chars(data, "某纪函〔2026〕3号", g.BODY_SIZE)
    assert number[0]["bottom"] / MM == pytest.approx(95 - 4, abs=0.5)
    assert not [c for c in page.chars if c["top"] < number[0]["top"] - 1]  # nothing above: the paper has the 红头
    assert not page.lines and not [r for r in page.rects if r["width"] > 100 * MM]  # no red line drawn
    title, _ = _chars(data, "关于对张堃喆同志", g.TITLE_SIZE)
    assert title[0]["top"] > 95 * MM + g.LINE_PITCH


def test_red_header_draws_mark_number_and_rule(fs):
    data = build_notice(_notice("red"), fs)
    number, page = _chars(data, "某纪函〔2026〕3号", g.BODY_SIZE)
    mark = [c for c in page.chars if c["size"] > 23]
    assert mark[0]["top"] / MM == pytest.approx(37 + 35, abs=0.5)
    rule = [ln for ln in page.lines + page.rects if ln["width"] > 150 * MM]
    assert rule and (rule[0]["top"] - number[0]["bottom"]) / MM == pytest.approx(4, abs=0.5)


def test_plain_has_no_header(fs):
    with open_pdf(build_notice(_notice("plain"), fs)) as pdf:
        page = pdf.pages[0]
        assert "某纪函" not in page.extract_text()
        assert min(c["top"] for c in page.chars) / MM == pytest.approx(37, abs=0.5)
