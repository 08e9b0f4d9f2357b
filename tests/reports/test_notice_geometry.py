"""The notice measured on the PDF: GB/T 9704-2012 page, type area, grid, sizes, page numbers (domain §4)."""
from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from reports import geometry as g
from reports.notice import Notice, build_notice
from tests.reports.conftest import dash_line_mm, long_notice, open_pdf, text_lines

MM = g.MM


@pytest.fixture(scope="module")
def long_pdf(fs):
    # no punctuation: every line of a full page holds exactly 28 characters (避头尾 may move one otherwise)
    plain = "为保护干部干事创业的积极性根据有关规定现予以澄清正名营造风清气正的政治生态"
    return build_notice(long_notice(1, body=[plain * 40]), fs)


def test_page_is_a4(long_pdf):
    with open_pdf(long_pdf) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:
            assert page.width == pytest.approx(595.28, abs=0.01)
            assert page.height == pytest.approx(841.89, abs=0.01)


def test_full_body_page_fills_the_type_area_with_22_lines_of_28(long_pdf):
    with open_pdf(long_pdf) as pdf:
        lines = text_lines(pdf.pages[1])
    assert len(lines) == 22
    assert [len(line) for line in lines] == [28] * 22
    first, last = lines[0][0], lines[-1][-1]
    assert first["top"] / MM == pytest.approx(37, abs=1)  # 天头 37 mm
    assert first["x0"] / MM == pytest.approx(28, abs=1)  # 订口 28 mm
    assert last["x1"] / MM == pytest.approx(28 + 156, abs=1)  # type area 156 mm wide
    assert last["bottom"] / MM == pytest.approx(37 + 225, abs=1)  # and 225 mm high
    for line in lines:  # every full line is justified to the right edge
        assert line[-1]["x1"] / MM == pytest.approx(184, abs=0.5)


def test_font_sizes_title_22_body_16(long_pdf):
    with open_pdf(long_pdf) as pdf:
        page = pdf.pages[0]
        lines = text_lines(page)
    title = "".join(c["text"] for c in lines[0])
    assert title == "关于对张堃喆同志有关问题予以澄清的说明"
    assert {c["size"] for c in lines[0]} == {22}
    assert {round(c["size"], 2) for line in lines[1:] for c in line} == {16}
    # the title is centred in the type area
    assert (lines[0][0]["x0"] + lines[0][-1]["x1"]) / 2 / MM == pytest.approx(28 + 78, abs=1)
    # 主送机关 flush left, one blank line below the title, ending with a full-width colon
    addressee = "".join(c["text"] for c in lines[1])
    assert addressee == "市直各单位："
    assert lines[1][0]["x0"] / MM == pytest.approx(28, abs=0.5)
    assert (lines[1][0]["top"] - lines[0][0]["top"]) == pytest.approx(2 * g.LINE_PITCH, abs=1)
    # the paragraph is indented two characters
    assert lines[2][0]["x0"] - lines[1][0]["x0"] == pytest.approx(2 * g.CHAR_PITCH, abs=0.5)


def test_every_font_is_embedded_as_truetype(long_pdf):
    reader = PdfReader(__import__("io").BytesIO(long_pdf))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for base, font in fonts.items():
        assert "STSong" not in base
        descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font
                      else font["/FontDescriptor"]).get_object()
        assert "/FontFile2" in descriptor, base


def test_page_numbers_right_on_odd_left_on_even(long_pdf):
    with open_pdf(long_pdf) as pdf:
        for index, page in enumerate(pdf.pages):
            number = index + 1
            small = [c for c in page.chars if c["size"] == pytest.approx(14) and c["text"].strip()]
            assert "".join(c["text"] for c in small) == f"—{number}—"
            dash = small[0]
            line = dash_line_mm(long_pdf, index, dash["x0"] + 1, dash["x1"] - 1, dash["top"], dash["bottom"])
            assert line == pytest.approx(262 + 7, abs=0.4)  # the dash line 7 mm below the type area
            if number % 2:
                assert max(c["x1"] for c in small) / MM == pytest.approx(184 - g.CHAR_PITCH / MM, abs=1)
            else:
                assert min(c["x0"] for c in small) / MM == pytest.approx(28 + g.CHAR_PITCH / MM, abs=1)


