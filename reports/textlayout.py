"""Line breaking on the character grid and drawing of font runs (shared by notices and forms).

Characters sit on a grid like Word's 文档网格: a full-width character takes one cell (`pitch`), a half-width one
its own advance plus the same spacing. Lines are broken greedily with the usual Chinese rules (避头尾): no line
starts with closing punctuation and none ends with an opening one; numbers and Latin words stay together.
Full lines are justified to the exact width, so the last character ends at the right edge of the type area.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from reports.fonts import FontSet

NO_LINE_START = set("，。、；：？！）》」』〕】〗｝’”…—～·%‰℃,.;:?!)]}>、｡")
NO_LINE_END = set("（《「『〔【〖｛‘“([{<")
_KEEP_TOGETHER = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-/:_@#&+×")


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass
class Line:
    text: str
    indent: float  # points from the left edge of the column
    natural: float  # width with the base spacing
    justify: bool  # stretch to the full width (every line of a paragraph but the last)


def _units(text: str) -> list[str]:
    units: list[str] = []
    buf = ""
    for ch in text:
        if ch in _KEEP_TOGETHER and not is_wide(ch):
            buf += ch
            continue
        if buf:
            units.append(buf)
            buf = ""
        units.append(ch)
    if buf:
        units.append(buf)
    return units


def wrap(fs: FontSet, text: str, *, size: float, width: float, pitch: float | None = None,
         first_indent: float = 0.0, role: str = "body") -> list[Line]:
    """Break one paragraph into lines of at most `width` points.

    `pitch` is the cell of a full-width character (default: the size); every character is drawn with the
    spacing `pitch - size` added after it.
    """
    pitch = size if pitch is None else pitch
    spacing = pitch - size

    def w(unit: str) -> float:
        return sum(fs.face_for(ch, role, text[:40]).advance(ch) * size + spacing for ch in unit)

    units = _units(text)
    lines: list[Line] = []
    current: list[str] = []
    cur_w = 0.0
    indent = first_indent
    eps = 0.05  # points; a line holds n cells when n × pitch fits the width
    i = 0
    while i < len(units):
        unit = units[i]
        uw = w(unit)
        if cur_w + uw <= width - indent + eps or not current:
            if not current and uw > width - indent + eps and len(unit) > 1:
                # a very long Latin word: break it where it overflows
                head = ""
                for ch in unit:
                    if w(head + ch) > width - indent + eps and head:
                        break
                    head += ch
                units[i:i + 1] = [head, unit[len(head):]]
                continue
            current.append(unit)
            cur_w += uw
            i += 1
            continue
        # the line is full: apply 避头尾 by moving units to the next line
        if unit[0] in NO_LINE_START and len(current) > 1:
            moved = current.pop()
            cur_w -= w(moved)
            units.insert(i, moved)
        while len(current) > 1 and current[-1][-1] in NO_LINE_END:
            moved = current.pop()
            cur_w -= w(moved)
            units.insert(i, moved)
        lines.append(Line("".join(current), indent, cur_w - spacing, True))
        current, cur_w, indent = [], 0.0, 0.0
    if current or not lines:
        lines.append(Line("".join(current), indent, max(cur_w - spacing, 0.0), False))
    return lines


def _real_chars(text: str) -> int:
    return sum(1 for ch in text if not unicodedata.category(ch).startswith("P") and not ch.isspace())


def no_lone_last_character(lines: list[Line]) -> list[Line]:
    """No paragraph ends on a line of one character ("实。"): the previous line gives its last character to it
    (that line is still justified to the full width, with slightly wider spacing)."""
    if len(lines) < 2 or _real_chars(lines[-1].text) > 1:
        return lines
    prev, last = lines[-2], lines[-1]
    k = len(prev.text) - 1
    while k > 0 and (prev.text[k] in NO_LINE_START or prev.text[k - 1] in NO_LINE_END
                     or (prev.text[k] in _KEEP_TOGETHER and prev.text[k - 1] in _KEEP_TOGETHER)):
        k -= 1  # keep 避头尾: move a character the last line may start with
    if k <= 0 or len(prev.text) - k > 3:
        return lines
    moved = prev.text[k:]
    return lines[:-2] + [Line(prev.text[:k], prev.indent, prev.natural, prev.justify),
                         Line(moved + last.text, last.indent, last.natural, last.justify)]


def draw_text(canvas, fs: FontSet, text: str, x: float, baseline: float, size: float, *, role: str = "body",
              char_space: float = 0.0) -> None:
    """Draw `text` from x on a baseline (reportlab coordinates) run by run with the right font for each char."""
    if not text:
        return
    t = canvas.beginText(x, baseline)
    t.setCharSpace(char_space)
    for face, piece in fs.runs(text, role):
        t.setFont(face.name, size)
        t.textOut(piece)
    canvas.drawText(t)


def draw_line(canvas, fs: FontSet, line: Line, left: float, baseline: float, size: float, *, width: float,
              pitch: float | None = None, role: str = "body") -> None:
    """Draw a wrapped line; justified lines end exactly at `left + width`."""
    pitch = size if pitch is None else pitch
    spacing = pitch - size
    n = len(line.text)
    if line.justify and n > 1:
        glyphs = sum(fs.face_for(ch, role).advance(ch) for ch in line.text) * size
        spacing = (width - line.indent - glyphs) / (n - 1)
    draw_text(canvas, fs, line.text, left + line.indent, baseline, size, role=role, char_space=spacing)


def text_width(fs: FontSet, text: str, size: float, *, pitch: float | None = None, role: str = "body") -> float:
    """Width from the first glyph's left to the last glyph's right edge on the grid."""
    if not text:
        return 0.0
    pitch = size if pitch is None else pitch
    return fs.width(text, size, role) + (pitch - size) * (len(text) - 1)
