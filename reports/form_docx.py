"""A register form (reports.form.Form: the roster and other lists) as an editable Word file: the same A4 page
(landscape for registers), the title and the lines under it centred, one ruled table whose header row repeats on
every page, the PDF's column widths and alignments, a cell too long for its column set smaller as the PDF does
(down to 3/4), and the lines after the table (notes, 合计, 制表). The PDF stays the reference."""
from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.form import LINE_FACTOR, PAD, Form, page_geometry
from reports.grid_docx import _borders, _fixed_layout, new_document, to_bytes
from reports.notice_docx import _font, _no_auto_space
from reports.textlayout import text_width


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # the only row property set here: no order to keep


def _cell_text(cell, text: str, family: str, size: float, align: str, lh: float) -> None:
    for k, line in enumerate(text.split("\n")):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
        _no_auto_space(p)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(max(lh, size * LINE_FACTOR))
        if line:
            _font(p.add_run(line), family, size)


def build_form_docx(form: Form, fonts: FontSet | None = None) -> bytes:
    fs = fonts or resolve()
    body_f, hei_f, title_f = fs.face("body").family, fs.face("hei").family, fs.face("title").family
    fs.check(form.title + "".join(form.lines_under_title + form.lines_after)
             + "".join(str(x) for row in form.rows for x in row), "body")
    geo = page_geometry(form.landscape)
    doc = new_document(fs, form.cell_size, landscape=form.landscape, top_mm=geo.top / g.MM,
                       bottom_mm=(geo.height - geo.bottom) / g.MM)
    size, lh = form.cell_size, form.cell_size * LINE_FACTOR

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(form.title_size * 0.3)
    _font(title.add_run(form.title), title_f, form.title_size)
    for text in form.lines_under_title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(4)
        _font(p.add_run(text), body_f, g.SIZE["四号"])

    table = doc.add_table(rows=1 + len(form.rows), cols=len(form.columns))
    table.autofit = False
    _borders(table)
    _fixed_layout(table)
    for column, spec in zip(table.columns, form.columns):
        column.width = Mm(spec.width_mm)
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, spec in zip(header.cells, form.columns):
        cell.width = Mm(spec.width_mm)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, spec.title, hei_f, size, "center", lh)
    for values, row in zip(form.rows, table.rows[1:]):
        for k, (cell, spec) in enumerate(zip(row.cells, form.columns)):
            text = str(values[k]) if k < len(values) else ""
            cell.width = Mm(spec.width_mm)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell_size = size
            if spec.shrink and text and "\n" not in text:  # as reports.form: smaller before it wraps
                natural, room = text_width(fs, text, size), spec.width_mm * g.MM - 2 * PAD
                if natural > room:
                    cell_size = max(size * 0.75, size * room / natural - 0.01)
            _cell_text(cell, text, body_f, round(cell_size * 2) / 2, spec.align, lh)
    gap = doc.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    after_size = g.SIZE["四号"]
    for text in form.lines_after:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(after_size * 0.6)
        _font(p.add_run(text), body_f, after_size)
    return to_bytes(doc, form.title, form.author)
