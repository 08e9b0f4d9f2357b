"""A 公文-style notice following GB/T 9704-2012 (domain §4): the foundation of clarification notices, 回访通知 …

What it lays out, from the top of page 1:
- `header="red"`: the 发文机关标志 in red, centred, its top 35 mm below the top of the type area; the 发文字号
  two lines below it; the red separator 4 mm below the 发文字号, as wide as the type area; the title two lines
  below the separator;
- `header="letter"` (信函格式): the organ name in red 30 mm from the top of the page, a red double line (thick over
  thin, 170 mm) 4 mm below it, the 发文字号 flush right under it, another double line (thin over thick) 20 mm
  above the bottom edge; no page number on page 1;
- `header="plain"`: the title on the first line of the type area;
- title 2号 (22 pt, 小标宋 role) centred, balanced over several lines; one blank line; 主送机关 flush left;
- body 3号 (16 pt, 仿宋 role) on a grid of 22 lines × 28 characters, paragraphs indented 2 characters, headings
  "一、" in 黑体 and "（一）" in 楷体 when the paragraph is the heading alone;
- 附件说明; signature and 成文日期 (no leading zeros): sealed → date right-indented 4 characters, organ name
  centred over it, with the seal area (42 mm) kept free from one line below the body; unsealed → name 2
  characters from the right, date below it 2 characters further right; 附注 in parentheses;
- 版记 at the bottom of the last page: 抄送 and 印发机关/印发日期 between 0.35/0.25/0.35 mm rules;
- page numbers "— n —" in 4号, 7 mm below the type area, right (1 character in) on odd pages and left on even.

Everything is checked against the fonts first (reports.fonts): a character no font has stops the document.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from models.core.errors import ValidationError
from models.rules.period_math import cn_date
from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.page_number import draw_page_number
from reports.textlayout import Line, draw_line, draw_text, no_lone_last_character, text_width, wrap

HEADERS = ("plain", "red", "preprinted", "letter")
from models.services.document_numbers import NUMBER_PENDING  # noqa: E402 - a preview: numbered when issued
RED = CMYKColor(*g.RED_CMYK)
_L1 = re.compile(r"^[一二三四五六七八九十]+、")
_L2 = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class Notice:
    """The content of one notice; every text is plain Chinese text (no markup).

    Attributes:
        title: 标题, e.g. 关于对张三同志有关问题予以澄清的说明.
        body: 正文 paragraphs (without leading indentation).
        addressee: 主送机关 (the colon is added if missing); empty = none.
        signature: 发文机关署名; empty = none.
        date: 成文日期.
        doc_number: 发文字号 such as 某纪〔2026〕3号 (see models.services.document_numbers); shown with a 版头 or 信函格式.
        header: "plain" (无版头), "red" (红头 drawn), "preprinted" (套打: the top left free for preprinted 红头纸 down
            to preprinted_top_mm, only the 发文字号 printed 4 mm above its red line) or "letter" (信函格式).
        org_mark: 发文机关标志 for the red header / letter (default: the signature).
        sealed: True → the seal area and the date 4 characters from the right.
        attachments: 附件 names.
        note: 附注 (printed in parentheses).
        cc: 抄送 organs (ends with 。).
        issuer, issue_date: 印发机关 and 印发日期 of the 版记 (both or neither).
    """

    title: str
    body: list[str]
    addressee: str = ""
    signature: str = ""
    date: date | None = None
    doc_number: str = ""
    header: str = "plain"
    preprinted_top_mm: float = 100.0
    org_mark: str = ""
    sealed: bool = True
    title_keep: tuple[str, ...] = ()  # phrases the title never breaks inside (the name + 同志)
    attachments: list[str] = field(default_factory=list)
    note: str = ""
    cc: str = ""
    issuer: str = ""
    issue_date: date | None = None
    author: str = ""  # PDF metadata


# ------------------------------------------------------------------------------------------- layout model
@dataclass
class _Item:
    """One grid line of the flow: a wrapped line of some role, or a blank line."""

    kind: str  # "title", "addressee", "body", "attach", "sign_name", "sign_date", "note", "blank"
    line: Line | None = None
    role: str = "body"
    size: float = g.BODY_SIZE
    align: str = "left"  # left / center / right
    right_indent: float = 0.0  # for right alignment: distance from the right edge of the type area
    x: float | None = None  # absolute left (signature block)
    group: int = 0  # items with the same non-zero group stay on one page
    keep_next: bool = False  # a heading: never the last line on a page


@dataclass
class _Page:
    items: list[tuple[float, _Item]] = field(default_factory=list)  # (box top, item)
    number: int | None = None  # printed page number, None = not printed
    first: bool = False


def _clean(text: str) -> str:
    return " ".join(text.replace("\r", "").split("\n")).strip().lstrip("\u3000 ")


def _validate(n: Notice) -> None:
    if n.header not in HEADERS:
        raise ValidationError(f"版头样式“{n.header}”无效，应为 red（红头）、preprinted（套打）、plain（无版头）或 letter（信函格式）。",
                              "header")
    if not n.title.strip():
        raise ValidationError("文书没有标题。请填写标题后再生成。", "title")
    if n.doc_number and n.doc_number != NUMBER_PENDING and ("〔" not in n.doc_number or not n.doc_number.endswith("号")):
        raise ValidationError(f"发文字号“{n.doc_number}”格式不对，应为“机关代字〔年份〕序号号”，如 某纪〔2026〕3号。", "doc_number")
    if bool(n.issuer) != bool(n.issue_date):
        raise ValidationError("版记中的印发机关和印发日期应同时填写或同时不填。", "issuer")


_TITLE_BREAK_AFTER = ("关于对", "关于", "同志", "问题", "情况", "予以澄清")
_TITLE_BREAK_BEFORE = ("有关", "予以", "的说明", "的通报", "的通知", "的报告", "的函", "的决定")


def _title_chunks(title: str, keep: tuple[str, ...]) -> list[str]:
    """The title cut where a line may break: between words (after 关于对, 同志 …, before 有关, 的说明 …), never
    inside a kept phrase such as "张堃喆同志"."""
    cuts = {0, len(title)}
    for word in _TITLE_BREAK_AFTER:
        k = title.find(word)
        while k >= 0:
            cuts.add(k + len(word))
            k = title.find(word, k + 1)
    for word in _TITLE_BREAK_BEFORE:
        k = title.find(word)
        while k >= 0:
            cuts.add(k)
            k = title.find(word, k + 1)
    for phrase in keep:
        k = title.find(phrase) if phrase else -1
        while k >= 0:
            cuts = {c for c in cuts if not k < c < k + len(phrase)}
            k = title.find(phrase, k + 1)
    points = sorted(cuts)
    return [title[a:b] for a, b in zip(points, points[1:]) if title[a:b]]


def _balanced_title(fs: FontSet, title: str, size: float, width: float, keep: tuple[str, ...] = ()) -> list[Line]:
    """Title lines broken only between words, balanced (the upper line a little longer: 梯形); a word longer than
    the line is broken by characters."""
    chunks = _title_chunks(title, keep)
    widths = [text_width(fs, c, size, role="title") for c in chunks]
    if sum(widths) <= width + 0.05:
        return [Line(title, 0.0, sum(widths), False)]
    if any(w > width + 0.05 for w in widths):
        return wrap(fs, title, size=size, width=width, role="title")
    best: list[str] | None = None
    for n_lines in range(2, len(chunks) + 1):
        target = sum(widths) / n_lines
        # greedy fill up to a target that grows until the chunks fit in n_lines lines
        while target <= width + 0.05:
            lines, cur, cur_w = [], "", 0.0
            for c, w in zip(chunks, widths):
                if cur and cur_w + w > target + size:
                    lines.append(cur)
                    cur, cur_w = "", 0.0
                cur, cur_w = cur + c, cur_w + w
            lines.append(cur)
            if len(lines) <= n_lines and all(text_width(fs, ln, size, role="title") <= width + 0.05 for ln in lines):
                best = lines
                break
            target += size / 2
        if best:
            break
    if not best:
        return wrap(fs, title, size=size, width=width, role="title")
    return [Line(t, 0.0, text_width(fs, t, size, role="title"), False) for t in best]


def _para_role(text: str) -> str:
    inner = text.rstrip("。")
    if "。" in inner:
        return "body"
    if _L1.match(text):
        return "hei"
    if _L2.match(text):
        return "kai"
    return "body"


def _flow(n: Notice, fs: FontSet) -> list[_Item]:
    W, P = g.TYPE_W, g.CHAR_PITCH
    items: list[_Item] = []
    for line in _balanced_title(fs, _clean(n.title), g.TITLE_SIZE, W, tuple(n.title_keep)):
        items.append(_Item("title", line, "title", g.TITLE_SIZE, "center"))
    items.append(_Item("blank"))
    if n.addressee.strip():
        addressee = _clean(n.addressee)
        if not addressee.endswith(("：", ":")):
            addressee += "："
        for line in wrap(fs, addressee, size=g.BODY_SIZE, width=W, pitch=P):
            items.append(_Item("addressee", line))
    for para in n.body:
        para = _clean(para)
        if not para:
            continue
        role = _para_role(para)
        lines = no_lone_last_character(
            wrap(fs, para, size=g.BODY_SIZE, width=W, pitch=P, first_indent=2 * P, role=role))
        for line in lines:
            # a heading stays with the paragraph after it (never alone at the foot of a page)
            items.append(_Item("body", line, role, keep_next=role in ("hei", "kai")))
    if n.attachments:
        items.append(_Item("blank"))
        label = "附件："
        label_w = 2 * P + text_width(fs, label, g.BODY_SIZE, pitch=P) + (P - g.BODY_SIZE)
        names = [_clean(a).rstrip("。；;，,") for a in n.attachments]
        for i, name in enumerate(names):
            text = (f"{i + 1}.{name}" if len(names) > 1 else name)
            lines = wrap(fs, text, size=g.BODY_SIZE, width=W - label_w, pitch=P)
            for k, line in enumerate(lines):
                if i == 0 and k == 0:
                    line = Line(label + line.text, 2 * P, line.natural, False)
                else:
                    line = Line(line.text, label_w, line.natural, False)
                items.append(_Item("attach", line))
    items += _signature(n, fs)
    return items


def _signature(n: Notice, fs: FontSet) -> list[_Item]:
    P = g.CHAR_PITCH
    date_text = cn_date(n.date) if n.date else ""
    name = _clean(n.signature)
    if not name and not date_text:
        return []
    out: list[_Item] = []
    group = 1
    date_w = text_width(fs, date_text, g.BODY_SIZE, pitch=P)
    name_w = text_width(fs, name, g.BODY_SIZE, pitch=P)
    if n.sealed:
        # seal area: from one line below the body down over the name and the date (42 mm ≈ 4 lines)
        out += [_Item("blank", group=group), _Item("blank", group=group)]
        date_left = g.TYPE_RIGHT - 4 * P - date_w
        centre = date_left + date_w / 2 if date_text else g.TYPE_RIGHT - 4 * P - name_w / 2
        name_left = min(centre - name_w / 2, g.TYPE_RIGHT - name_w)  # centred on the date, inside the type area
    else:
        out.append(_Item("blank", group=group))
        name_left = g.TYPE_RIGHT - 2 * P - name_w
        date_left = name_left + 2 * P
        if date_left + date_w > g.TYPE_RIGHT - 2 * P:
            date_left = g.TYPE_RIGHT - 2 * P - date_w
            name_left = date_left - 2 * P
    if name:
        out.append(_Item("sign_name", Line(name, 0, name_w, False), x=name_left, group=group))
    if date_text:
        out.append(_Item("sign_date", Line(date_text, 0, date_w, False), x=date_left, group=group))
    if n.note.strip():
        note = _clean(n.note)
        if not note.startswith("（"):
            note = f"（{note}）"
        for line in wrap(fs, note, size=g.BODY_SIZE, width=g.TYPE_W, pitch=P, first_indent=2 * P):
            out.append(_Item("note", line))
    return out


def _record_lines(n: Notice, fs: FontSet, letter: bool) -> list[tuple[str, Line]]:
    """版记 lines (kind, line) from top to bottom; 4号, one character in on each side."""
    size = g.RECORD_SIZE
    inner = g.TYPE_W - 2 * size
    out: list[tuple[str, Line]] = []
    if n.cc.strip():
        cc = _clean(n.cc).rstrip("。.") + "。"
        label = "抄送："
        label_w = text_width(fs, label, size) + 0.0
        lines = wrap(fs, cc, size=size, width=inner - label_w)
        for k, line in enumerate(lines):
            text = (label + line.text) if k == 0 else line.text
            out.append(("cc", Line(text, 0 if k == 0 else label_w, line.natural, False)))
    if n.issuer and not letter:
        out.append(("issuer", Line(_clean(n.issuer), 0, 0, False)))
    return out


def _paginate(n: Notice, items: list[_Item], record_lines: int, mark_size: float) -> list[_Page]:
    P = g.LINE_PITCH
    pages: list[_Page] = []

    def first_top() -> float:
        if not pages:
            return _first_line_top(n, mark_size)
        return g.TYPE_TOP

    def capacity(top: float, reserve: int = 0) -> int:
        usable = g.TYPE_BOTTOM - reserve * P - top
        return max(0, int(math.floor((usable - g.BODY_SIZE) / P + 1e-6)) + 1)

    top = first_top()
    pages.append(_Page(first=True))
    cap = capacity(top)
    i = 0
    while i < len(items):
        page = pages[-1]
        used = len(page.items)
        item = items[i]
        if used == 0 and item.kind == "blank" and page is not pages[0]:
            i += 1  # a page never starts with a blank line
            continue
        if item.group:
            size = sum(1 for it in items[i:] if it.group == item.group)
            if used + size > cap and used > 0:
                # keep the signature with at least two lines of the body (GB/T: no page without 正文)
                carry: list[tuple[float, _Item]] = []
                while page.items and len(carry) < 2 and page.items[-1][1].kind in ("body", "attach", "blank"):
                    carry.insert(0, page.items.pop())
                pages.append(_Page())
                top, cap = g.TYPE_TOP, capacity(g.TYPE_TOP)
                for _t, it in carry:
                    if it.kind == "blank" and not pages[-1].items:
                        continue
                    pages[-1].items.append((top + len(pages[-1].items) * P, it))
                continue
        if used >= cap or (item.keep_next and used + 1 >= cap and used > 0 and i + 1 < len(items)):
            pages.append(_Page())
            top, cap = g.TYPE_TOP, capacity(g.TYPE_TOP)
            continue
        page.items.append((top + used * P, item))
        i += 1
    if record_lines:
        # the 版记 sits at the bottom of the last page: the flow must end above it
        need = record_lines
        last = pages[-1]
        top_of_last = last.items[0][0] if last.items else g.TYPE_TOP
        free = capacity(top_of_last, reserve=need) if last.items else 0
        if len(last.items) > free:
            pages.append(_Page())
            pages[-1].number = None
    return pages


def _first_line_top(n: Notice, mark_size: float) -> float:
    """Top of the title's first line on page 1 (snapped to the line grid)."""
    if n.header == "plain":
        return g.TYPE_TOP
    if n.header == "letter":  # GB/T 9704 §10.1: the title two lines below the 发文字号, off the body's grid
        return _letter_number_top(mark_size) + (2 * g.LINE_PITCH if n.doc_number else 0.0)
    red_rule = _red_rule_y(mark_size) if n.header == "red" else n.preprinted_top_mm * g.MM
    top = red_rule + 2 * g.LINE_PITCH - (g.LINE_PITCH - g.BODY_SIZE)
    index = math.ceil((top - g.TYPE_TOP) / g.LINE_PITCH - 1e-6)
    return g.line_top(max(index, 0))


