"""The page of GB/T 9704-2012 (domain §4.1) in PDF points, measured from the top-left corner of the page.

reportlab measures y from the bottom; every function here takes and returns "from the top" values and
`y_from_bottom` converts. 1 pt = 1/72 inch; 1 mm = 72/25.4 pt.
"""
from __future__ import annotations

MM = 72.0 / 25.4

PAGE_W = 210 * MM  # 595.28
PAGE_H = 297 * MM  # 841.89

TOP_MARGIN = 37 * MM  # 天头
LEFT_MARGIN = 28 * MM  # 订口
TYPE_W = 156 * MM  # 版心宽
TYPE_H = 225 * MM  # 版心高
TYPE_LEFT = LEFT_MARGIN
TYPE_RIGHT = LEFT_MARGIN + TYPE_W  # 184 mm
TYPE_TOP = TOP_MARGIN
TYPE_BOTTOM = TOP_MARGIN + TYPE_H  # 262 mm

# Chinese type sizes (号) in points
SIZE = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
    "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
}
TITLE_SIZE = SIZE["二号"]  # 22 pt
BODY_SIZE = SIZE["三号"]  # 16 pt
PAGE_NUMBER_SIZE = SIZE["四号"]  # 14 pt
RECORD_SIZE = SIZE["四号"]  # 版记 (抄送, 印发机关) 4号

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
CHAR_PITCH = TYPE_W / CHARS_PER_LINE  # 15.79 pt: a 16 pt character on a 28-per-line grid (Word's 文档网格)
# 22 lines fill the type area: the top of the first line's character box is the top of the type area and the
# bottom of the 22nd line's box is its bottom: 21 pitches + one character height = 225 mm.
LINE_PITCH = (TYPE_H - BODY_SIZE) / (LINES_PER_PAGE - 1)  # 29.61 pt ≈ 1 char + 7/8 char (domain §4.1)

PAGE_NUMBER_GAP = 7 * MM  # the page number line is 7 mm below the type area
ORG_MARK_TOP = TYPE_TOP + 35 * MM  # 发文机关标志: top edge 35 mm below the top of the type area
RED_RULE_GAP = 4 * MM  # red separator 4 mm below the 发文字号

# 信函格式
LETTER_MARK_TOP = 30 * MM  # organ name top edge 30 mm from the top of the page
LETTER_RULE_W = 170 * MM
LETTER_RULE_LEFT = (PAGE_W - LETTER_RULE_W) / 2
LETTER_BOTTOM_RULE = PAGE_H - 20 * MM  # the lower double line, 20 mm above the bottom edge

THICK_RULE = 0.35 * MM  # 版记 first and last separator
THIN_RULE = 0.25 * MM  # 版记 middle separator

SEAL_DIAMETER = 42 * MM  # a common round seal; the seal area kept free around the signature

RED_CMYK = (0.0, 0.8, 0.8, 0.0)  # red ink Y80% M80% (domain §4.1)


def line_top(index: int, first_top: float = TYPE_TOP) -> float:
    """Top of the character box of grid line `index` (0-based) counted from `first_top`."""
    return first_top + index * LINE_PITCH


def y_from_bottom(top: float) -> float:
    return PAGE_H - top


def baseline_for_box_top(box_top: float, size: float, descent: float) -> float:
    """reportlab baseline y (from the bottom) that puts the character box [baseline+descent, +size] at box_top.

    `descent` is the font's descent as a fraction of the size (negative), the same value PDF readers use
    to place a character's box, so that a measured box top equals `box_top`.
    """
    return PAGE_H - box_top - size * (1.0 + descent)
