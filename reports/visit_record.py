"""回访教育记录表 (domain §2.4): the A4 form of one visit, and all visits of a period in one PDF.

Built on the documents foundation: fonts from `reports.fonts` (every character checked, per-character fallback,
a clear error naming a character no font has), line breaking from `reports.textlayout`, the A4 form page and
page numbers of `reports.form`. The record is a ruled grid whose rows have their own cells (label cells in 黑体,
values in the body font), unlike the column tables of `reports.form.Form`; a row too tall for the rest of the
page continues on the next page with its labels marked “（续）”. Empty headings and the signature/opinion rows
are printed as blank space to fill in by hand.
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

TITLE = "回访教育记录表"
TITLE_SIZE = g.SIZE["二号"]
LABEL_W = 28.0  # mm, the label column of the wide rows
TRIO = (21.0, 33.0, 21.0, 34.0, 21.0, 26.0)  # mm, rows of three label/value pairs (dates need 33 mm)


def _ym(d: date | None) -> str:
    return f"{d.year}年{d.month}月" if d else ""


def record_rows(doc) -> list[Row]:
    """The grid of one record. `doc` is a models.services.visits.documents.VisitDocument."""
    v = doc.visit
    W = 156.0
    L = LABEL_W
    rest = W - L
    period = ""
    if doc.period_start:
        period = f"{cn_date(doc.period_start)}至{cn_date(doc.period_last_day)}" if doc.period_last_day else \
            f"自{cn_date(doc.period_start)}起（无期满日）"

    def trio(a, av, b, bv, c, cv) -> Row:
        return Row([Cell(text, w, k % 2 == 0) for k, (text, w) in enumerate(zip((a, av, b, bv, c, cv), TRIO))])

    def wide(label, text, min_lines=1) -> Row:
        return Row([Cell(label, L, True), Cell(text, rest)], min_lines)

    def pair(a, av, b, bv) -> Row:
        half = rest / 2 - L / 2
        return Row([Cell(a, L, True), Cell(av, half), Cell(b, L, True), Cell(bv, half)])

    rows = [
        trio("回访日期", cn_date(v.visited_on), "地　　点", v.place, "方　　式", v.form),
        trio("姓　　名", doc.cadre_name, "性　　别", doc.gender, "出生年月", _ym(doc.birth)),
        pair("政治面貌", doc.political_status, "现单位", doc.unit_name),
        wide("现任职务", doc.current_post),
        pair("处理处分种类", doc.handling_label, "决定（批准）机关", doc.organ),
        pair("文　　号", doc.doc_number, "决定（批准）日期", cn_date(doc.decided_on)),
        pair("生效日期", cn_date(doc.effective_on), "影响期（处分期）", period),
        wide("简要问题", doc.facts),
        wide("回 访 人", "；".join(f"{x.get('name', '')}（{x.get('post', '')}）" for x in v.visitors)),
        wide("其他参加人", v.others_present),
    ]
    from models.services.visits.records import FINDING_HEADINGS

    for heading in FINDING_HEADINGS:
        rows.append(wide(heading, v.findings.get(heading, ""), 2))
    rows += [
        pair("回访评价", v.evaluation, "意见建议", v.recommendation),
        wide("意见建议说明", v.suggestions, 2),
        wide("后续措施与时限", (v.next_steps + (f"（时限：{cn_date(v.next_due)}）" if v.next_due else "")).strip(), 2),
        wide("附　　件", v.attachments),
        pair("回访人签字", "", "被回访人确认", ""),
        wide("单位党组织意见", "\n\n（盖章）　　　　年　　月　　日", 3),
        wide("纪委监委或组织部门审核意见", "\n\n（盖章）　　　　年　　月　　日", 3),
    ]
    return rows


def draw_record(c: Canvas, doc, fs: FontSet) -> int:
    """Draw one record on new pages of an open canvas (its own page numbers from 1); returns its page count."""
    grid = Grid(c, fs, page_geometry(False))
    grid.new_page()
    grid.centred(TITLE, TITLE_SIZE, "title")
    grid.cursor += 2 * g.MM
    v = doc.visit
    left = f"填报单位：{doc.org_name}" if doc.org_name else ""
    grid.left_right(left, f"编号：{v.record_no}　第 {v.seq or '　'} 次回访", CELL_SIZE)
    if v.withdrawn_at is not None:
        grid.left_right(f"（此记录已于 {cn_date(v.withdrawn_at.date())} 撤回：{v.withdrawn_reason or ''}）", "", CELL_SIZE)
    for row in record_rows(doc):
        grid.row(row)
    return grid.finish()


def _canvas(buf, title: str, fs: FontSet) -> Canvas:
    from reports.notice import new_canvas  # initial font = our body font: no unembedded Helvetica on any page

    return new_canvas(buf, fs, title=title)


def build_record(doc, fonts: FontSet | None = None) -> bytes:
    fs = fonts or resolve()
    buf = io.BytesIO()
    c = _canvas(buf, f"{TITLE}（{doc.cadre_name}）", fs)
    draw_record(c, doc, fs)
    c.save()
    return buf.getvalue()


def build_batch(docs: Sequence, fonts: FontSet | None = None, progress: Progress | None = None,
                title: str = TITLE) -> bytes:
    """Every record in one PDF, each starting on a new page and numbering its own pages."""
    fs = fonts or resolve()
    progress = progress or Progress()
    buf = io.BytesIO()
    c = _canvas(buf, title, fs)
    total = len(docs)
    for i, doc in enumerate(docs, 1):
        progress.check()
        draw_record(c, doc, fs)
        progress.update(i, total, f"正在生成回访教育记录表（{i}/{total}）")
    if not docs:
        from models.core.errors import ValidationError

        raise ValidationError("所选期间内没有回访记录，没有可打印的内容。请换一个期间。", "date_from")
    c.save()
    return buf.getvalue()


def load_fonts(session) -> FontSet:
    from reports.fonts import load_config

    return resolve(load_config(session))


def load_for_pdf(session, actor, record_id: int, today: date) -> DocumentPdf:
    """`python main.py pdf visit ID`: the 回访教育记录表 of visit ID."""
    from models.services.visits import documents as visit_documents

    actor.require("print")
    doc = visit_documents.visit_document(session, record_id)
    data = build_record(doc, load_fonts(session))
    return DocumentPdf(data, f"{TITLE}（{doc.cadre_name}，{doc.visit.visited_on.isoformat()}）", doc.visit.cadre_id)


def load_batch(session, actor, date_from: date, date_to: date, progress: Progress | None = None) -> DocumentPdf:
    """All visits dated date_from … date_to (withdrawn ones left out), in one PDF."""
    from models.services.visits import documents as visit_documents

    actor.require("print")
    docs = visit_documents.visit_documents_in_period(session, actor, date_from, date_to)
    title = f"{TITLE}（{cn_date(date_from)}至{cn_date(date_to)}，共{len(docs)}份）"
    return DocumentPdf(build_batch(docs, load_fonts(session), progress, title), title)
