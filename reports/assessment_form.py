"""影响期满考核表 (domain §2.5): the A4 form that justifies "大胆使用" — who, the handling and the restrictions it
brought with their basis, the impact period, the 回访教育 made, the assessment heading by heading, the result and
the use recommendation, the opinions of the 纪检监察 body and the unit, and the 组织（人事）部门 opinion with room
to sign and seal by hand.

Plain values in (models.services.assessments.AssessmentDocument), a PDF out; the ruled rows of reports.grid.
"""
from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.pdfgen.canvas import Canvas

from models.rules.period_math import cn_date
from reports import geometry as g
from reports.document import DocumentPdf
from reports.fonts import FontSet, resolve
from reports.form import page_geometry
from reports.grid import CELL_SIZE, Cell, Grid, Row
from reports.kind_names import short_name

TITLE = "影响期满考核表"
TITLE_SIZE = g.SIZE["二号"]
W = 156.0  # mm, the table is as wide as the type area
LABEL_W = 42.0  # mm: nine characters of 小四 黑体 on a line ("对错误的认识和整改")
TRIO = (24.0, 30.0, 22.0, 26.0, 24.0, 30.0)  # three label/value pairs on one row
SIGN_FOOT = "（盖章）　　　　年　　月　　日"


def _ym(d: date | None, year: int | None = None) -> str:
    """出生年月; the year only where the role may not see the birth date (models.reference.id_number.mask)."""
    if d is None:
        return f"{year}年" if year else ""
    return f"{d.year}年{d.month}月"


def _restriction_text(r: dict) -> str:
    if r["last_day"] is None:
        span = f"自{cn_date(r['start'])}起，永久"
    else:
        span = f"{cn_date(r['start'])}至{cn_date(r['last_day'])}"
    text = f"{r['label']}：{span}"
    if r.get("overridden"):
        text += "（期限经人工修改" + (f"：{r['override_reason']}" if r.get("override_reason") else "") + "）"
    if r.get("basis"):
        text += f"。依据：{r['basis'].rstrip('。')}"
    return text + "。"


def handling_text(h: dict) -> str:
    """政务警告（中共某某区纪律检查委员会，某纪〔2024〕12号，2024年3月1日决定，2024年3月15日起生效）."""
    parts = [x for x in (h["organ"], h["doc_number"]) if x]
    if h.get("decided_on"):
        parts.append(f"{cn_date(h['decided_on'])}决定")
    parts.append(f"{cn_date(h['effective_on'])}起生效")
    return f"{short_name(h['regime'], h['kind'])}（{'，'.join(parts)}）"


def period_text(handlings: tuple[dict, ...]) -> str:
    """The impact period of the handlings: from the earliest start to the latest last day, and the 期满日."""
    rs = [r for h in handlings for r in h["restrictions"]]
    if not rs:
        return "该处理不产生影响期。"
    start = min(r["start"] for r in rs)
    if any(r["last_day"] is None for r in rs):
        return f"自{cn_date(start)}起（含永久性限制，无期满日）"
    last = max(r["last_day"] for r in rs)
    return f"{cn_date(start)}至{cn_date(last)}，{cn_date(last + timedelta(days=1))}期满"


def visits_text(visits: tuple[dict, ...]) -> str:
    if not visits:
        return "影响期内未登记回访教育。"
    items = []
    for v in visits:
        extra = "，".join(x for x in (v["evaluation"] and f"评价{v['evaluation']}", v["recommendation"]) if x)
        items.append(f"{cn_date(v['visited_on'])}{v['form']}" + (f"（{extra}）" if extra else ""))
    return f"共回访教育{len(visits)}次：" + "；".join(items) + "。"


