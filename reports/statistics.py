"""The 统计分析 report: every table of models.services.statistics with its chart, on A4 portrait, and the same
tables as an .xlsx workbook (numbers as numbers, shares as numbers formatted as percentages, text as text).

Charts are drawn with reportlab's graphics (reportlab.graphics.charts: bar, horizontal bar and line charts); the
category labels, legends and titles are drawn with the report fonts (reports.textlayout.draw_text), which fall
back per character to another installed font, so a rare character in a unit name is never printed blank.
A chart shows at most CHART_ROWS categories (the largest); the table under it lists them all.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from models.core.errors import AppError, ValidationError
from models.exchange.xlsx_text import set_cell
from models.rules.period_math import cn_date
from models.services.statistics import Statistics, StatRow, StatTable
from reports import geometry as g
from reports.fonts import FontSet, resolve
from reports.textlayout import draw_text, text_width, wrap

PALETTE = ("#3b6ea5", "#e0823d", "#5a9e5a", "#c0504d", "#8064a2", "#4bacc6", "#9b8b3b")
CHART_ROWS = 15
CELL = g.SIZE["小五"]  # 9 pt
SMALL = 8
LEFT, RIGHT = g.LEFT_MARGIN, g.PAGE_W - 22 * g.MM
TOP, BOTTOM = 22 * g.MM, g.PAGE_H - 22 * g.MM
WIDTH = RIGHT - LEFT
PAD = 1.4 * g.MM
TOTAL = "合计"


# ----------------------------------------------------------------------------------------------- values


def cell_text(table: StatTable, col: int, value) -> str:
    if value is None:
        return "—"
    if col in table.shares:
        return f"{value:.1%}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def chart_rows(table: StatTable) -> list[StatRow]:
    """The rows a chart shows: not the 合计 row, not a breakdown (其中…) and not a row without any number (a 形态 the
    program does not count: a bar of 0 would say it was counted); for long tables the CHART_ROWS largest, in table
    order."""
    rows = [r for r in table.rows if r.label != TOTAL and not r.part and any(v is not None for v in r.values)]
    if len(rows) > CHART_ROWS:
        key = table.plotted[0]
        keep = set(id(r) for r in sorted(rows, key=lambda r: -(r.values[key] or 0))[:CHART_ROWS])
        rows = [r for r in rows if id(r) in keep]
    return rows


def series(table: StatTable, rows: Sequence[StatRow]) -> list[tuple[str, list[float]]]:
    """(name, values) per plotted column; shares as percentages."""
    out = []
    for col in table.plotted:
        scale = 100.0 if col in table.shares else 1.0
        out.append((table.columns[col], [float(r.values[col] or 0) * scale for r in rows]))
    return out


def is_shown(table: StatTable) -> bool:
    return bool(chart_rows(table)) and table.chart in ("bar", "hbar", "line")


# ----------------------------------------------------------------------------------------------- drawing


class _Page:
    """A flowing A4 portrait page: a cursor from the top, new pages with their number."""

    def __init__(self, c: Canvas, fs: FontSet):
        self.c, self.fs = c, fs
        self.number = 1
        self.cursor = TOP

    def y(self, top: float, size: float, role: str = "body") -> float:
        return g.PAGE_H - top - size * (1 + self.fs.face(role).descent)

    def need(self, height: float) -> None:
        if self.cursor + height > BOTTOM and self.cursor > TOP + 1:
            self.new_page()

    def new_page(self) -> None:
        self._number()
        self.c.showPage()
        self.number += 1
        self.cursor = TOP

    def _number(self) -> None:
        size = g.SIZE["四号"]
        text = f"— {self.number} —"
        w = text_width(self.fs, text, size, role="song")
        x = RIGHT - size - w if self.number % 2 == 1 else LEFT + size
        draw_text(self.c, self.fs, text, x, self.y(BOTTOM + 6 * g.MM, size, "song"), size, role="song")

    def finish(self) -> None:
        self._number()
        self.c.showPage()

    def text(self, text: str, size: float, *, role: str = "body", center: bool = False, color=None) -> None:
        lines = wrap(self.fs, text, size=size, width=WIDTH, role=role)
        for line in lines:
            self.need(size * 1.5)
            w = text_width(self.fs, line.text, size, role=role)
            x = LEFT + (WIDTH - w) / 2 if center else LEFT
            if color is not None:
                self.c.setFillColor(color)
            draw_text(self.c, self.fs, line.text, x, self.y(self.cursor, size, role), size, role=role)
            self.c.setFillColor(colors.black)
            self.cursor += size * 1.5


def _fit(fs: FontSet, text: str, size: float, width: float) -> str:
    """The text cut with … to fit the width (chart labels; the table beside shows the whole text)."""
    if text_width(fs, text, size) <= width:
        return text
    while text and text_width(fs, text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _legend(page: _Page, names: list[str], top: float) -> float:
    if len(names) < 2:
        return top
    x = LEFT
    for i, name in enumerate(names):
        w = text_width(page.fs, name, SMALL) + 12
        if x + w > RIGHT:
            x, top = LEFT, top + SMALL * 1.6
        page.c.setFillColor(colors.HexColor(PALETTE[i % len(PALETTE)]))
        page.c.rect(x, g.PAGE_H - top - SMALL, 7, 7, stroke=0, fill=1)
        page.c.setFillColor(colors.black)
        draw_text(page.c, page.fs, name, x + 10, page.y(top, SMALL), SMALL)
        x += w + 8
    return top + SMALL * 1.8


def chart_height(table: StatTable) -> float:
    if table.chart == "hbar":
        return len(chart_rows(table)) * max(12.0, 7.5 * len(table.plotted)) + 14 + 8
    return 55 * g.MM


def draw_chart(page: _Page, table: StatTable) -> None:
    """The table's chart across the page width, its legend above it."""
    rows = chart_rows(table)
    data = series(table, rows)
    labels = [r.label for r in rows]
    fs, c = page.fs, page.c
    n = len(rows)
    label_w = min(48 * g.MM, max(text_width(fs, t, SMALL) for t in labels) + 4) if table.chart == "hbar" else 0
    height = chart_height(table)
    top = _legend(page, [name for name, _v in data], page.cursor)
    plot_left, plot_bottom = 24 + label_w, 14 if table.chart == "hbar" else 26
    d = Drawing(WIDTH, height)
    if table.chart == "hbar":
        chart = HorizontalBarChart()
        chart.data = [list(reversed(v)) for _n, v in data]
    elif table.chart == "line":
        chart = HorizontalLineChart()
        chart.data = [v for _n, v in data]
        chart.joinedLines = 1
    else:
        chart = VerticalBarChart()
        chart.data = [v for _n, v in data]
    chart.x, chart.y = plot_left, plot_bottom
    chart.width, chart.height = WIDTH - plot_left - 10, height - plot_bottom - 8
    chart.categoryAxis.categoryNames = [""] * n
    chart.categoryAxis.labels.fontSize = 1
    if table.chart == "hbar":
        chart.categoryAxis.tickLeft = 0  # the ticks ran into the category labels drawn beside the axis
    chart.valueAxis.valueMin = 0
    top_value = max([max(v) if v else 0 for _n, v in data] + [table.target * 100 if table.target else 0])
    chart.valueAxis.valueMax = _nice(top_value)
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    percent = any(col in table.shares for col in table.plotted)
    chart.valueAxis.labelTextFormat = "%d%%" if percent else _count_format(chart.valueAxis.valueStep)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    for i in range(len(data)):
        color = colors.HexColor(PALETTE[i % len(PALETTE)])
        if table.chart == "line":
            chart.lines[i].strokeColor = color
            chart.lines[i].strokeWidth = 1.6
            chart.lines[i].symbol = makeMarker("FilledCircle", size=3.2, fillColor=color, strokeColor=color)
        else:
            chart.bars[i].fillColor = color
            chart.bars[i].strokeColor = None
    fmt = "%.1f%%" if percent else "%d"
    several = len(data) > 1  # a zero of several series says nothing and its label would overlap the next

    def value_label(value, fmt=fmt, several=several):
        return "" if several and not value else fmt % value

    if table.chart == "line":  # the number over every point, as on screen
        chart.lineLabelFormat = value_label
        chart.lineLabels.fontName = "Helvetica"
        chart.lineLabels.fontSize = 6.5
        chart.lineLabelNudge = 6
    else:
        chart.barLabelFormat = value_label
        chart.barLabels.fontName = "Helvetica"
        chart.barLabels.fontSize = 6.5
        chart.barLabels.nudge = 7
        chart.groupSpacing = 6
        chart.barSpacing = 1
    d.add(chart)
    if table.target is not None and table.chart != "hbar":
        ty = chart.y + chart.height * min(1.0, table.target * 100 / chart.valueAxis.valueMax)
        d.add(Line(chart.x, ty, chart.x + chart.width, ty, strokeColor=colors.HexColor("#c00000"), strokeWidth=1,
                   strokeDashArray=[4, 3]))
    bottom_y = g.PAGE_H - top - height
    renderPDF.draw(d, c, LEFT, bottom_y)
    # category labels with the report fonts (per-character fallback)
    if table.chart == "hbar":
        step = chart.height / max(n, 1)
        for i, label in enumerate(labels):
            text = _fit(fs, label, SMALL, label_w - 2)
            w = text_width(fs, text, SMALL)
            cy = bottom_y + chart.y + chart.height - (i + 0.5) * step
            draw_text(c, fs, text, LEFT + plot_left - 4 - w, cy - SMALL * 0.35, SMALL)
    else:
        step = chart.width / max(n, 1)
        size = SMALL if step > 28 else 6.5
        for i, label in enumerate(labels):
            text = _fit(fs, label, size, step - 2)
            w = text_width(fs, text, size)
            cx = LEFT + chart.x + (i + 0.5) * step
            draw_text(c, fs, text, cx - w / 2, bottom_y + chart.y - size - 4, size)
    if table.target is not None and table.chart != "hbar":
        label = f"目标 {table.target:.0%}"
        draw_text(c, fs, label, LEFT + chart.x + chart.width - text_width(fs, label, SMALL),
                  bottom_y + ty + 3, SMALL)
    page.cursor = top + height + 3 * g.MM


