"""A notice as an editable Word file (.docx, python-docx) on the GB/T 9704 page of the PDF, for the last edit in
WPS or Word; the PDF stays the reference.

The same page: A4, margins 37 mm (top) / 28 mm (binding) / 26 mm / 35 mm, a document grid of 22 lines × 28
characters (linePitch 579 twips on a line grid, 16 pt characters spaced −0.25 pt), the fonts of the PDF by
name (the 仿宋/小标宋/黑体/楷体 roles of reports.fonts), the same title lines (broken between words), the 版头
of the setting (红头 drawn, 套打 with the top left free, none, 信函格式 in the first-page header), and page
numbers "— n —" in 4号宋体 as PAGE fields: odd pages on the right and even pages on the left, one character in.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from models.rules.period_math import cn_date
from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.ooxml_order import insert_ordered
from reports.notice import (
    Notice, _balanced_title, _clean, _org_mark_size, _para_role, _validate,
)
from reports.textlayout import text_width

RED = RGBColor(0xE6, 0x00, 0x12)  # Y80% M80% on screen
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines
# 28 characters a line: 16 pt characters 0.25 pt closer (156 mm / 28 = 15.79 pt). Done as character spacing on a line
# grid, not as a character grid (charSpace −849): LibreOffice gives a character wider than the grid's pitch two
# cells, which made 14 characters a line there.
CHAR_SPACING_TWIPS = -5
EXACT_LINE = Pt(LINE_PITCH_TWIPS / 20)
RED_HEX = "E60012"


def _name_fonts(r_pr, family: str) -> None:
    """The font by name for every script, 东亚 (eastAsia) included: Word takes Chinese text from eastAsia."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        insert_ordered(r_pr, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def _font(run, family: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.name = family
    _name_fonts(run._element.get_or_add_rPr(), family)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _paragraph(doc_or_part, text: str = "", *, family: str, size: float = g.BODY_SIZE, align=None,
               first_indent_chars: float = 0.0, color: RGBColor | None = None, space_before=None):
    p = doc_or_part.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = space_before if space_before is not None else Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = EXACT_LINE if size <= g.BODY_SIZE else Pt(max(size * 1.3, LINE_PITCH_TWIPS / 20))
    if align is not None:
        p.alignment = align
    if first_indent_chars:
        ind = fmt._element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(int(first_indent_chars * 100)))
        fmt.first_line_indent = Pt(first_indent_chars * g.CHAR_PITCH)
    if text:
        _font(p.add_run(text), family, size, color=color)
    return p


def _border(p, side: str, *, sz: int, color: str = RED_HEX, space: int = 0, val: str = "single") -> None:
    p_pr = p._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        insert_ordered(p_pr, borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), val)
    edge.set(qn("w:sz"), str(sz))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _right_indent(p, points: float) -> None:
    p.paragraph_format.right_indent = Pt(points)


def _page_number_footer(footer, family: str, odd: bool) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    size = g.PAGE_NUMBER_SIZE
    if odd:
        p.paragraph_format.right_indent = Pt(size)
    else:
        p.paragraph_format.left_indent = Pt(size)
    _font(p.add_run("— "), family, size)
    run = p.add_run()
    _font(run, family, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), family, size)


