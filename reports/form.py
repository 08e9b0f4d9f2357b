"""A4 table forms (registers, records, rosters) in the same fonts as the notices (domain §4.3).

A form is a title (2号, title role) centred on the first page, optional lines under it (the range, the organ),
a ruled table whose header row repeats on every page, cells wrapped inside their column (every character
checked against the fonts, per-character fallback), lines after the table (合计, 制表), and page numbers
"— n —" 7 mm below the table area, right on odd and left on even pages. Portrait or landscape A4; the binding
edge keeps 28 mm.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from models.core.errors import ValidationError
from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.page_number import draw_page_number
from reports.textlayout import draw_text, text_width, wrap


@dataclass
class Column:
    """shrink: a text too long for one line is set smaller (down to 3/4 of the cell size) before it wraps, so
    that long unit names keep a register to one line a person."""

    title: str
    width_mm: float
    align: str = "left"  # left / center
    shrink: bool = False


@dataclass
class Form:
    """Attributes:
        title: the form's title.
        lines_under_title: centred lines under the title (the range, the date …).
        columns: the table's columns; their widths must add up to the table width (156 mm portrait, 243 landscape).
        rows: one list of cell texts per row.
        lines_after: lines after the table (合计, 制表单位 …).
        landscape: A4 landscape (wide registers).
        cell_size: font size of the cells (12 pt = 小四).
    """

    title: str
    columns: list[Column]
    rows: list[list[str]]
    lines_under_title: list[str] = field(default_factory=list)
    lines_after: list[str] = field(default_factory=list)
    landscape: bool = False
    cell_size: float = g.SIZE["小四"]
    title_size: float = g.TITLE_SIZE
    author: str = ""


@dataclass(frozen=True)
class FormPage:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def inner_width(self) -> float:
        return self.right - self.left


def page_geometry(landscape: bool) -> FormPage:
    if landscape:
        w, h = g.PAGE_H, g.PAGE_W
        return FormPage(w, h, g.LEFT_MARGIN, w - 26 * g.MM, 22 * g.MM, h - 25 * g.MM)
    # portrait forms (records, the assessment form): 25 mm top and bottom — room for one record on one page
    return FormPage(g.PAGE_W, g.PAGE_H, g.LEFT_MARGIN, g.TYPE_RIGHT, 25 * g.MM, g.PAGE_H - 25 * g.MM)


PAD = 1.6 * g.MM
LINE_FACTOR = 1.45
RULE = 0.6


def _cell_lines(fs: FontSet, text: str, width: float, size: float, role: str) -> list[str]:
    out: list[str] = []
    for para in (text or "").replace("\r", "").split("\n"):
        out += [ln.text for ln in wrap(fs, para, size=size, width=width, role=role)]
    return out or [""]


def _draw_page_number(c: Canvas, fs: FontSet, geo: FormPage, number: int) -> None:
    draw_page_number(c, fs, number, left=geo.left, right=geo.right, area_bottom=geo.bottom, page_height=geo.height)


def draw_form(c: Canvas, form: Form, fs: FontSet) -> int:
    """Draw the form on new pages of an open canvas; returns the number of pages."""
    geo = page_geometry(form.landscape)
    total = sum(col.width_mm for col in form.columns) * g.MM
    if abs(total - geo.inner_width) > 1.0:
        raise ValidationError(
            f"表格各列宽度之和为 {total / g.MM:.0f} 毫米，应为 {geo.inner_width / g.MM:.0f} 毫米。", "columns")
    size = form.cell_size
    lh = size * LINE_FACTOR
    widths = [col.width_mm * g.MM for col in form.columns]

    def y(top: float, sz: float, role: str = "body") -> float:
        return geo.height - top - sz * (1 + fs.face(role).descent)

    def cell_size(k: int, text: str, role: str) -> float:
        col = form.columns[k]
        if not col.shrink or not text or "\n" in text:
            return size
        natural = text_width(fs, text, size, role=role)
        room = widths[k] - 2 * PAD
        return size if natural <= room else max(size * 0.75, size * room / natural - 0.01)

    def row_layout(cells: list[str], role: str) -> tuple[list[list[str]], float, list[float]]:
        texts = [str(cells[k]) if k < len(cells) else "" for k in range(len(widths))]
        sizes = [cell_size(k, t, role) if role != "hei" else size for k, t in enumerate(texts)]
        lines = [_cell_lines(fs, t, widths[k] - 2 * PAD, sizes[k], role) for k, t in enumerate(texts)]
        height = max(len(x) for x in lines) * lh + 2 * PAD - (lh - size)
        return lines, height, sizes

    header_lines, header_h, _sizes = row_layout([col.title for col in form.columns], "hei")
    page_no = 0
    cursor = geo.top

    def new_page(first: bool) -> float:
        nonlocal page_no
        if page_no:
            _draw_page_number(c, fs, geo, page_no)
            c.showPage()
        c.setPageSize((geo.width, geo.height))
        page_no += 1
        top = geo.top
        if first:
            for line in wrap(fs, form.title, size=form.title_size, width=geo.inner_width, role="title"):
                w = text_width(fs, line.text, form.title_size, role="title")
                draw_text(c, fs, line.text, geo.left + (geo.inner_width - w) / 2, y(top, form.title_size, "title"),
                          form.title_size, role="title")
                top += form.title_size * 1.5
            top += form.title_size * 0.3
            for text in form.lines_under_title:
                sub = g.SIZE["四号"]
                w = text_width(fs, text, sub)
                draw_text(c, fs, text, geo.left + (geo.inner_width - w) / 2, y(top, sub), sub)
                top += sub * 1.6
            top += 2 * g.MM
        return top

    def draw_row(top: float, lines: list[list[str]], height: float, role: str, header: bool,
                 cell_sizes: list[float] | None = None) -> None:
        x = geo.left
        c.setLineWidth(RULE)
        c.rect(geo.left, geo.height - top - height, geo.inner_width, height)
        for k, cell in enumerate(lines):
            if k:
                c.line(x, geo.height - top, x, geo.height - top - height)
            sz = cell_sizes[k] if cell_sizes else size
            block = len(cell) * lh - (lh - size)
            t = top + (height - block) / 2
            for line in cell:
                w = text_width(fs, line, sz, role=role)
                align = "center" if header else form.columns[k].align
                lx = x + (widths[k] - w) / 2 if align == "center" else x + PAD
                draw_text(c, fs, line, lx, y(t + (size - sz) / 2, sz, role), sz, role=role)
                t += lh
            x += widths[k]

    cursor = new_page(True)
    draw_row(cursor, header_lines, header_h, "hei", True)
    cursor += header_h
    for cells in form.rows:
        lines, height, row_sizes = row_layout([str(x) for x in cells], "body")
        if cursor + height > geo.bottom and cursor > geo.top + header_h + 1:
            cursor = new_page(False)
            draw_row(cursor, header_lines, header_h, "hei", True)
            cursor += header_h
        draw_row(cursor, lines, height, "body", False, row_sizes)
        cursor += height
    cursor += 3 * g.MM
    after_size = g.SIZE["四号"]
    for text in form.lines_after:
        for line in wrap(fs, text, size=after_size, width=geo.inner_width):
            if cursor + after_size > geo.bottom:
                cursor = new_page(False)
            draw_text(c, fs, line.text, geo.left + line.indent, y(cursor, after_size), after_size)
            cursor += after_size * 1.6
    _draw_page_number(c, fs, geo, page_no)
    c.showPage()
    return page_no


def build_form(form: Form, fonts: FontSet | None = None) -> bytes:
    fs = fonts or resolve()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), pageCompression=1, initialFontName=fs.face("body").name)
    c.setTitle(form.title)
    c.setAuthor(form.author)
    c.setCreator("干部关爱与问责记录")
    draw_form(c, form, fs)
    c.save()
    return buf.getvalue()


def write_form(form: Form, path: str | Path, fonts: FontSet | None = None) -> Path:
    from reports.output import write_bytes

    return write_bytes(build_form(form, fonts), path)