def _nice(value: float) -> float:
    """A round axis maximum at or above value (5 steps)."""
    if value <= 0:
        return 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        if step * 5 >= value:
            return step * 5
    return value * 1.1


def _count_format(step: float) -> str:
    return "%d" if float(step).is_integer() else "%.1f"


def draw_table(page: _Page, table: StatTable) -> None:
    """A ruled table across the page: the label column and the value columns, the header repeated on a new page."""
    fs, c = page.fs, page.c
    n = len(table.columns)
    value_w = max(15 * g.MM, min(24 * g.MM, (WIDTH * 0.62) / max(n, 1)))
    label_w = WIDTH - value_w * n
    if label_w < 30 * g.MM:
        value_w = (WIDTH - 30 * g.MM) / n
        label_w = 30 * g.MM
    widths = [label_w] + [value_w] * n
    lh = CELL * 1.35

    def layout(cells: list[str], role: str) -> tuple[list[list[str]], float]:
        lines = [[ln.text for ln in wrap(fs, text, size=CELL, width=widths[k] - 2 * PAD, role=role)] or [""]
                 for k, text in enumerate(cells)]
        return lines, max(len(x) for x in lines) * lh + 2 * PAD - (lh - CELL)

    def draw(lines: list[list[str]], height: float, role: str, header: bool, shade: bool = False) -> None:
        x = LEFT
        top = page.cursor
        if shade:
            c.setFillColor(colors.HexColor("#eef2f7"))
            c.rect(LEFT, g.PAGE_H - top - height, WIDTH, height, stroke=0, fill=1)
            c.setFillColor(colors.black)
        c.setLineWidth(0.5)
        c.rect(LEFT, g.PAGE_H - top - height, WIDTH, height)
        for k, cell in enumerate(lines):
            if k:
                c.line(x, g.PAGE_H - top, x, g.PAGE_H - top - height)
            t = top + (height - (len(cell) * lh - (lh - CELL))) / 2
            for line in cell:
                w = text_width(fs, line, CELL, role=role)
                if header:
                    lx = x + (widths[k] - w) / 2
                elif k == 0:
                    lx = x + PAD
                else:
                    lx = x + widths[k] - PAD - w
                draw_text(c, fs, line, lx, page.y(t, CELL, role), CELL, role=role)
                t += lh
            x += widths[k]
        page.cursor += height

    header = layout([table.label_header] + list(table.columns), "hei")
    page.need(header[1] + lh * 2)
    draw(*header, "hei", True, shade=True)
    for row in table.rows:
        cells = [row.label] + [cell_text(table, k, v) for k, v in enumerate(row.values)]
        lines, height = layout(cells, "body")
        if page.cursor + height > BOTTOM:
            page.new_page()
            draw(*header, "hei", True, shade=True)
        draw(lines, height, "body", False, shade=row.label == TOTAL)
    page.cursor += 2 * g.MM