def _setup_page(doc, section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # the page number's dash line 7 mm below the type area: the footer line's middle at 35 − 7 mm from the edge
    section.footer_distance = Mm(35 - 7) - Pt(g.PAGE_NUMBER_SIZE * 0.75)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _default_size(doc, size: float) -> None:
    """The document default font size (docDefaults, 11 pt in python-docx's template) = the body size, so that
    text without a style of its own (table cells, a new paragraph typed in WPS) starts at the body size."""
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = r_pr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            insert_ordered(r_pr, el)
        el.set(qn("w:val"), str(round(size * 2)))


def _no_auto_space(style_or_paragraph) -> None:
    """No extra space between Chinese and Latin letters or digits ("2026年3月", as the PDF sets it): Word, WPS and
    LibreOffice add about a quarter character there by default, which wraps dates in narrow cells. On a style or
    a paragraph (LibreOffice reads it from the paragraph only)."""
    p_pr = style_or_paragraph._element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        insert_ordered(p_pr, el)


def _defaults(doc, family: str) -> None:
    _default_size(doc, g.BODY_SIZE)
    style = doc.styles["Normal"]
    style.font.size = Pt(g.BODY_SIZE)
    style.font.name = family
    r_pr = style.element.get_or_add_rPr()
    _name_fonts(r_pr, family)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    insert_ordered(r_pr, spacing)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = EXACT_LINE
    _no_auto_space(style)


def build_notice_docx(n: Notice, fonts: FontSet | None = None) -> bytes:
    """The notice as .docx bytes; the same checks as the PDF (every character in a font, the 版头 needs a name)."""
    from models.core.errors import ValidationError

    fs = fonts or resolve()
    _validate(n)
    body_f, title_f = fs.face("body").family, fs.face("title").family
    hei_f, kai_f, song_f = fs.face("hei").family, fs.face("kai").family, fs.face("song").family
    mark = _clean(n.org_mark or n.signature)
    if n.header in ("red", "letter") and not mark:
        raise ValidationError("红头或信函格式需要发文机关名称。请在“设置 → 公文与字体”中填写机关名称。", "org_mark")
    fs.check(_clean(n.title) + mark + n.doc_number + "".join(n.body) + n.addressee + n.signature, "body")

    doc = Document()
    _defaults(doc, body_f)
    section = doc.sections[0]
    _setup_page(doc, section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, song_f, odd=True)
    _page_number_footer(section.even_page_footer, song_f, odd=False)
    body = doc  # paragraphs are added to the document body
    title_gap = 1  # blank lines between what is above and the title

    if n.header == "red":
        size = _org_mark_size(fs, mark, g.TYPE_W)
        _paragraph(body, mark, family=title_f, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED,
                   space_before=Mm(35))
        _paragraph(body, family=body_f)
        num = _paragraph(body, n.doc_number, family=body_f, align=WD_ALIGN_PARAGRAPH.CENTER)
        _border(num, "bottom", sz=12, space=11)  # the red separator 4 mm below the 发文字号
    elif n.header == "preprinted":
        gap = Mm(max(0.0, n.preprinted_top_mm - 37 - 4)) - EXACT_LINE
        _paragraph(body, n.doc_number, family=body_f, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=max(gap, Pt(0)))
    elif n.header == "letter":
        size = min(36.0, _org_mark_size(fs, mark, g.LETTER_RULE_W))
        section.different_first_page_header_footer = True
        section.header_distance = Mm(30) - Pt(size * 0.15)
        head = section.first_page_header
        head.is_linked_to_previous = False
        hp = head.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(hp.add_run(mark), title_f, size, color=RED)
        _border(hp, "bottom", sz=18, space=4, val="thickThinSmallGap")  # thick over thin, 4 mm below the name
        foot = section.first_page_footer
        foot.is_linked_to_previous = False
        fp = foot.paragraphs[0]
        _border(fp, "top", sz=18, space=1, val="thinThickSmallGap")  # thin over thick, near 20 mm above the edge
        section.footer_distance = Mm(20) - Pt(12)
        if n.doc_number:
            _paragraph(body, n.doc_number, family=body_f, align=WD_ALIGN_PARAGRAPH.RIGHT)
        title_gap = 1
    else:
        title_gap = 0
    for _ in range(title_gap):
        _paragraph(body, family=body_f)

    title_lines = _balanced_title(fs, _clean(n.title), g.TITLE_SIZE, g.TYPE_W, tuple(n.title_keep))
    tp = _paragraph(body, family=title_f, size=g.TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    for k, line in enumerate(title_lines):
        run = tp.add_run(line.text)
        _font(run, title_f, g.TITLE_SIZE)
        if k < len(title_lines) - 1:
            run.add_break(WD_BREAK.LINE)
    _paragraph(body, family=body_f)
    if n.addressee.strip():
        addressee = _clean(n.addressee)
        if not addressee.endswith(("：", ":")):
            addressee += "："
        _paragraph(body, addressee, family=body_f)
    for para in n.body:
        para = _clean(para)
        if not para:
            continue
        role = _para_role(para)
        family = {"hei": hei_f, "kai": kai_f}.get(role, body_f)
        p = _paragraph(body, para, family=family, first_indent_chars=2)
        if role in ("hei", "kai"):
            p.paragraph_format.keep_with_next = True
        p.paragraph_format.widow_control = True
    if n.attachments:
        _paragraph(body, family=body_f)
        names = [_clean(a).rstrip("。；;，,") for a in n.attachments]
        for i, name in enumerate(names):
            text = f"{i + 1}.{name}" if len(names) > 1 else name
            _paragraph(body, ("附件：" if i == 0 else "　　　") + text, family=body_f, first_indent_chars=2)
    date_text = cn_date(n.date) if n.date else ""
    name = _clean(n.signature)
    if name or date_text:
        P = g.CHAR_PITCH
        date_w = text_width(fs, date_text, g.BODY_SIZE, pitch=P)
        name_w = text_width(fs, name, g.BODY_SIZE, pitch=P)
        for _ in range(2 if n.sealed else 1):
            _paragraph(body, family=body_f).paragraph_format.keep_with_next = True
        if n.sealed:
            date_right = 4 * P
            name_right = max(0.0, date_right + (date_w - name_w) / 2)
        else:
            name_right = 2 * P
            date_right = max(2 * P, name_right + name_w - 2 * P - date_w)
        if name:
            p = _paragraph(body, name, family=body_f, align=WD_ALIGN_PARAGRAPH.RIGHT)
            _right_indent(p, name_right)
            p.paragraph_format.keep_with_next = True
        if date_text:
            _right_indent(_paragraph(body, date_text, family=body_f, align=WD_ALIGN_PARAGRAPH.RIGHT), date_right)
    if n.note.strip():
        note = _clean(n.note)
        _paragraph(body, note if note.startswith("（") else f"（{note}）", family=body_f, first_indent_chars=2)
    if n.cc.strip() or (n.issuer and n.header != "letter"):
        _record(body, n, body_f)
    buf = io.BytesIO()
    core = doc.core_properties
    core.title, core.author = _clean(n.title), n.author or n.signature
    doc.save(buf)
    return buf.getvalue()


def _record(body, n: Notice, family: str) -> None:
    """版记: 抄送 and 印发机关/印发日期 between a thick, a thin and a thick rule (4号)."""
    size = g.RECORD_SIZE
    _paragraph(body, family=family)
    rows = []
    if n.cc.strip():
        rows.append(("cc", "抄送：" + _clean(n.cc).rstrip("。.") + "。"))
    if n.issuer and n.header != "letter":
        rows.append(("issuer", _clean(n.issuer)))
    for k, (kind, text) in enumerate(rows):
        p = _paragraph(body, family=family, size=size)
        p.paragraph_format.left_indent = Pt(size)
        p.paragraph_format.right_indent = Pt(size)
        _font(p.add_run(text), family, size)
        if kind == "issuer" and n.issue_date:
            _font(p.add_run("\t" + cn_date(n.issue_date) + "印发"), family, size)
            p.paragraph_format.tab_stops.add_tab_stop(Pt(g.TYPE_W - 2 * size), alignment=2)
        if k == 0:
            _border(p, "top", sz=8, color="000000")
        _border(p, "bottom", sz=8 if k == len(rows) - 1 else 6, color="000000")

