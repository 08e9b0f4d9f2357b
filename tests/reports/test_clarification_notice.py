"""The clarification notice measured against GB/T 9704-2012 and checked to carry no reporter data."""
from __future__ import annotations

import io
import re
from datetime import date

import pdfplumber
import pytest
from sqlalchemy import select

from models.services import accusations as acc
from models.services import clarifications as clar
from models.entities import AuditEvent
from models.core.errors import ValidationError
from reports import clarification_notice as cn
from reports import geometry as g
from tests.models.accusation_helpers import REPORTER, make_accusation, make_cadre

MM = 72 / 25.4
SUMMARY = ("举报人称：区住建局局长张建国利用职务便利为其亲属承揽老旧小区改造工程提供帮助，收受好处费20万元，"
           "举报人系红星机械厂第三车间职工，可电话联系13907195566。")
OTHER_ISSUE = "反映张建国同志违规操办其儿子婚礼，大操大办，宴请管理服务对象，收受礼金。"
ISSUES = "反映张建国同志利用职务便利为其亲属承揽老旧小区改造工程提供帮助并收受好处费的问题"
CONCLUSION = "经核查，张建国同志的亲属未承揽老旧小区改造工程，张建国同志不存在收受好处费的问题，反映的问题不属实"


@pytest.fixture
def done(db, officer, admin):
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "org.code", "武纪")
        settings_store.put(s, admin, "org.name", "中共武汉市某区纪律检查委员会")
        zhang = make_cadre(s, "张建国")
        make_accusation(s, officer, [zhang], OTHER_ISSUE, received_on=date(2024, 1, 5))  # unrelated, 属实 or not
        a = make_accusation(s, officer, [zhang], SUMMARY, received_on=date(2024, 3, 1))
        (cid,) = acc.set_outcome(s, officer, a.id, "诬告陷害", date(2024, 4, 1),
                                 verified_by="区纪委监委第三监督检查室").clarification_ids
        clar.update_clarification(s, officer, cid, {
            "initiated_by": "本人申请", "consent": "同意", "methods": ["书面", "通报"], "scope": "区住建局全体干部职工",
            "issues_clarified": ISSUES, "conclusion": CONCLUSION})
        clar.approve(s, officer, cid, "区纪委常委会", date(2024, 4, 10))
        clar.mark_done(s, officer, cid, date(2024, 4, 15))
    return cid


def _pdf(db, officer, cid, variant="letter"):
    with db.session() as s:
        return cn.build_for(s, officer, cid, date(2024, 4, 20), variant=variant)


def _lines(page):
    """Text lines of a page: (text, x0, top, size, fontname, colour) from the characters."""
    rows: dict[float, list] = {}
    for ch in page.chars:
        rows.setdefault(round(ch["top"], 1), []).append(ch)
    out = []
    for top in sorted(rows):
        chars = sorted(rows[top], key=lambda c: c["x0"])
        out.append(("".join(c["text"] for c in chars), chars[0]["x0"], top, round(chars[0]["size"], 1),
                    chars[0]["fontname"], chars[0]["non_stroking_color"], chars[-1]["x1"]))
    return out