def test_text_is_extracted_intact_with_rare_characters(fs):
    body = ["经核查，反映张堃喆、李燚、王〇〇同志的问题不属实。", "特此说明。"]
    n = Notice(title="关于对张堃喆同志有关问题予以澄清的说明", body=body, signature="中共某某市纪律检查委员会",
               date=date(2026, 1, 9))
    with open_pdf(build_notice(n, fs)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "经核查，反映张堃喆、李燚、王〇〇同志的问题不属实。" in text.replace("\n", "")
    assert "2026年1月9日" in text  # 成文日期 without leading zeros


def test_signature_sealed_date_right_indented_four_characters(fs):
    n = long_notice(1)
    with open_pdf(build_notice(n, fs)) as pdf:
        lines = text_lines(pdf.pages[0])
    date_line = next(line for line in lines if "".join(c["text"] for c in line) == "2026年3月5日")
    name_line = next(line for line in lines if "".join(c["text"] for c in line) == "中共某某市纪律检查委员会")
    assert date_line[-1]["x1"] / MM == pytest.approx(184 - 4 * g.CHAR_PITCH / MM, abs=1)
    date_centre = (date_line[0]["x0"] + date_line[-1]["x1"]) / 2
    name_centre = (name_line[0]["x0"] + name_line[-1]["x1"]) / 2
    assert name_centre == pytest.approx(date_centre, abs=3)  # organ name centred over the date
    body_last = max(line[0]["top"] for line in lines if line[0]["top"] < name_line[0]["top"])
    # seal area: two free lines between the body and the organ name (the seal presses on name and date)
    assert name_line[0]["top"] - body_last == pytest.approx(3 * g.LINE_PITCH, abs=1)


def test_unsealed_signature_two_characters_from_the_right(fs):
    n = long_notice(1, sealed=False)
    with open_pdf(build_notice(n, fs)) as pdf:
        lines = text_lines(pdf.pages[0])
    name_line = next(line for line in lines if "".join(c["text"] for c in line) == "中共某某市纪律检查委员会")
    date_line = next(line for line in lines if "".join(c["text"] for c in line) == "2026年3月5日")
    assert name_line[-1]["x1"] / MM == pytest.approx(184 - 2 * g.CHAR_PITCH / MM, abs=1)
    assert date_line[0]["x0"] - name_line[0]["x0"] == pytest.approx(2 * g.CHAR_PITCH, abs=1)


def test_red_header_with_document_number_and_red_rule(fs):
    n = long_notice(1, header="red", doc_number="某纪〔2026〕3号", org_mark="中共某某市纪律检查委员会")
    data = build_notice(n, fs)
    with open_pdf(data) as pdf:
        page = pdf.pages[0]
        mark = [c for c in page.chars if c["size"] > 22]
        assert "".join(c["text"] for c in mark) == "中共某某市纪律检查委员会"
        assert min(c["top"] for c in mark) / MM == pytest.approx(37 + 35, abs=1)  # 35 mm below the type area top
        assert all(c["non_stroking_color"] and c["non_stroking_color"][1] > 0.7 for c in mark)  # red (CMYK M)
        number = [line for line in text_lines(page) if "".join(c["text"] for c in line) == "某纪〔2026〕3号"]
        assert number, "发文字号 missing"
        centre = (number[0][0]["x0"] + number[0][-1]["x1"]) / 2
        assert centre / MM == pytest.approx(106, abs=1)
        rules = [ln for ln in page.lines if abs(ln["x1"] - ln["x0"] - 156 * MM) < 1]
        assert rules and rules[0]["top"] - number[0][0]["bottom"] == pytest.approx(4 * MM, abs=1)
        title_line = [line for line in text_lines(page) if line[0]["size"] == 22][0]
        assert title_line[0]["top"] > rules[0]["top"] + 1.5 * g.LINE_PITCH  # title two lines below the red rule


def test_letter_format_has_no_page_number_on_page_one(fs):
    n = long_notice(12, header="letter", doc_number="某纪函〔2026〕12号", org_mark="中共某某市纪律检查委员会")
    with open_pdf(build_notice(n, fs)) as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        assert not [c for c in first.chars if c["size"] == pytest.approx(14) and c["text"] == "1"]
        number = [line for line in text_lines(first) if "".join(c["text"] for c in line) == "某纪函〔2026〕12号"][0]
        assert number[-1]["x1"] / MM == pytest.approx(184, abs=1)  # flush right
        assert "—2—" == "".join(c["text"] for c in second.chars if c["size"] == pytest.approx(14) and c["text"].strip())
        long_rules = [ln for ln in first.lines if abs(ln["x1"] - ln["x0"] - 170 * MM) < 1]
        assert len(long_rules) == 4  # two double lines of 170 mm


def test_record_block_at_the_bottom_of_the_last_page(fs):
    n = long_notice(1, cc="市委组织部，市委办公室", issuer="中共某某市纪律检查委员会办公室", issue_date=date(2026, 3, 6))
    with open_pdf(build_notice(n, fs)) as pdf:
        page = pdf.pages[-1]
        text = page.extract_text()
        rules = sorted((ln for ln in page.lines if abs(ln["x1"] - ln["x0"] - 156 * MM) < 1), key=lambda ln: ln["top"])
    assert "抄送：市委组织部，市委办公室。" in text
    assert "2026年3月6日印发" in text
    assert len(rules) == 3
    assert rules[-1]["top"] / MM == pytest.approx(262, abs=0.5)  # the last rule is the bottom of the type area
    assert rules[0]["linewidth"] == pytest.approx(0.35 * MM, abs=0.05)
    assert rules[1]["linewidth"] == pytest.approx(0.25 * MM, abs=0.05)


def test_bad_document_number_is_refused(fs):
    from models.core.errors import ValidationError

    with pytest.raises(ValidationError, match="发文字号"):
        build_notice(long_notice(1, header="red", doc_number="某纪[2026]3号"), fs)


def test_no_line_starts_with_closing_punctuation(fs):
    from reports.textlayout import NO_LINE_START

    para = "，".join(["测试文字一二三四五六七八九十测试文字一二三四五六七"] * 10) + "。"
    with open_pdf(build_notice(Notice(title="测试", body=[para]), fs)) as pdf:
        lines = text_lines(pdf.pages[0])
    for line in lines[1:]:
        assert line[0]["text"] not in NO_LINE_START