def build_pdf(stats: Statistics, *, org_name: str = "", fonts: FontSet | None = None,
              printed_on: date | None = None) -> bytes:
    fs = fonts or resolve()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), pageCompression=1, initialFontName=fs.face("body").name)
    title = f"{org_name}统计分析" if org_name else "统计分析"
    c.setTitle(title)
    c.setAuthor(org_name)
    c.setCreator("干部关爱与问责记录")
    page = _Page(c, fs)
    q = stats.query
    page.text(title, g.SIZE["小二"], role="title", center=True)
    page.text(f"统计期间：{cn_date(q.date_from)}至{cn_date(q.date_to)}　单位：{stats.unit_name}　"
              f"制表日期：{cn_date(printed_on or q.today)}", g.SIZE["五号"], center=True)
    page.cursor += 2 * g.MM
    for section in stats.sections:
        for n, table in enumerate(section.tables):
            # the titles stay with the chart (or the first rows of the table) they announce
            head = (chart_height(table) + 10 * g.MM if is_shown(table) else 0) + 18 * g.MM
            page.need(head + (g.SIZE["四号"] * 1.5 if n == 0 else 0))
            if n == 0:
                page.text(section.title, g.SIZE["四号"], role="hei")
            page.text(table.title, g.SIZE["五号"], role="hei")
            if is_shown(table):
                draw_chart(page, table)
            draw_table(page, table)
            if table.note:
                page.text("注：" + table.note, SMALL, color=colors.HexColor("#444444"))
            page.cursor += 3 * g.MM
    page.finish()
    c.save()
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------- xlsx