def test_page_geometry_fonts_and_sizes(db, officer, done):
    doc = _pdf(db, officer, done)
    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        assert len(pdf.pages) >= 1
        page = pdf.pages[0]
        assert abs(page.width - 210 * MM) < 0.5 and abs(page.height - 297 * MM) < 0.5  # A4
        lines = _lines(page)
        text = {t: (x, top, size, font, colour, x1) for t, x, top, size, font, colour, x1 in lines}
        # red 发文机关标志, centred, its top 35 mm below the top of the type area (37 mm)
        mark = text["中共武汉市某区纪律检查委员会"]
        assert mark[4] == (0.0, 0.8, 0.8, 0.0)
        assert abs((mark[0] + mark[5]) / 2 - (28 + 78) * MM) < 2
        # title 2号 (22 pt), centred in the type area
        title = next(v for t, v in text.items() if t.startswith("关于对张建国同志有关问题予以澄清的说明"))
        assert title[2] == 22.0 and abs((title[0] + title[5]) / 2 - (28 + 78) * MM) < 2
        body = [row for row in lines if row[3] == 16.0 and row[2] > title[1]]
        assert len(body) >= 10
        # left margin 28 mm ± 1 (continuation lines start at the left edge of the type area)
        lefts = sorted({round(r[1] / MM, 1) for r in body})
        assert abs(lefts[0] - 28.0) <= 1.0
        # indented paragraphs start two characters in
        assert any(abs(r[1] - (g.TYPE_LEFT + 2 * g.CHAR_PITCH)) < 1 for r in body)
        # nothing beyond the right edge of the type area (28 + 156 = 184 mm)
        assert max(r[6] for r in lines if r[3] <= 22.0) <= 184 * MM + 1
        # 28 characters on a full line; line pitch ≈ 29.6 pt (22 lines in 225 mm)
        full = [r for r in body if len(r[0]) == 28]
        assert full, [r[0] for r in body]
        tops = [r[2] for r in body]
        pitches = {round(b - a, 1) for a, b in zip(tops, tops[1:])}
        assert min(pitches) == pytest.approx(g.LINE_PITCH, abs=0.2)
        # everything embedded as TrueType subsets, one CJK font family, never the built-in STSong
        fonts = {r[4] for r in lines}
        assert all("+" in f for f in fonts) and not any("STSong" in f for f in fonts)
        # page number — 1 — on the odd page, on the right, 7 mm below the type area
        number = next((v for t, v in text.items() if re.fullmatch(r"—\s*1\s*—", t)), None)
        assert number is not None and number[0] > 150 * MM
        assert 262 * MM + 3 * MM < number[1] < 262 * MM + 7 * MM  # the box above its dash line, 7 mm below


def test_document_number_follows_the_gbt_pattern(db, officer, done):
    doc = _pdf(db, officer, done)
    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        lines = _lines(pdf.pages[0])
    numbers = [r for r in lines if "〔" in r[0]]
    assert len(numbers) == 1
    text, x0, _top, size, *_rest, x1 = numbers[0]
    assert re.fullmatch(r"武纪〔2024〕[1-9]\d*号", text) and text == "武纪〔2024〕1号"  # full year, no 第, no leading 0
    assert size == 16.0 and abs((x0 + x1) / 2 - (28 + 78) * MM) < 2  # centred under the red mark
    with db.session() as s:
        assert clar.get_clarification(s, officer, done).doc_number == "武纪〔2024〕1号"


def test_no_reporter_data_and_no_unrelated_issue_in_the_text(db, officer, done):
    for variant in ("letter", "circular"):
        doc = _pdf(db, officer, done, variant)
        with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
            text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "").replace(" ", "")
        assert "张建国" in text and "不属实" in text and "不得影响张建国同志的选拔任用" in text
        for value in REPORTER.values():
            assert value not in text
        for fragment in ("欧阳", "翠花", "红星机械厂", "第三车间", "1390719", "5566", "举报人", "来信"):
            assert fragment not in text
        assert "婚礼" not in text and "礼金" not in text  # the unrelated issue
        assert "诬告陷害" in text and "依规依纪依法严肃处理" in text  # item 6, without naming anybody


def test_circular_is_addressed_to_the_unit_or_the_setting_and_names_the_scope_in_the_body(db, officer, admin, done):
    doc = _pdf(db, officer, done, "circular")
    assert doc.title == "关于对张建国同志有关问题予以澄清的通报"
    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages)
    lines = text.splitlines()
    addressee = next(ln for ln in lines if ln.endswith("："))
    assert addressee == "区住建局："  # the cadre's unit, not the 澄清范围 text
    flat = text.replace("\n", "")
    assert "在区住建局全体干部职工范围内通报如下" in flat and "特此通报。" in flat
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "documents.circular_addressee", "区直各单位党组（党委）")
    with pdfplumber.open(io.BytesIO(_pdf(db, officer, done, "circular").data)) as pdf:
        assert "区直各单位党组（党委）：" in pdf.pages[0].extract_text()