def _org_mark_size(fs: FontSet, text: str, max_w: float) -> float:
    width_at_1 = text_width(fs, text, 1.0, role="title")
    return max(16.0, min(48.0, max_w / width_at_1 if width_at_1 else 48.0))


def _red_number_top(mark_size: float) -> float:
    """The 发文字号 two lines below the 发文机关标志."""
    return g.ORG_MARK_TOP + mark_size + 2 * g.LINE_PITCH - (g.LINE_PITCH - g.BODY_SIZE)


def _red_rule_y(mark_size: float) -> float:
    return _red_number_top(mark_size) + g.BODY_SIZE + g.RED_RULE_GAP


LETTER_RULE_BLOCK = 0.7 * g.MM + 0.7 * g.MM + 0.25 * g.MM  # thick line, gap, thin line
LETTER_NUMBER_GAP = 4.9 * g.MM  # from the double line down to the top of the 发文字号


def _letter_rule_top(mark_size: float) -> float:
    """The upper double line 4 mm below the organ name."""
    return g.LETTER_MARK_TOP + mark_size + g.RED_RULE_GAP


def _letter_number_top(mark_size: float) -> float:
    return _letter_rule_top(mark_size) + LETTER_RULE_BLOCK + LETTER_NUMBER_GAP


# ---------------------------------------------------------------------------------------------- drawing
def _box_baseline(fs: FontSet, role: str, top: float, size: float) -> float:
    return g.baseline_for_box_top(top, size, fs.face(role).descent)