def write_xlsx(stats: Statistics, path: str | Path, *, org_name: str = "") -> Path:
    """One sheet per section, its tables one under another: title, header, rows; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    q = stats.query
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F7")

    def text(ws, row: int, col: int, value: str, **style):
        cell = set_cell(ws, row, col, value)  # text as text: a label starting with "=" never becomes a formula
        for k, v in style.items():
            setattr(cell, k, v)
        return cell

    for section in stats.sections:
        ws = wb.create_sheet(section.title[:31].replace("/", "、"))
        # printed from Excel: A4 portrait, every column on the page's width (as many pages down as it takes)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        text(ws, 1, 1, f"{org_name}统计分析：{section.title}", font=Font(bold=True, size=14))
        text(ws, 2, 1, f"统计期间 {q.date_from.isoformat()} 至 {q.date_to.isoformat()}；单位：{stats.unit_name}；"
                       f"制表日期 {q.today.isoformat()}")
        r = 4
        widest = 10
        for table in section.tables:
            text(ws, r, 1, table.title, font=bold)
            r += 1
            text(ws, r, 1, table.label_header, font=bold, fill=fill)
            for k, name in enumerate(table.columns, start=2):
                text(ws, r, k, name, font=bold, fill=fill, alignment=Alignment(horizontal="center"))
            r += 1
            for row in table.rows:
                text(ws, r, 1, row.label, font=bold if row.label == TOTAL else Font())
                widest = max(widest, min(40, len(row.label) * 2))
                for k, value in enumerate(row.values):
                    cell = set_cell(ws, r, k + 2, value)
                    if value is not None:
                        cell.number_format = "0.0%" if k in table.shares else "#,##0"
                r += 1
            if table.note:
                text(ws, r, 1, "注：" + table.note)
                r += 1
            r += 1
        ws.column_dimensions["A"].width = widest
        for k in range(2, 2 + max(len(t.columns) for t in section.tables)):
            ws.column_dimensions[ws.cell(row=1, column=k).column_letter].width = 14
    try:
        wb.save(path)
    except OSError as exc:
        raise AppError(f"无法写入文件“{path}”（{exc.strerror or exc}）。请关闭正在打开它的程序，或换一个位置保存。") from exc
    return path


def export(stats: Statistics, path: str | Path, *, org_name: str = "", fonts: FontSet | None = None) -> Path:
    """Write the statistics to .xlsx or .pdf by the file's extension."""
    from reports.output import write_bytes

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(stats, path, org_name=org_name)
    if suffix == ".pdf":
        return write_bytes(build_pdf(stats, org_name=org_name, fonts=fonts), path)
    raise ValidationError("统计分析只能导出为 .xlsx 或 .pdf 文件，请改正文件名。", "out")