def test_letter_and_circular_have_their_own_numbers_a_preview_takes_none(db, officer, done):
    from models.services import document_numbers as dn

    preview = _pdf(db, officer, done, "circular")
    with pdfplumber.open(io.BytesIO(preview.data)) as pdf:
        assert "〔文号待编〕" in pdf.pages[0].extract_text()
    assert preview.number == ""
    with db.session() as s:
        assert [r.text for r in dn.register(s, officer)] == ["武纪〔2024〕1号"]  # the 说明's, from 登记完成
    with db.session() as s:
        issued = cn.build_for(s, officer, done, date(2024, 4, 20), variant="circular", issue=True)
        again = cn.build_for(s, officer, done, date(2024, 4, 20), variant="circular", issue=True)
        letter = cn.build_for(s, officer, done, date(2024, 4, 20), variant="letter", issue=True)
    assert issued.number == again.number == "武纪〔2024〕2号"  # a reprint keeps its number
    assert letter.number == "武纪〔2024〕1号" != issued.number
    with pdfplumber.open(io.BytesIO(issued.data)) as pdf:
        assert "武纪〔2024〕2号" in pdf.pages[0].extract_text()
    with db.session() as s:
        rows = dn.register(s, officer)
    assert [(r.text, r.kind) for r in rows] == [("武纪〔2024〕1号", "clarification"),
                                               ("武纪〔2024〕2号", "clarification_circular")]


def test_voided_letter_number_is_replaced_on_the_next_issue(db, officer, done):
    from models.services import document_numbers as dn

    with db.session() as s:
        first = dn.register(s, officer)[0]
        dn.void(s, officer, first.id, "说明内容有误，重新发文")
        assert clar.get_clarification(s, officer, done).doc_number is None
        preview = cn.build_for(s, officer, done, date(2024, 4, 20))
        issued = cn.build_for(s, officer, done, date(2024, 4, 20), issue=True)
    assert preview.number == "" and issued.number == "武纪〔2024〕2号"


def test_a_notice_carrying_reporter_data_is_refused(db, officer, done):
    with db.session() as s:
        data = cn.notice_input(s, officer, done, date(2024, 4, 20))
    assert data.reporter.name == "欧阳翠花"
    from dataclasses import replace

    for issues in ("据欧阳翠花反映的问题", "红星机械厂第三车间反映的问题", "电话13907195566反映的问题"):
        with pytest.raises(ValidationError, match="举报人|电话号码"):
            cn.make_notice(replace(data, issues=issues))


def _done_for(db, officer, cadre_name: str, reporter: dict, issues: str) -> int:
    with db.session() as s:
        cadre = make_cadre(s, cadre_name)
        fields = {"reporter_name": None, "reporter_unit": None, "reporter_contact": None, **reporter}
        a = make_accusation(s, officer, [cadre], "反映工程问题。", received_on=date(2024, 3, 1), **fields)
        (cid,) = acc.set_outcome(s, officer, a.id, "不属实", date(2024, 4, 1), verified_by="区纪委监委").clarification_ids
        clar.update_clarification(s, officer, cid, {
            "initiated_by": "本人申请", "consent": "同意", "methods": ["书面"],
            "issues_clarified": issues, "conclusion": f"经核查，{cadre_name}同志不存在该问题，反映的问题不属实"})
        clar.approve(s, officer, cid, "区纪委常委会", date(2024, 4, 10))
    return cid


def test_reporter_of_the_cadres_own_unit_or_inside_the_cadres_name_does_not_stop_the_notice(db, officer):
    same_unit = _done_for(db, officer, "张建国", {"reporter_name": "王五", "reporter_unit": "区住建局"},
                          "反映张建国同志违规干预工程招标的问题")
    inside = _done_for(db, officer, "李明华", {"reporter_name": "李明", "reporter_unit": "某公司"},
                       "反映李明华同志违规干预工程招标的问题")
    for cid, name in ((same_unit, "张建国"), (inside, "李明华")):
        doc = _pdf(db, officer, cid)
        with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
            text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
        assert f"{name}同志" in text and "区住建局" in text
        assert "王五" not in text and "某公司" not in text