def _draw_item(c: Canvas, fs: FontSet, top: float, it: _Item) -> None:
    if it.kind == "blank" or it.line is None:
        return
    baseline = _box_baseline(fs, it.role, top, it.size)
    if it.kind == "title":
        w = text_width(fs, it.line.text, it.size, role="title")
        draw_text(c, fs, it.line.text, g.TYPE_LEFT + (g.TYPE_W - w) / 2, baseline, it.size, role="title")
        return
    if it.x is not None:
        draw_text(c, fs, it.line.text, it.x, baseline, it.size, role=it.role, char_space=g.CHAR_PITCH - it.size)
        return
    draw_line(c, fs, it.line, g.TYPE_LEFT, baseline, it.size, width=g.TYPE_W, pitch=g.CHAR_PITCH, role=it.role)


def _draw_page_number(c: Canvas, fs: FontSet, number: int) -> None:
    draw_page_number(c, fs, number, left=g.TYPE_LEFT, right=g.TYPE_RIGHT, area_bottom=g.TYPE_BOTTOM,
                     page_height=g.PAGE_H, indent=g.CHAR_PITCH)


def _draw_red_header(c: Canvas, fs: FontSet, n: Notice, mark: str, mark_size: float) -> None:
    c.saveState()
    c.setFillColor(RED)
    c.setStrokeColor(RED)
    w = text_width(fs, mark, mark_size, role="title")
    draw_text(c, fs, mark, g.TYPE_LEFT + (g.TYPE_W - w) / 2,
              _box_baseline(fs, "title", g.ORG_MARK_TOP, mark_size), mark_size, role="title")
    c.restoreState()
    number_top = _red_number_top(mark_size)
    if n.doc_number:
        w = text_width(fs, n.doc_number, g.BODY_SIZE)
        draw_text(c, fs, n.doc_number, g.TYPE_LEFT + (g.TYPE_W - w) / 2,
                  _box_baseline(fs, "body", number_top, g.BODY_SIZE), g.BODY_SIZE)
    rule_y = g.y_from_bottom(number_top + g.BODY_SIZE + g.RED_RULE_GAP)
    c.saveState()
    c.setStrokeColor(RED)
    c.setLineWidth(1.0 * g.MM * 0.5)
    c.line(g.TYPE_LEFT, rule_y, g.TYPE_RIGHT, rule_y)
    c.restoreState()