def export_file(session, actor, q, path: str | Path) -> tuple[Path, "Statistics"]:
    """Compute the statistics of `q`, write them to .xlsx or .pdf by the extension, and audit the export (the command
    line and the 统计分析 page both call this)."""
    from models.core import audit, settings_store
    from models.exchange.cadre_export import check_output_file
    from models.services import statistics as st
    from reports.fonts import for_session

    actor.require("export")
    out = check_output_file(path, (".xlsx", ".pdf"))
    stats = st.compute(session, actor, q)
    org = settings_store.get(session, "org.name") or ""
    written = export(stats, out, org_name=org, fonts=for_session(session) if out.suffix.lower() == ".pdf" else None)
    audit.record(session, actor, "export", "statistics", None,
                 after={"file": str(written), "from": q.date_from.isoformat(), "to": q.date_to.isoformat(),
                        "unit_id": q.unit_id},
                 summary=f"导出统计分析：{q.title()}（{stats.unit_name}）")
    return written, stats


def pdf_for_print(session, actor, q) -> tuple[bytes, "Statistics"]:
    """The report as PDF bytes for the preview window (printing is audited there)."""
    from models.core import settings_store
    from models.services import statistics as st
    from reports.fonts import for_session

    actor.require("print")
    stats = st.compute(session, actor, q)
    return build_pdf(stats, org_name=settings_store.get(session, "org.name") or "", fonts=for_session(session)), stats


def export_cli(session, actor, args) -> str:
    """`main.py export statistics --from DATE --to DATE [--unit 单位] --out FILE.xlsx|.pdf`."""
    from models.exchange import excel_values as ev
    from models.services import statistics as st
    from models.services.units import find_unit

    actor.require("export")
    if not args.date_from or not args.date_to:
        raise ValidationError("导出统计分析需要 --from 和 --to 两个日期（统计期间，含首尾两天），"
                              "例如 --from 2026-01-01 --to 2026-12-31。", "from")
    unit_id = None
    if getattr(args, "unit", None):
        unit_id = find_unit(session, args.unit)  # a name several units bear: its own message
        if unit_id is None:
            raise ValidationError(f"找不到单位“{args.unit}”。请写单位全称，或用“/”分隔的路径，如 武汉市/市委办公室。",
                                  "unit")
    q = st.StatsQuery(date_from=ev.parse_date(args.date_from, "--from", "from"),
                      date_to=ev.parse_date(args.date_to, "--to", "to"), today=date.today(), unit_id=unit_id)
    path, stats = export_file(session, actor, q, args.out)
    return f"已导出统计分析（{q.title()}，{stats.unit_name}）到 {path}"
