"""Page numbers "— n —" (GB/T 9704 §7.5): 4号 half-width 宋体 numerals between two 一字线, the dash line 7 mm
below the type area, odd pages on the right and even pages on the left, one character in.

"The dash line" is where the 一字线 is drawn, not the top of the character box: the dash sits about half way up
a CJK font's em box, so the box is placed from the dash glyph's own outline (read from the font file).
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from reports import geometry as g
from reports.fonts import Face, FontSet
from reports.textlayout import draw_text, text_width

DASH = "—"


@lru_cache(maxsize=32)
def _dash_middle(path: str, index: int) -> float | None:
    """Height of the middle of the dash glyph above the baseline, in em; None when the outline cannot be read."""
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, fontNumber=index, lazy=True)
        name = font.getBestCmap().get(ord(DASH))
        if name is None:
            return None
        upem = font["head"].unitsPerEm
        glyph_set = font.getGlyphSet()
        from fontTools.pens.boundsPen import BoundsPen

        pen = BoundsPen(glyph_set)
        glyph_set[name].draw(pen)
        if pen.bounds is None:
            return None
        return (pen.bounds[1] + pen.bounds[3]) / 2 / upem
    except Exception:  # noqa: BLE001 - any unreadable font: fall back to the usual position
        return None


def dash_middle(face: Face) -> float:
    value = _dash_middle(face.file.path, face.file.index)
    return 0.32 if value is None else value


def draw_page_number(c: Canvas, fs: FontSet, number: int, *, left: float, right: float, area_bottom: float,
                     page_height: float, indent: float | None = None) -> None:
    """Draw "— n —" with its dash line PAGE_NUMBER_GAP below `area_bottom` (points from the top of the page),
    `indent` (default one 4号 character) in from the right edge on odd pages and the left edge on even ones."""
    size = g.PAGE_NUMBER_SIZE
    indent = size if indent is None else indent
    text = f"{DASH} {number} {DASH}"
    w = text_width(fs, text, size, role="song")
    x = right - indent - w if number % 2 == 1 else left + indent
    face = fs.face_for(DASH, "song")
    baseline_from_top = area_bottom + g.PAGE_NUMBER_GAP + dash_middle(face) * size
    draw_text(c, fs, text, x, page_height - baseline_from_top, size, role="song")