def _draw_preprinted_number(c: Canvas, fs: FontSet, n: Notice) -> None:
    """套打: only the 发文字号, centred 4 mm above the red line of the preprinted paper."""
    top = n.preprinted_top_mm * g.MM - g.RED_RULE_GAP - g.BODY_SIZE
    w = text_width(fs, n.doc_number, g.BODY_SIZE)
    draw_text(c, fs, n.doc_number, g.TYPE_LEFT + (g.TYPE_W - w) / 2, _box_baseline(fs, "body", top, g.BODY_SIZE),
              g.BODY_SIZE)


def _double_rule(c: Canvas, top: float, thick_first: bool) -> None:
    thick, thin, gap = 0.7 * g.MM, 0.25 * g.MM, 0.7 * g.MM
    first, second = (thick, thin) if thick_first else (thin, thick)
    y1 = g.y_from_bottom(top + first / 2)
    y2 = g.y_from_bottom(top + first + gap + second / 2)
    c.setLineWidth(first)
    c.line(g.LETTER_RULE_LEFT, y1, g.LETTER_RULE_LEFT + g.LETTER_RULE_W, y1)
    c.setLineWidth(second)
    c.line(g.LETTER_RULE_LEFT, y2, g.LETTER_RULE_LEFT + g.LETTER_RULE_W, y2)


