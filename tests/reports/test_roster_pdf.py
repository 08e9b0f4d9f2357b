"""The roster form measured: A4 landscape, title and range, the columns (现任职务, short kinds, 备注), every row
on one line, at least 15 people a page, the reason for a later date, total, page numbers."""
from __future__ import annotations

from datetime import date

import pytest

from models.core.errors import ValidationError
from reports.roster_pdf import CAME_OFF, IN_PERIOD, RosterRow, RosterTitle, build_roster_pdf, write_roster_pdf
from tests.reports.conftest import open_pdf


def rows(n: int) -> list[RosterRow]:
    names = ["张堃喆", "李燚", "王〇", "赵喆"]
    return [RosterRow(f"{names[i % 4]}{i}", f"11010119900307{i:04d}", "武汉市硚口区花桥街道花桥街一社区",
                      "党内严重警告；政务记过" if i % 5 == 0 else "党内严重警告", date(2026, 2, 28), date(2026, 3, 1),
                      post="社区居委会副主任",
                      effective_on=date(2024, 9, 1)) for i in range(n)]


def test_came_off_roster_has_title_range_columns_rows_and_total(fs, tmp_path):
    path = write_roster_pdf(rows(3), RosterTitle(CAME_OFF, date(2026, 1, 1), date(2026, 3, 31), org_name="中共某某市委组织部"),
                            tmp_path / "名单.pdf", fs)
    with open_pdf(path.read_bytes()) as pdf:
        page = pdf.pages[0]
        assert {(round(page.width, 2), round(page.height, 2))} == {(841.89, 595.28)}  # A4 landscape
        text = page.extract_text()
        title = [c for c in page.chars if c["size"] == 18]
    assert "".join(c["text"] for c in title) == "影响期满人员名单"
    assert "影响期满日期：2026年1月1日至2026年3月31日" in text
    for header in ("序号", "姓名", "身份证号", "单位", "现任职务", "处理处分", "生效日期", "期满日期", "备注"):
        assert header in text
    assert "张堃喆0" in text and "李燚1" in text and "王〇2" in text
    assert "110101199003070000" in text  # the ID number on one line, not broken
    assert "武汉市硚口区花桥街道花桥街一社区" in text  # the full unit name on one line
    assert "党内严重警告" in text and "社区居委会副主任" in text
    assert "2024.9.1" in text and "2026.3.1" in text
    assert "合计：3人" in text
    assert "制表单位：中共某某市委组织部" in text


def test_long_roster_repeats_the_header_and_numbers_pages(fs):
    data = build_roster_pdf(rows(60), RosterTitle(IN_PERIOD, on_date=date(2026, 3, 31)), fs)
    with open_pdf(data) as pdf:
        assert len(pdf.pages) <= 4  # 60 people, a fifth with two kinds on two lines
        for page in pdf.pages:  # at least 15 people on every full page, one line each
            seq = [w for w in page.extract_words() if w["text"].isdigit() and w["x0"] < 28 * 72 / 25.4 + 11 * 72 / 25.4]
            assert len(seq) >= 15 or page is pdf.pages[-1]
        for index, page in enumerate(pdf.pages):
            text = page.extract_text()
            assert "身份证号" in text  # header row on every page
            numbers = [c for c in page.chars if c["size"] == pytest.approx(14) and c["text"].strip()
                       and c["top"] > page.height * 0.9]
            assert "".join(c["text"] for c in numbers) == f"—{index + 1}—"
            if (index + 1) % 2:
                assert max(c["x1"] for c in numbers) > page.width / 2
            else:
                assert min(c["x0"] for c in numbers) < page.width / 2
        all_text = "".join(p.extract_text() for p in pdf.pages)
    assert "截至2026年3月31日仍处于影响期内" in all_text
    assert all(f"{['张堃喆', '李燚', '王〇', '赵喆'][i % 4]}{i}" in all_text for i in range(60))
    assert "合计：60人" in all_text


def test_empty_roster_still_prints_title_and_zero(fs):
    with open_pdf(build_roster_pdf([], RosterTitle(CAME_OFF, date(2026, 1, 1), date(2026, 1, 31)), fs)) as pdf:
        assert "合计：0人" in pdf.pages[0].extract_text()


def test_reversed_dates_are_refused(fs):
    with pytest.raises(ValidationError, match="晚于"):
        build_roster_pdf([], RosterTitle(CAME_OFF, date(2026, 3, 1), date(2026, 1, 1)), fs)


def test_a_later_date_is_explained_under_the_table(fs):
    rs = rows(2)
    from dataclasses import replace

    rs[1] = replace(rs[1], note="与2025年3月1日政务警告的未执行期间合并计算，期满日期相应推后")
    with open_pdf(build_roster_pdf(rs, RosterTitle(IN_PERIOD, on_date=date(2026, 3, 31)), fs)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "注1" in text and "注1：李燚1，与2025年3月1日政务警告的未执行期间合并计算，期满日期相应推后" in text