def form_rows(doc, unit_name: str) -> list[Row]:
    """The grid of the form. `doc` is a models.services.assessments.AssessmentDocument."""
    from models.services.assessments import ITEMS

    a = doc.assessment
    rest = W - LABEL_W

    def trio(*texts) -> Row:
        return Row([Cell(text, w, k % 2 == 0) for k, (text, w) in enumerate(zip(texts, TRIO))])

    def wide(label: str, text: str, min_lines: int = 1, **kw) -> Row:
        foot = kw.pop("foot", "")
        return Row([Cell(label, LABEL_W, True), Cell(text, rest, foot=foot)], min_lines, **kw)

    def pair(a_label: str, a_text: str, b_label: str, b_text: str, **kw) -> Row:
        half = rest / 2 - LABEL_W / 2 + 8
        other = W - LABEL_W - half - (LABEL_W - 16)
        return Row([Cell(a_label, LABEL_W, True), Cell(a_text, half), Cell(b_label, LABEL_W - 16, True),
                    Cell(b_text, other)], **kw)

    rows = [
        trio("姓　　名", doc.cadre_name, "性　　别", doc.gender, "出生年月", _ym(doc.birth, doc.birth_year)),
        pair("政治面貌", doc.political_status, "现任职务", doc.current_post),
        wide("单　　位", unit_name),
    ]
    many = len(doc.handlings) > 1
    for n, h in enumerate(doc.handlings, 1):
        mark = f"（{n}）" if many else ""
        rows.append(wide(f"处理处分{mark}", handling_text(h)))
        if h["facts"]:
            rows.append(wide("简要问题", h["facts"]))
        rows.append(wide("影响使用的\n限制及依据", "\n".join(_restriction_text(r) for r in h["restrictions"])
                         or "无影响使用的限制。"))
    if not doc.handlings:
        rows.append(wide("处理处分", "（未登记处理处分）"))
    rows += [
        wide("影  响  期", period_text(doc.handlings)),
        wide("回访教育情况", visits_text(doc.visits)),
        Row([Cell("考核情况", W, True)], keep_with_next=True),
    ]
    for item in ITEMS:
        rows.append(wide(item, a.items.get(item, ""), 2))
    for item, text in a.items.items():  # headings no longer in the list are printed too, never dropped
        if item not in ITEMS:
            rows.append(wide(item, text, 2))
    rows += [
        pair("考核结果", a.outcome, "使用建议", a.recommendation or ""),
        wide("纪检监察机关\n意见", a.discipline_opinion or "", 2, foot=SIGN_FOOT, min_height_mm=24),
        wide("所在单位党组织\n意见", a.unit_opinion or "", 2, foot=SIGN_FOOT, min_height_mm=24),
        wide("组织（人事）部门\n意见", "", 2, foot="负责人签字：　　　　　" + SIGN_FOOT, min_height_mm=28),
        pair("考核人签字", "", "被考核人\n确认", "", min_height_mm=14),
    ]
    if a.used_on or a.used_post:
        rows.append(wide("考核后使用情况", "，".join(x for x in (cn_date(a.used_on) if a.used_on else "", a.used_post or "") if x)))
    if a.note:
        rows.append(wide("备　　注", a.note))
    return rows


def draw_form(c: Canvas, doc, fs: FontSet, unit_name: str) -> int:
    """Draw one form on new pages of an open canvas (its own page numbers from 1); returns its page count."""
    grid = Grid(c, fs, page_geometry(False))
    grid.new_page()
    grid.centred(TITLE, TITLE_SIZE, "title")
    grid.cursor += 2 * g.MM
    left = f"填报单位：{doc.org_name}" if doc.org_name else ""
    grid.left_right(left, f"考核日期：{cn_date(doc.assessment.assessed_on)}", CELL_SIZE)
    grid.rows(form_rows(doc, unit_name))
    return grid.finish()


def build_form(doc, unit_name: str, fonts: FontSet | None = None) -> bytes:
    from reports.notice import new_canvas

    fs = fonts or resolve()
    buf = io.BytesIO()
    c = new_canvas(buf, fs, title=f"{TITLE}（{doc.cadre_name}）", author=doc.org_name)
    draw_form(c, doc, fs, unit_name)
    c.save()
    return buf.getvalue()


def build_form_docx(doc, unit_name: str, fonts: FontSet | None = None) -> bytes:
    """The same form as an editable Word file (reports.grid_docx)."""
    from reports.grid_docx import build_grid_docx

    left = f"填报单位：{doc.org_name}" if doc.org_name else ""
    return build_grid_docx(TITLE, left, f"考核日期：{cn_date(doc.assessment.assessed_on)}", form_rows(doc, unit_name),
                           fonts, author=doc.org_name, title_size=TITLE_SIZE)


def load_for_pdf(session, actor, record_id: int, today: date, *, fmt: str = "pdf") -> DocumentPdf:
    """`python main.py pdf assessment ID`: the 影响期满考核表 of expiry assessment ID (fmt "docx": as Word)."""
    from models.services import assessments
    from models.services.unit_names import full_name
    from reports.fonts import load_config

    actor.require("print")
    doc = assessments.assessment_document(session, actor, record_id)
    build = build_form_docx if fmt == "docx" else build_form
    data = build(doc, full_name(session, doc.unit_id), resolve(load_config(session)))
    return DocumentPdf(data, f"{TITLE}（{doc.cadre_name}，{doc.assessment.assessed_on.isoformat()}）",
                       doc.assessment.cadre_id)