def _draw_letter_header(c: Canvas, fs: FontSet, n: Notice, mark: str, size: float) -> None:
    c.saveState()
    c.setFillColor(RED)
    c.setStrokeColor(RED)
    w = text_width(fs, mark, size, role="title")
    draw_text(c, fs, mark, (g.PAGE_W - w) / 2, _box_baseline(fs, "title", g.LETTER_MARK_TOP, size), size, role="title")
    _double_rule(c, _letter_rule_top(size), True)
    _double_rule(c, g.LETTER_BOTTOM_RULE - 1.65 * g.MM, False)
    c.restoreState()
    if n.doc_number:
        w = text_width(fs, n.doc_number, g.BODY_SIZE)
        draw_text(c, fs, n.doc_number, g.TYPE_RIGHT - w,
                  _box_baseline(fs, "body", _letter_number_top(size), g.BODY_SIZE), g.BODY_SIZE)


def _draw_record(c: Canvas, fs: FontSet, n: Notice, lines: list[tuple[str, Line]], letter: bool) -> None:
    """版记 at the bottom of the type area: thick rule, 抄送, thin rule, 印发机关 + 日期, thick rule (= bottom)."""
    size = g.RECORD_SIZE
    pitch = g.LINE_PITCH
    bottom = g.TYPE_BOTTOM
    tops = [bottom - (len(lines) - k) * pitch + (pitch - size) / 2 for k in range(len(lines))]
    c.saveState()
    if not letter:
        c.setLineWidth(g.THICK_RULE)
        for y in (bottom - g.THICK_RULE / 2, bottom - len(lines) * pitch):
            c.line(g.TYPE_LEFT, g.y_from_bottom(y), g.TYPE_RIGHT, g.y_from_bottom(y))
        if any(k == "cc" for k, _ in lines) and any(k == "issuer" for k, _ in lines):
            y = bottom - pitch
            c.setLineWidth(g.THIN_RULE)
            c.line(g.TYPE_LEFT, g.y_from_bottom(y), g.TYPE_RIGHT, g.y_from_bottom(y))
    c.restoreState()
    for (kind, line), top in zip(lines, tops):
        baseline = _box_baseline(fs, "body", top, size)
        draw_text(c, fs, line.text, g.TYPE_LEFT + size + line.indent, baseline, size)
        if kind == "issuer" and n.issue_date:
            text = cn_date(n.issue_date) + "印发"
            w = text_width(fs, text, size)
            draw_text(c, fs, text, g.TYPE_RIGHT - size - w, baseline, size)


