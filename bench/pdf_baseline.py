"""The baseline the benchmark compares a notice with: a bare reportlab one-page CJK document, same font."""
from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from reports import geometry as g
from reports.fonts import Face, FontSet, resolve

SAMPLE = (
    "近期我委收到反映有关同志问题的信访举报经认真核查反映的问题不属实为保护干部干事创业的积极性营造风清气正的政治生态"
    "根据有关规定现予以澄清正名特此说明中共某某市纪律检查委员会二〇二六年三月五日堃喆燚"
)


def bare_page(font: Face | FontSet | None = None, lines: int = g.LINES_PER_PAGE) -> bytes:
    """22 lines × 28 characters drawn with canvas.drawString in one font: no layout, no checks, no fallback."""
    if font is None:
        font = resolve()
    face = font.face("body") if isinstance(font, FontSet) else font
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), pageCompression=1, initialFontName=face.name)
    c.setFont(face.name, g.BODY_SIZE)
    text = SAMPLE * 4
    for i in range(lines):
        chunk = text[(i * g.CHARS_PER_LINE) % len(SAMPLE):][: g.CHARS_PER_LINE]
        c.drawString(g.TYPE_LEFT, g.PAGE_H - g.TYPE_TOP - g.BODY_SIZE - i * g.LINE_PITCH, chunk)
    c.showPage()
    c.save()
    return buf.getvalue()
