"""回访教育记录表 (domain §2.4): the A4 form of one visit, and all visits of a period in one PDF.

One page when the content fits (小四 throughout, the nine findings and the attachments two to a row), a label
column of six characters so that no label breaks inside a word ("对错误的认识", "单位日常/教育管理情况"), boxes
tall enough to write in by hand (findings two lines, opinions with room for signature and seal), the kind by
its short official name (政务警告) and the unit by its full name. A row too tall for the rest of the page
continues on the next one with its labels marked “（续）”.

In a batch every record starts on a new sheet — on an odd page when printed on both sides — and records of a
withdrawn visit, cadre or handling are left out.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Sequence

from reportlab.pdfgen.canvas import Canvas

from models.rules.period_math import cn_date
from models.core.progress import Progress
from reports import geometry as g
from reports.document import DocumentPdf
from reports.fonts import FontSet, resolve
from reports.form import page_geometry
from reports.grid import CELL_SIZE, Cell, Grid, Row
from reports.kind_names import short_of_label

TITLE = "回访教育记录表"
TITLE_SIZE = g.SIZE["小二"]
W = 156.0  # mm
LABEL_W = 29.0  # mm: six characters of 小四 黑体 a line
HALF = (W - 2 * LABEL_W) / 2  # the value of a two-pair row
TRIO = (22.0, 36.0, 22.0, 27.0, 22.0, 27.0)  # rows of three label/value pairs (a date needs 36 mm)
SIGN_FOOT = "（盖章）　　　　年　　月　　日"


def _ym(d: date | None, year: int | None = None) -> str:
    """出生年月; the year only where the role may not see the birth date (models.reference.id_number.mask)."""
    if d is None:
        return f"{year}年" if year else ""
    return f"{d.year}年{d.month}月"


def record_rows(doc, unit_name: str = "") -> list[Row]:
    """The grid of one record. `doc` is a models.services.visits.VisitDocument; unit_name its unit in full."""
    from models.services.visits.records import FINDING_HEADINGS

    v = doc.visit
    rest = W - LABEL_W

    def trio(*texts) -> Row:
        return Row([Cell(text, w, k % 2 == 0) for k, (text, w) in enumerate(zip(texts, TRIO))])

    def wide(label, text, min_lines=1, **kw) -> Row:
        foot = kw.pop("foot", "")
        return Row([Cell(label, LABEL_W, True), Cell(text, rest, foot=foot)], min_lines, **kw)

    def pair(a, av, b, bv, min_lines=1, **kw) -> Row:
        return Row([Cell(a, LABEL_W, True), Cell(av, HALF), Cell(b, LABEL_W, True), Cell(bv, HALF)], min_lines, **kw)

    kind = doc.short_kind or short_of_label(doc.handling_label)
    rows = [
        trio("回访日期", cn_date(v.visited_on), "地　　点", v.place, "方　　式", v.form),
        trio("姓　　名", doc.cadre_name, "性　　别", doc.gender, "出生年月", _ym(doc.birth, doc.birth_year)),
        pair("政治面貌", doc.political_status, "现任职务", doc.current_post),
        wide("现 单 位", unit_name or doc.unit_name),
        pair("处理处分", kind, "文　　号", doc.doc_number),
        pair("决定机关", doc.organ, "决定日期", cn_date(doc.decided_on)),
        pair("生效日期", cn_date(doc.effective_on), "影响期止",
             cn_date(doc.period_last_day) if doc.period_last_day else ("无期满日" if doc.period_start else "")),
        wide("简要问题", doc.facts),
        wide("回 访 人", "；".join(f"{x.get('name', '')}（{x.get('post', '')}）" if x.get("post") else x.get("name", "")
                                  for x in v.visitors)),
        wide("其他参加人", v.others_present),
    ]
    slots = [(h, v.findings.get(h, "")) for h in FINDING_HEADINGS] + [("附　　件", v.attachments)]
    for k in range(0, len(slots), 2):
        (a, at), (b, bt) = slots[k], slots[k + 1] if k + 1 < len(slots) else ("", "")
        rows.append(pair(a, at, b, bt, 2))
    rows += [
        pair("回访评价", v.evaluation, "意见建议", v.recommendation),
        pair("意见建议说明", v.suggestions, "后续措施与时限",
             (v.next_steps + (f"（时限：{cn_date(v.next_due)}）" if v.next_due else "")).strip(), 2),
        pair("回访人签字", "", "被回访人确认", "", min_height_mm=13),
        wide("单位党组织\n意见", "", 2, foot=SIGN_FOOT, min_height_mm=17),
        wide("纪委监委或\n组织部门意见", "", 2, foot=SIGN_FOOT, min_height_mm=17),
    ]
    return rows


def draw_record(c: Canvas, doc, fs: FontSet, unit_name: str = "") -> int:
    """Draw one record on new pages of an open canvas (its own page numbers from 1); returns its page count."""
    grid = Grid(c, fs, page_geometry(False))
    grid.new_page()
    grid.centred(TITLE, TITLE_SIZE, "title")
    grid.cursor += 1 * g.MM
    v = doc.visit
    left = f"填报单位：{doc.org_name}" if doc.org_name else ""
    grid.left_right(left, f"编号：{v.record_no}　第 {v.seq or '　'} 次回访", CELL_SIZE)
    if v.withdrawn_at is not None:
        grid.left_right(f"（此记录已于 {cn_date(v.withdrawn_at.date())} 撤回：{v.withdrawn_reason or ''}）", "", CELL_SIZE)
    grid.rows(record_rows(doc, unit_name))
    return grid.finish()


def _canvas(buf, title: str, fs: FontSet) -> Canvas:
    from reports.notice import new_canvas  # initial font = our body font: no unembedded Helvetica on any page

    return new_canvas(buf, fs, title=title)


def build_record(doc, fonts: FontSet | None = None, unit_name: str = "") -> bytes:
    fs = fonts or resolve()
    buf = io.BytesIO()
    c = _canvas(buf, f"{TITLE}（{doc.cadre_name}）", fs)
    draw_record(c, doc, fs, unit_name)
    c.save()
    return buf.getvalue()


def build_batch(docs: Sequence, fonts: FontSet | None = None, progress: Progress | None = None,
                title: str = TITLE, *, unit_names: dict[int, str] | None = None, duplex: bool = False) -> bytes:
    """Every record in one PDF, each starting on a new sheet and numbering its own pages; duplex=True adds a
    blank back after a record with an odd number of pages (the next one starts on an odd page)."""
    fs = fonts or resolve()
    progress = progress or Progress()
    if not docs:
        from models.core.errors import ValidationError

        raise ValidationError("所选期间内没有回访记录，没有可打印的内容。请换一个期间。", "date_from")
    buf = io.BytesIO()
    c = _canvas(buf, title, fs)
    total = len(docs)
    names = unit_names or {}
    for i, doc in enumerate(docs, 1):
        progress.check()
        pages = draw_record(c, doc, fs, names.get(doc.unit_id, ""))
        if duplex and pages % 2 == 1 and i < total:
            c.setPageSize((g.PAGE_W, g.PAGE_H))
            c.showPage()  # the blank back of the record's last sheet
        progress.update(i, total, f"正在生成回访教育记录表（{i}/{total}）")
    c.save()
    return buf.getvalue()


def load_fonts(session) -> FontSet:
    from reports.fonts import load_config

    return resolve(load_config(session))


def build_record_docx(doc, fonts: FontSet | None = None, unit_name: str = "") -> bytes:
    """The same record as an editable Word file (reports.grid_docx)."""
    from reports.grid_docx import build_grid_docx

    v = doc.visit
    left = f"填报单位：{doc.org_name}" if doc.org_name else ""
    return build_grid_docx(TITLE, left, f"编号：{v.record_no}　第 {v.seq or '　'} 次回访", record_rows(doc, unit_name),
                           fonts, author=doc.org_name, title_size=TITLE_SIZE)


def load_for_pdf(session, actor, record_id: int, today: date, *, fmt: str = "pdf") -> DocumentPdf:
    """`python main.py pdf visit ID`: the 回访教育记录表 of visit ID (fmt "docx": as Word)."""
    from models.services.unit_names import full_name
    from models.services.visits.documents import visit_document

    actor.require("print")
    doc = visit_document(session, actor, record_id)
    build = build_record_docx if fmt == "docx" else build_record
    data = build(doc, load_fonts(session), full_name(session, doc.unit_id))
    return DocumentPdf(data, f"{TITLE}（{doc.cadre_name}，{doc.visit.visited_on.isoformat()}）", doc.visit.cadre_id)


def build_batch_docx(docs: Sequence, fonts: FontSet | None = None, title: str = TITLE, *,
                     unit_names: dict[int, str] | None = None, duplex: bool = False) -> bytes:
    """Every record in one Word file, as build_batch: each on a new sheet (duplex: an odd page), numbered alone."""
    from reports.grid_docx import build_grid_batch_docx

    if not docs:
        from models.core.errors import ValidationError

        raise ValidationError("所选期间内没有回访记录，没有可打印的内容。请换一个期间。", "date_from")
    names = unit_names or {}
    forms = []
    for doc in docs:
        v = doc.visit
        left = f"填报单位：{doc.org_name}" if doc.org_name else ""
        forms.append((TITLE, left, f"编号：{v.record_no}　第 {v.seq or '　'} 次回访",
                      record_rows(doc, names.get(doc.unit_id, ""))))
    return build_grid_batch_docx(forms, fonts, title=title, author=docs[0].org_name, title_size=TITLE_SIZE,
                                 duplex=duplex)


def load_batch(session, actor, date_from: date, date_to: date, progress: Progress | None = None, *,
               duplex: bool | None = None, fmt: str = "pdf") -> DocumentPdf:
    """All visits dated date_from … date_to (withdrawn visits, cadres and handlings left out), in one PDF (fmt
    "docx": one Word file); duplex None = the setting 设置 → 公文与字体 → 双面打印 (documents.duplex)."""
    from reports.document_settings import duplex as duplex_setting

    from models.services.unit_names import full_names
    from models.services.visits.documents import visit_documents_in_period

    actor.require("print")
    docs = visit_documents_in_period(session, actor, date_from, date_to)
    title = f"{TITLE}（{cn_date(date_from)}至{cn_date(date_to)}，共{len(docs)}份）"
    names = full_names(session, {d.unit_id for d in docs if d.unit_id is not None})
    duplex = duplex_setting(session) if duplex is None else duplex
    if fmt == "docx":
        return DocumentPdf(build_batch_docx(docs, load_fonts(session), title, unit_names=names, duplex=duplex), title)
    return DocumentPdf(build_batch(docs, load_fonts(session), progress, title, unit_names=names, duplex=duplex), title)


def load_period(session, actor, date_from: str | None, date_to: str | None, today: date, *, on=None,
                fmt: str = "pdf") -> DocumentPdf:
    """`python main.py pdf visits --from DATE --to DATE`: every record of the period (as 打印本期间全部记录表)."""
    from models.core.errors import ValidationError
    from models.exchange.excel_values import parse_date

    if on:
        raise ValidationError("回访教育记录表按期间打印，请用 --from 和 --to，不用 --on。", "on")
    start, end = parse_date(date_from, "--from", "from"), parse_date(date_to, "--to", "to")
    if start is None or end is None:
        raise ValidationError("请用 --from 和 --to 给出回访日期的期间，如 --from 2026-01-01 --to 2026-03-31。", "from")
    return load_batch(session, actor, start, end, fmt=fmt)