def draw_notice(c: Canvas, n: Notice, fs: FontSet, *, start_on_odd: bool = False) -> int:
    """Draw a notice onto an open canvas (new pages); returns the number of pages drawn."""
    _validate(n)
    mark = _clean(n.org_mark or n.signature)
    if n.header in ("red", "letter") and not mark:
        raise ValidationError("红头或信函格式需要发文机关名称。请在“设置 → 公文与字体”中填写机关名称。", "org_mark")
    mark_size = 36.0
    if n.header == "red":
        mark_size = _org_mark_size(fs, mark, g.TYPE_W)
    elif n.header == "letter":
        mark_size = min(36.0, _org_mark_size(fs, mark, g.LETTER_RULE_W))
    fs.check(mark + n.doc_number + "— 0123456789年月日印发抄送：附件（）", "title")
    items = _flow(n, fs)
    letter = n.header == "letter"
    record = _record_lines(n, fs, letter)
    pages = _paginate(n, items, len(record), mark_size)
    for k, page in enumerate(pages):
        number = k + 1
        if k == 0 and n.header == "red":
            _draw_red_header(c, fs, n, mark, mark_size)
        if k == 0 and letter:
            _draw_letter_header(c, fs, n, mark, mark_size)
        if k == 0 and n.header == "preprinted" and n.doc_number:
            _draw_preprinted_number(c, fs, n)
        for top, it in page.items:
            _draw_item(c, fs, top, it)
        if k == len(pages) - 1 and record:
            _draw_record(c, fs, n, record, letter)
        record_only = record and k == len(pages) - 1 and not page.items and k > 0
        if not (letter and k == 0) and not record_only:
            _draw_page_number(c, fs, number)
        c.showPage()
    drawn = len(pages)
    if start_on_odd and drawn % 2 == 1:
        c.showPage()  # a blank back page so that the next notice starts on a new sheet
        drawn += 1
    return drawn


def new_canvas(target, fs: FontSet, *, title: str = "", author: str = "") -> Canvas:
    """A canvas whose initial font is our body font: no unembedded Helvetica reference in any page."""
    c = Canvas(target, pagesize=(g.PAGE_W, g.PAGE_H), pageCompression=1, initialFontName=fs.face("body").name,
               initialFontSize=g.BODY_SIZE)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("干部关爱与问责记录")
    return c


def build_notice(n: Notice, fonts: FontSet | None = None) -> bytes:
    """The PDF of one notice as bytes."""
    fs = fonts or resolve()
    buf = io.BytesIO()
    c = new_canvas(buf, fs, title=_clean(n.title), author=n.author or n.signature)
    draw_notice(c, n, fs)
    c.save()
    return buf.getvalue()


def write_notice(n: Notice, path: str | Path, fonts: FontSet | None = None) -> Path:
    """Write the PDF (only after it was built completely: a failed build leaves no half file)."""
    from reports.output import write_bytes

    return write_bytes(build_notice(n, fonts), path)


NoticeFactory = Callable[[], Notice]