def test_reporter_name_as_a_whole_word_is_still_refused(db, officer):
    from dataclasses import replace

    cid = _done_for(db, officer, "李明华", {"reporter_name": "李明", "reporter_contact": "江汉路12号"},
                    "反映李明华同志违规干预工程招标的问题")
    with db.session() as s:
        data = cn.notice_input(s, officer, cid, date(2024, 4, 20))
    for issues in ("经李明同志反映的问题", "举报人李明称", "住在江汉路12号的群众反映的问题", "身份证420102198001011234的问题"):
        with pytest.raises(ValidationError):
            cn.make_notice(replace(data, issues=issues))
    cn.make_notice(replace(data, issues="李明华同志明确表示的问题"))  # 李明 inside 李明华 is the cadre's own name


def test_only_approved_clarifications_are_printed(db, officer):
    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        a = make_accusation(s, officer, [zhang], SUMMARY)
        (cid,) = acc.set_outcome(s, officer, a.id, "错告", date(2024, 4, 1)).clarification_ids
        with pytest.raises(ValidationError, match="批准后才能生成"):
            cn.notice_input(s, officer, cid, date(2024, 4, 20))


def test_command_line_writes_one_notice_and_audits_it(db, db_path, officer, done, tmp_path, capsys, cli_account):
    import main

    U = cli_account(db, role="officer")
    out = tmp_path / "澄清.pdf"
    assert main.main(["pdf", "clarification", str(done), "--db", str(db_path), *U, "--out", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert "关于对张建国同志有关问题予以澄清的说明" in text.replace("\n", "")
    with db.session() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars().all()
        assert len(ev) == 1 and ev[0].cadre_id is not None
    assert main.main(["pdf", "clarification", "999", "--db", str(db_path), *U, "--out", str(out)]) == 2
    assert "999" in capsys.readouterr().err


def test_command_line_circular_docx_and_draft(db, db_path, officer, done, tmp_path, capsys, cli_account):
    import main
    from docx import Document

    from models.services import document_numbers as dn

    user = cli_account(db, role="officer")

    draft = tmp_path / "通报草稿.pdf"
    assert main.main(["pdf", "circular", str(done), "--db", str(db_path), *user, "--out", str(draft), "--draft"]) == 0
    with pdfplumber.open(draft) as pdf:
        assert "〔文号待编〕" in pdf.pages[0].extract_text()
    word = tmp_path / "通报.docx"
    assert main.main(["pdf", "circular", str(done), "--db", str(db_path), *user, "--out", str(word)]) == 0
    assert "武纪〔2024〕2号" in capsys.readouterr().out
    text = "\n".join(p.text for p in Document(str(word)).paragraphs)
    assert "关于对张建国同志有关问题予以澄清的通报" in text and "武纪〔2024〕2号" in text
    again = tmp_path / "通报.pdf"
    assert main.main(["pdf", "circular", str(done), "--db", str(db_path), *user, "--out", str(again)]) == 0
    with pdfplumber.open(again) as pdf:
        assert "武纪〔2024〕2号" in pdf.pages[0].extract_text()  # a reprint keeps its number
    with db.session() as s:
        assert [r.text for r in dn.register(s, officer)] == ["武纪〔2024〕1号", "武纪〔2024〕2号"]
    assert main.main(["pdf", "circular", str(done), "--db", str(db_path), *user, "--out", str(tmp_path / "x.txt")]) == 2


def test_the_notice_reads_every_setting_it_honours(db, officer, admin, done):
    """The notice reads its settings in one statement: each saved value still reaches it, the old
    clarification.header_style only while documents.header_style was never saved."""
    from models.core import settings_store

    def notice():
        with db.session() as s:
            return cn.notice_input(s, officer, done, date(2024, 4, 20), variant="circular")

    first = notice()
    assert (first.organ, first.header, first.preprinted_top_mm, first.addressee) == (
        "中共武汉市某区纪律检查委员会", "red", 100.0, "区住建局")
    with db.session() as s:
        settings_store.put(s, admin, "clarification.header_style", "letter")
        settings_store.put(s, admin, "documents.preprinted_top_mm", 92.0)
        settings_store.put(s, admin, "documents.circular_addressee", "区直各单位")
    second = notice()
    assert (second.header, second.preprinted_top_mm, second.addressee) == ("letter", 92.0, "区直各单位")
    with db.session() as s:
        settings_store.put(s, admin, "documents.header_style", "preprinted")
    assert notice().header == "preprinted"
