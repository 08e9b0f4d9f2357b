"""Typesetting of notices: titles break only between words (never inside 同志), a heading never ends a page,
no paragraph ends on a line of one character, and the wording stays complete when a field is empty."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from reports import clarification_notice as cn
from reports.notice import Notice, build_notice
from tests.reports.conftest import open_pdf, text_lines


def _lines(data: bytes, size: float = 15.0) -> list[list[str]]:
    with open_pdf(data) as pdf:
        return [["".join(c["text"] for c in line) for line in text_lines(p, size)] for p in pdf.pages]


def test_long_title_breaks_between_words_never_inside_tongzhi(fs):
    for name in ("欧阳建国华", "张堃喆", "司马相如文"):
        title = f"关于对某某区住房和城乡建设局{name}同志有关问题予以澄清的说明"
        n = Notice(title=title, body=["特此说明。"], signature="中共某某市纪律检查委员会", date=date(2026, 3, 5),
                   title_keep=(f"{name}同志",))
        with open_pdf(build_notice(n, fs)) as pdf:
            lines = ["".join(c["text"] for c in ln) for ln in text_lines(pdf.pages[0], 21.0)]
        assert len(lines) >= 2 and "".join(lines) == title
        assert any(f"{name}同志" in ln for ln in lines)  # the name and 同志 on one line
        assert not any(ln.endswith(("同", name[:1])) or ln.startswith("志") for ln in lines)


def test_no_paragraph_ends_on_one_character(fs):
    from reports import geometry as g
    from reports.textlayout import wrap

    para = "经核查，" + "反映的问题与事实不符" * 4 + "反映的问题经查均不属" + "实。"
    plain = wrap(fs, para, size=g.BODY_SIZE, width=g.TYPE_W, pitch=g.CHAR_PITCH, first_indent=2 * g.CHAR_PITCH)
    assert plain[-1].text == "实。"  # the case: the plain line breaking leaves “实。” alone
    n = Notice(title="关于某某问题的说明", body=[para, "特此说明。"], signature="某某纪委", date=date(2026, 3, 5))
    page = _lines(build_notice(n, fs), 15.5)[0]
    last_of_para = next(ln for ln in page if ln.endswith("属实。"))
    assert len(last_of_para.rstrip("。")) >= 2 and "".join(page).count("均不属实。") == 1


def test_heading_is_kept_with_the_next_paragraph(fs):
    body = [f"第{i}段。" for i in range(1, 20)] + ["三、澄清意见", "经批准，予以澄清。", "特此说明。"]
    n = Notice(title="关于某某问题的说明", body=body, addressee="某某单位", signature="某某纪委",
               date=date(2026, 3, 5))
    pages = _lines(build_notice(n, fs), 15.5)
    assert len(pages) >= 2
    assert pages[0][-1] != "三、澄清意见" and "三、澄清意见" in pages[1]
    assert pages[1][pages[1].index("三、澄清意见") + 1].startswith("经批准")


def test_empty_unit_keeps_the_wording_complete(db, officer, admin):
    from tests.reports.test_clarification_notice import _done_for

    cid = _done_for(db, officer, "张建国", {"reporter_name": "王五"}, "反映张建国同志违规干预工程招标的问题")
    with db.session() as s:
        data = cn.notice_input(s, officer, cid, date(2024, 4, 20))
    text = "".join(cn.make_notice(replace(data, unit="", post="")).body)
    assert "请其所在单位做好张建国同志的关心关爱工作" in text and "请做好" not in text
    assert "反映张建国同志有关问题" in text
