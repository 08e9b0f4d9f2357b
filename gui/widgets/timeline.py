"""A person's timeline on the cadre page (models.services.timeline): each restriction a bar from its start to its
off date, the decisions, reviews, visits and assessments as marks on the row of their decision, today as a red
line, and one sentence above saying where the person stands today — readable without knowing the rules.

TimelineTab is what the cadre page adds (one tab, one refresh call); TimelineWidget paints.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from models.services import timeline as tl

BAR_COLORS = {"NO_PROMOTION": "#3b6ea5", "NO_EQUAL_OR_HIGHER_POST": "#8064a2", "NO_LEADERSHIP_POST": "#4bacc6",
              "NO_SALARY_STEP": "#e0823d", "NO_VOTE_ELECT": "#9b8b3b", "NO_REJOIN_PARTY": "#7f7f7f",
              "NO_TITLE_EVAL": "#5a9e5a"}
MARK_COLORS = {tl.DECISION: "#222222", tl.REVIEW: "#c0504d", tl.VISIT: "#2e7d32", tl.PLANNED_VISIT: "#2e7d32",
               tl.ASSESSMENT: "#b8860b"}
MARK_WORDS = ((tl.DECISION, "决定生效"), (tl.REVIEW, "复审复核"), (tl.VISIT, "回访"), (tl.PLANNED_VISIT, "计划回访"),
              (tl.ASSESSMENT, "期满考核、任用"))
ROW_H, LABEL_W, TOP = 30, 250, 44


def summary_text(t: tl.Timeline) -> str:
    """Where the person stands today, in one sentence."""
    running = [b for b in t.bars if b.running(t.today)]
    if not t.bars and not t.marks:
        return "这名干部没有处理处分记录。"
    if not running:
        ended = [b.end for b in t.bars if b.end and b.end <= t.today]
        tail = f"最后一项限制已于 {max(ended).isoformat()} 结束" if ended else "没有限制期"
        return f"今天（{t.today.isoformat()}）没有正在执行的限制：{tail}。"
    open_ended = [b for b in running if b.end is None]
    last = max((b.end for b in running if b.end), default=None)
    words = "、".join(dict.fromkeys(b.what for b in running))
    if open_ended:
        when = "其中有长期的限制"
    else:
        when = f"全部限制到 {last.isoformat()} 结束（这一天起不再受限，还有 {(last - t.today).days} 天）"
    return f"今天（{t.today.isoformat()}）仍有 {len(running)} 项限制：{words}；{when}。"


class TimelineWidget(QWidget):
    """Signals:
        handling_clicked(int): a bar or a mark of that decision was clicked.
    Attributes:
        timeline: the Timeline shown; rows: (label, handling id) per row; places: [(rect, tooltip, handling id)].
    """

    handling_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline: tl.Timeline | None = None
        self.rows: list[tuple[str, int | None]] = []
        self.places: list[tuple[QRectF, str, int | None]] = []
        self.setMouseTracking(True)
        self.setMinimumWidth(600)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_timeline(self, t: tl.Timeline) -> None:
        self.timeline = t
        self.rows = self._layout_rows(t)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(800, TOP + 24 + max(1, len(self.rows)) * ROW_H + 16)

    @staticmethod
    def _layout_rows(t: tl.Timeline) -> list[tuple[str, int | None]]:
        """One row per bar; a decision without bars gets a row for its marks; marks of no decision one more row."""
        rows: list[tuple[str, int | None]] = [(f"{b.short}：{b.what}", b.handling_id) for b in t.bars]
        with_bars = {b.handling_id for b in t.bars}
        for d in t.decisions:
            if d.handling_id not in with_bars:
                state = "" if d.status == "in_force" else f"{d.status_label}，"
                rows.append((f"{d.short}（{state}无限制期）", d.handling_id))
                with_bars.add(d.handling_id)
        if any(m.handling_id is None or m.handling_id not in with_bars for m in t.marks):
            rows.append(("其他", None))
        return rows

    # ------------------------------------------------------------------------------------------ painting

    def _x(self, d: date, first: date, last: date) -> float:
        width = self.width() - LABEL_W - 24
        return LABEL_W + 8 + width * (d - first).days / max(1, (last - first).days)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        self.places = []
        t = self.timeline
        fm = QFontMetrics(self.font())
        if t is None or t.span is None:
            p.setPen(QColor("#888888"))
            p.drawText(self.rect(), Qt.AlignCenter, self.tr("这名干部没有处理处分记录。"))
            return
        first, last = t.span
        first = date(first.year, 1, 1)
        last = date(last.year + 1, 1, 1)
        self._legend(p, fm)
        # years along the top, thin lines down the rows
        bottom = TOP + 24 + len(self.rows) * ROW_H
        for year in range(first.year, last.year + 1):
            x = self._x(date(year, 1, 1), first, last)
            p.setPen(QPen(QColor("#e4e4e4"), 1))
            p.drawLine(QPointF(x, TOP + 18), QPointF(x, bottom))
            if year < last.year:
                p.setPen(QColor("#555555"))
                p.drawText(QPointF(x + 3, TOP + 14), str(year))
        row_of: dict[int | None, int] = {}
        for i, (label, hid) in enumerate(self.rows):
            row_of.setdefault(hid, i)
            y = TOP + 24 + i * ROW_H
            if i % 2:
                p.fillRect(QRectF(0, y, self.width(), ROW_H), QColor("#f7f7f7"))
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(4, y, LABEL_W - 8, ROW_H), Qt.AlignVCenter | Qt.AlignLeft,
                       fm.elidedText(label, Qt.ElideRight, LABEL_W - 10))
        for i, bar in enumerate(t.bars):
            self._bar(p, fm, i, bar, first, last)
        other = row_of.get(None)
        for m in t.marks:
            row = row_of.get(m.handling_id, other)
            if row is not None:
                self._mark(p, row, m, first, last)
        x = self._x(t.today, first, last)
        p.setPen(QPen(QColor("#d00000"), 2))
        p.drawLine(QPointF(x, TOP + 18), QPointF(x, bottom))
        label = self.tr("今天 %1").replace("%1", t.today.isoformat())
        p.drawText(QPointF(min(x + 4, self.width() - fm.horizontalAdvance(label) - 4), bottom + 13), label)
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetrics) -> None:
        x = 4
        p.fillRect(QRectF(x, 8, 22, 10), QColor(BAR_COLORS["NO_PROMOTION"]))
        p.setPen(QColor("#333333"))
        text = self.tr("限制期（颜色深：今天仍在限制期内；浅：已结束）")
        p.drawText(QPointF(x + 26, 17), text)
        x += 34 + fm.horizontalAdvance(text)
        for kind, words in MARK_WORDS:
            self._symbol(p, kind, QPointF(x + 5, 13))
            p.setPen(QColor("#333333"))
            p.drawText(QPointF(x + 13, 17), self.tr(words))
            x += 26 + fm.horizontalAdvance(words)
        p.setPen(QPen(QColor("#d00000"), 2))
        p.drawLine(QPointF(x + 4, 6), QPointF(x + 4, 20))
        p.setPen(QColor("#333333"))
        p.drawText(QPointF(x + 10, 17), self.tr("今天"))

    def _bar(self, p: QPainter, fm: QFontMetrics, row: int, bar: tl.TimelineBar, first: date, last: date) -> None:
        t = self.timeline
        y = TOP + 24 + row * ROW_H + 7
        x0 = self._x(bar.start, first, last)
        x1 = self._x(bar.end, first, last) if bar.end else self.width() - 16
        color = QColor(BAR_COLORS.get(bar.kind, "#3b6ea5"))
        if not bar.running(t.today):
            color.setAlpha(90)
        rect = QRectF(x0, y, max(3.0, x1 - x0), ROW_H - 14)
        p.fillRect(rect, color)
        if bar.status == "revoked":
            p.setPen(QPen(QColor("#c00000"), 1, Qt.DashLine))
            p.drawRect(rect)
        if bar.end is None:  # no end: an arrow at the right edge
            p.setPen(QPen(color.darker(130), 2))
            p.drawLine(QPointF(x1 - 8, y), QPointF(x1, y + rect.height() / 2))
            p.drawLine(QPointF(x1 - 8, y + rect.height()), QPointF(x1, y + rect.height() / 2))
        span = f"{bar.start.isoformat()} — {bar.last_day.isoformat()}" if bar.last_day else \
            f"{bar.start.isoformat()} 起，长期"
        if fm.horizontalAdvance(span) + 8 < rect.width():
            p.setPen(QColor("#ffffff") if bar.running(t.today) else QColor("#333333"))
            p.drawText(rect, Qt.AlignCenter, span)
        self.places.append((rect, bar.text(t.today), bar.handling_id))

    @staticmethod
    def _symbol(p: QPainter, kind: str, c: QPointF, r: float = 5.5) -> None:
        color = QColor(MARK_COLORS.get(kind, "#222222"))
        p.setPen(QPen(color, 1.5))
        p.setBrush(color if kind != tl.PLANNED_VISIT else Qt.NoBrush)
        if kind == tl.DECISION:
            p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() - r, c.y() + r),
                                     QPointF(c.x() + r, c.y() + r)]))
        elif kind == tl.REVIEW:
            p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r),
                                     QPointF(c.x() - r, c.y())]))
        elif kind == tl.ASSESSMENT:
            path = QPainterPath()
            path.addRect(QRectF(c.x() - r * 0.8, c.y() - r * 0.8, r * 1.6, r * 1.6))
            p.drawPath(path)
        else:
            p.drawEllipse(c, r * 0.8, r * 0.8)
        p.setBrush(Qt.NoBrush)

    def _mark(self, p: QPainter, row: int, m: tl.TimelineMark, first: date, last: date) -> None:
        c = QPointF(self._x(m.on, first, last), TOP + 24 + row * ROW_H + ROW_H / 2)
        self._symbol(p, m.kind, c)
        self.places.append((QRectF(c.x() - 7, c.y() - 7, 14, 14), f"{m.on.isoformat()} {m.text}", m.handling_id))

    # ------------------------------------------------------------------------------------------ mouse

    def place_at(self, pos: QPointF):
        # marks are drawn over bars: look at them first
        for rect, text, hid in reversed(self.places):
            if rect.contains(pos):
                return rect, text, hid
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        found = self.place_at(event.position())
        if found is not None:
            QToolTip.showText(event.globalPosition().toPoint(), found[1], self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        found = self.place_at(event.position())
        if found is not None and found[2] is not None:
            self.handling_clicked.emit(found[2])
            return
        super().mouseDoubleClickEvent(event)


class TimelineTab(QWidget):
    """The cadre page's 时间线 tab: the sentence of where the person stands, the picture, and the bars in words.

    Signals: handling_clicked(int) — a bar or mark of that decision was double-clicked.
    """

    handling_clicked = Signal(int)

    def __init__(self, ctx, cadre_id: int, parent=None):
        super().__init__(parent)
        self.ctx, self.cadre_id = ctx, cadre_id
        self.setObjectName("timelineTab")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("timelineSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)
        self.chart = TimelineWidget()
        self.chart.setObjectName("timelineChart")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        layout.addWidget(scroll, 1)
        self.details = QLabel()
        self.details.setObjectName("timelineDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.chart.handling_clicked.connect(self.handling_clicked)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            t = tl.person_timeline(s, self.ctx.actor, self.cadre_id, self.ctx.today())
        self.chart.set_timeline(t)
        self.summary.setText(summary_text(t))
        self.details.setText("\n".join(b.text(t.today) for b in t.bars)
                             + ("\n" if t.bars else "") + self.tr("把鼠标停在条或标记上看说明，双击打开那条处理处分记录。"))
