"""Ruled record forms (登记表) on A4: rows of label and value cells, tall rows broken across pages.

Shared by the 回访教育记录表 (reports.visit_record) and the 影响期满考核表 (reports.assessment_form). Label cells are
in 黑体 and centred, values in the body font from the top-left; a row too tall for the rest of the page continues
on the next page with its labels marked “（续）”; a row with `keep_with_next` moves to the next page together with
the row after it (a heading never stands alone at the foot of a page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from reportlab.pdfgen.canvas import Canvas

from reports import geometry as g
from reports.fonts import FontSet
from reports.form import LINE_FACTOR, PAD, RULE, FormPage, _draw_page_number
from reports.textlayout import draw_text, text_width, wrap

CELL_SIZE = g.SIZE["小四"]  # 12 pt


@dataclass
class Cell:
    """A label (黑体, centred) or a value (body font, from the top left); `foot` is printed at the value's bottom
    right, e.g. "签字（盖章）：　　年　月　日" under room left for handwriting."""

    text: str
    width_mm: float
    label: bool = False
    foot: str = ""


@dataclass
class Row:
    """min_lines / min_height_mm: room left for handwriting; keep_with_next: never the last row on a page."""

    cells: list[Cell]
    min_lines: int = 1
    min_height_mm: float = 0.0
    keep_with_next: bool = False


_BREAK_BEFORE = "（和及与或"


def label_text(text: str, max_chars: int) -> str:
    """A label broken onto lines of at most max_chars characters where a word ends: before "（" or a
    conjunction (和/及/与/或), after "、", else after an even count near the middle; an explicit "\n" is kept."""
    if "\n" in text or len(text) <= max_chars:
        return text
    n = len(text)
    lines = -(-n // max_chars)
    best = None
    for k in range(1, n):
        if text[k] in _BREAK_BEFORE or text[k - 1] == "、":
            if k <= max_chars and n - k <= max_chars * (lines - 1):
                score = abs(n / lines - k)
                if best is None or score < best[0]:
                    best = (score, k)
    if best:
        k = best[1]
    else:  # most words of a label have two characters: break after an even count, near the middle
        low, high = max(1, n - max_chars * (lines - 1)), max_chars
        even = [k for k in range(low, high + 1) if k % 2 == 0]
        k = min(even, key=lambda k: abs(n / lines - k)) if even else -(-n // lines)
    return text[:k] + "\n" + label_text(text[k:], max_chars)


class Grid:
    """Draws rows of cells on A4 pages, breaking tall rows across pages."""

    def __init__(self, c: Canvas, fs: FontSet, geo: FormPage, size: float = CELL_SIZE):
        self.c, self.fs, self.geo, self.size = c, fs, geo, size
        self.lh = size * LINE_FACTOR
        self.page_no = 0
        self.cursor = geo.top

    def y(self, top: float, size: float, role: str = "body") -> float:
        return self.geo.height - top - size * (1 + self.fs.face(role).descent)

    def new_page(self) -> None:
        if self.page_no:
            _draw_page_number(self.c, self.fs, self.geo, self.page_no)
            self.c.showPage()
        self.c.setPageSize((self.geo.width, self.geo.height))
        self.page_no += 1
        self.cursor = self.geo.top

    def finish(self) -> int:
        _draw_page_number(self.c, self.fs, self.geo, self.page_no)
        self.c.showPage()
        return self.page_no

    def centred(self, text: str, size: float, role: str) -> None:
        for line in wrap(self.fs, text, size=size, width=self.geo.inner_width, role=role):
            w = text_width(self.fs, line.text, size, role=role)
            draw_text(self.c, self.fs, line.text, self.geo.left + (self.geo.inner_width - w) / 2,
                      self.y(self.cursor, size, role), size, role=role)
            self.cursor += size * 1.5

    def left_right(self, left: str, right: str, size: float) -> None:
        w = text_width(self.fs, right, size)
        if text_width(self.fs, left, size) + w + 2 * size > self.geo.inner_width:  # no room for both: two lines
            self.left_right(left, "", size)
            left = ""
        draw_text(self.c, self.fs, left, self.geo.left, self.y(self.cursor, size), size)
        draw_text(self.c, self.fs, right, self.geo.right - w, self.y(self.cursor, size), size)
        self.cursor += size * 1.8

    def _lines(self, cell: Cell) -> list[str]:
        role = "hei" if cell.label else "body"
        width = cell.width_mm * g.MM - 2 * PAD
        text = (cell.text or "").replace("\r", "")
        if cell.label:
            text = label_text(text, max(1, int((width + 0.1) // self.size)))
        out: list[str] = []
        for para in text.split("\n"):
            out += [ln.text for ln in wrap(self.fs, para, size=self.size, width=width, role=role)]
        return out or [""]

    def _height(self, n: int, min_height: float = 0.0) -> float:
        return max(n * self.lh + 2 * PAD - (self.lh - self.size), min_height)

    def _needed(self, cells: Sequence[Cell], lines: list[list[str]], min_lines: int) -> int:
        """Lines the row needs: its text, a line for each cell's foot, at least min_lines."""
        return max(max(len(x) + (1 if cell.foot else 0) for cell, x in zip(cells, lines)), min_lines)

    def height_of(self, row: Row) -> float:
        """The height the row takes when it is drawn whole."""
        n = self._needed(row.cells, [self._lines(cell) for cell in row.cells], row.min_lines)
        return self._height(n, row.min_height_mm * g.MM)

    def rows(self, rows: Sequence[Row]) -> None:
        """Draw rows in order; a keep_with_next row starts a new page unless the next row fits after it."""
        for k, row in enumerate(rows):
            if row.keep_with_next and k + 1 < len(rows) and self.cursor > self.geo.top + 1:
                need = self.height_of(row) + min(self.height_of(rows[k + 1]), 3 * self.lh + 2 * PAD)
                if self.cursor + need > self.geo.bottom:
                    self.new_page()
            self.row(row)

    def row(self, row: Row) -> None:
        cells = list(row.cells)
        lines = [self._lines(cell) for cell in cells]
        min_lines = row.min_lines
        min_height = row.min_height_mm * g.MM
        full = self.geo.bottom - self.geo.top
        while True:
            n = self._needed(cells, lines, min_lines)
            room = self.geo.bottom - self.cursor
            if self._height(n, min_height) <= room:
                self._draw(cells, lines, n, min_height)
                return
            fit = int((room - 2 * PAD + (self.lh - self.size)) // self.lh)
            if fit < 2 or (n <= 6 and self._height(n, min_height) <= full):
                self.new_page()  # keep short rows whole; split only long ones
                continue
            self._draw([Cell(cell.text, cell.width_mm, cell.label) for cell in cells],  # the foot goes with the last part
                       [x if cell.label else x[:fit] for cell, x in zip(cells, lines)], fit)
            cells = [Cell(f"{cell.text}（续）", cell.width_mm, True) if cell.label else cell for cell in cells]
            lines = [self._lines(cell) if cell.label else x[fit:] for cell, x in zip(cells, lines)]
            min_lines, min_height = 1, 0.0
            self.new_page()

    def _draw(self, cells: Sequence[Cell], lines: list[list[str]], n: int, min_height: float = 0.0) -> None:
        c, size, lh = self.c, self.size, self.lh
        height = self._height(n, min_height)
        top = self.cursor
        c.setLineWidth(RULE)
        c.rect(self.geo.left, self.geo.height - top - height, self.geo.inner_width, height)
        x = self.geo.left
        for k, (cell, cell_lines) in enumerate(zip(cells, lines)):
            w = cell.width_mm * g.MM
            if k:
                c.line(x, self.geo.height - top, x, self.geo.height - top - height)
            role = "hei" if cell.label else "body"
            block = len(cell_lines) * lh - (lh - size)
            t = top + (height - block) / 2 if cell.label else top + PAD
            for line in cell_lines:
                tw = text_width(self.fs, line, size, role=role)
                lx = x + (w - tw) / 2 if cell.label else x + PAD
                draw_text(c, self.fs, line, lx, self.y(t, size, role), size, role=role)
                t += lh
            if cell.foot:
                fw = text_width(self.fs, cell.foot, size)
                draw_text(c, self.fs, cell.foot, x + w - PAD - fw, self.y(top + height - PAD - size, size), size)
            x += w
        self.cursor = top + height
