"""A ruled record form (reports.grid rows) as an editable Word file: the same A4 page (25 mm top and bottom,
28 mm binding edge, 156 mm table), the same rows and cell widths, labels in 黑体 and values in the body font by
name, room for handwriting kept as row heights, and page numbers "— n —" odd right / even left.

Each row of the form is a one-row table of its own cell widths; the tables follow each other without space, so
Word and WPS show one ruled form whose rows can be edited, grown and split.
"""
from __future__ import annotations

import io
from typing import Sequence

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.form import PAD
from reports.ooxml_order import insert_ordered
from reports.grid import CELL_SIZE, Row, label_text
from reports.notice_docx import _default_size, _font, _name_fonts, _no_auto_space, _page_number_footer


def _borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    insert_ordered(tbl_pr, borders)


def _fixed_layout(table) -> None:
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    insert_ordered(table._tbl.tblPr, layout)
    # the PDF's cell padding: Word's default (1.9 mm a side) would wrap dates and names the PDF keeps on one line
    margins = OxmlElement("w:tblCellMar")
    for side, points in (("top", 0.0), ("left", PAD), ("bottom", 0.0), ("right", PAD)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(points * 20)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    insert_ordered(table._tbl.tblPr, margins)


def new_document(fs: FontSet, cell_size: float, *, landscape: bool = False, top_mm: float = 25.0,
                 bottom_mm: float = 25.0):
    """An empty Word document on the forms' A4 page (portrait, or landscape for registers), the body font at
    `cell_size`, page numbers "— n —" odd right / even left."""
    from docx.enum.section import WD_ORIENT

    body_f = fs.face("body").family
    doc = Document()
    _default_size(doc, cell_size)
    style = doc.styles["Normal"]
    style.font.size = Pt(cell_size)
    style.font.name = body_f
    _name_fonts(style.element.get_or_add_rPr(), body_f)
    style.paragraph_format.space_after = Pt(0)
    _no_auto_space(style)
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top_mm), Mm(bottom_mm)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(bottom_mm - 7) - Pt(g.PAGE_NUMBER_SIZE * 0.75)
    doc.settings.odd_and_even_pages_header_footer = True
    song_f = fs.face("song").family
    _page_number_footer(section.footer, song_f, odd=True)
    _page_number_footer(section.even_page_footer, song_f, odd=False)
    return doc


def _add_grid(doc, fs: FontSet, title: str, left: str, right: str, rows: Sequence[Row], title_size: float,
              first=None) -> None:
    body_f, hei_f, title_f = fs.face("body").family, fs.face("hei").family, fs.face("title").family
    first = first if first is not None else doc.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_after = Pt(6)
    _font(first.add_run(title), title_f, title_size)
    info = doc.add_paragraph()
    info.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right-aligned tab at the table's edge
    _font(info.add_run(left + "\t" + right), body_f, CELL_SIZE)
    info.paragraph_format.space_after = Pt(4)
    lh = CELL_SIZE * 1.45
    for row in rows:
        table = doc.add_table(rows=1, cols=len(row.cells))
        table.autofit = False
        _borders(table)
        _fixed_layout(table)
        tr = table.rows[0]
        n = max([1, row.min_lines] + [len(c.text.split("\n")) + (1 if c.foot else 0) for c in row.cells])
        height = max(row.min_height_mm * g.MM, n * lh + 2 * PAD - (lh - CELL_SIZE))  # as reports.grid measures it
        tr.height = Pt(height)
        tr.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for column, spec in zip(table.columns, row.cells):
            column.width = Mm(spec.width_mm)  # the table grid: LibreOffice and WPS size columns by it, not by the cells
        for cell, spec in zip(tr.cells, row.cells):
            cell.width = Mm(spec.width_mm)
            if spec.label:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                text = label_text(spec.text, max(1, int((spec.width_mm * g.MM - 3.2 * g.MM) // CELL_SIZE)))
                for k, line in enumerate(text.split("\n")):
                    p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _no_auto_space(p)
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    p.paragraph_format.line_spacing = Pt(lh)
                    _font(p.add_run(line), hei_f, CELL_SIZE)
            else:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
                for k, line in enumerate((spec.text or "").split("\n")):
                    p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    _no_auto_space(p)
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    p.paragraph_format.line_spacing = Pt(lh)
                    if line:
                        _font(p.add_run(line), body_f, CELL_SIZE)
                if spec.foot:
                    for _ in range(max(0, n - len((spec.text or "").split("\n")) - 1)):
                        cell.add_paragraph()  # room to write above the signature line
                    p = cell.add_paragraph()
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    _font(p.add_run(spec.foot), body_f, CELL_SIZE)


def _check(fs: FontSet, title: str, left: str, right: str, rows: Sequence[Row]) -> None:
    fs.check(title + left + right + "".join(c.text + c.foot for r in rows for c in r.cells), "body")


def to_bytes(doc, title: str, author: str) -> bytes:
    doc.core_properties.title = title
    doc.core_properties.author = author
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build_grid_docx(title: str, left: str, right: str, rows: Sequence[Row], fonts: FontSet | None = None, *,
                    author: str = "", title_size: float = g.SIZE["小二"]) -> bytes:
    fs = fonts or resolve()
    _check(fs, title, left, right, rows)
    doc = new_document(fs, CELL_SIZE)
    _add_grid(doc, fs, title, left, right, rows, title_size, first=doc.paragraphs[0] if doc.paragraphs else None)
    return to_bytes(doc, title, author)


def _restart_page_numbers(section) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    sect.insert_element_before(num, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                               "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                               "w:sectPrChange")


def build_grid_batch_docx(forms: Sequence[tuple[str, str, str, Sequence[Row]]], fonts: FontSet | None = None, *,
                          title: str, author: str = "", title_size: float = g.SIZE["小二"],
                          duplex: bool = False) -> bytes:
    """Several forms (title, left, right, rows) in one Word file, as the PDF batch: each form a section of its
    own that starts on a new sheet (duplex: on an odd page) and numbers its own pages from 1."""
    from docx.enum.section import WD_SECTION

    fs = fonts or resolve()
    for f in forms:
        _check(fs, *f)
    doc = new_document(fs, CELL_SIZE)
    for i, (form_title, left, right, rows) in enumerate(forms):
        if i == 0:
            first = doc.paragraphs[0] if doc.paragraphs else None
        else:
            section = doc.add_section(WD_SECTION.ODD_PAGE if duplex else WD_SECTION.NEW_PAGE)
            _restart_page_numbers(section)
            first = None
        _add_grid(doc, fs, form_title, left, right, rows, title_size, first=first)
    return to_bytes(doc, title, author)
