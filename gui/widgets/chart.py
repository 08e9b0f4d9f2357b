"""A small chart drawn with QPainter: grouped vertical bars, horizontal bars (long labels) or lines, with the number
on every bar or point, a legend for several series and an optional target line. A click on a bar, a point or its
number emits `clicked(row, series)`, so that the page can open the list behind that number.

It knows nothing of the statistics service: the page gives it labels and series (reports.statistics.series makes
the same series for the PDF, so the screen and the paper show the same picture).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#3b6ea5", "#e0823d", "#5a9e5a", "#c0504d", "#8064a2", "#4bacc6", "#9b8b3b")
BAR, HBAR, LINE = "bar", "hbar", "line"


@dataclass(frozen=True)
class Hit:
    """Where a number is drawn: the bar (or the point's circle) and its label, for clicks and tooltips."""

    rect: QRectF
    row: int
    series: int


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (five steps)."""
    if value <= 0:
        return 5.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        if step * 5 >= value:
            return float(step * 5)
    return value * 1.1


class ChartWidget(QWidget):
    """Signals:
        clicked(int, int): the row (category) and the series of the bar or point clicked.
    Attributes:
        hits: the clickable places of the last paint (tests click them).
    """

    clicked = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = BAR
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self.percent = False
        self.target: float | None = None  # in the unit of the values (percent when `percent`)
        self.hits: list[Hit] = []
        self.setMouseTracking(True)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_data(self, kind: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                 percent: bool = False, target: float | None = None) -> None:
        self.kind = kind
        self.labels = list(labels)
        self.series = [(name, [float(v or 0) for v in values]) for name, values in series]
        self.percent, self.target = percent, target
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        if self.kind == HBAR:
            return QSize(460, max(180, 34 + len(self.labels) * max(20, 14 * len(self.series))))
        return QSize(460, 240)

    def heightForWidth(self, _w: int) -> int:  # noqa: N802
        return self.sizeHint().height()

    # ------------------------------------------------------------------------------------------ painting

    def _text(self, value: float) -> str:
        if self.percent:
            return f"{value:.1f}%"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        self.hits = []
        if not self.labels or not self.series:
            p.setPen(QColor("#888888"))
            p.drawText(self.rect(), Qt.AlignCenter, self.tr("没有数据"))
            return
        fm = QFontMetrics(self.font())
        top = 6 + self._legend(p, fm)
        peak = max([max(v) if v else 0 for _n, v in self.series] + [self.target or 0])
        axis_max = nice_max(peak)
        if self.kind == HBAR:
            self._paint_hbar(p, fm, top, axis_max)
        else:
            self._paint_columns(p, fm, top, axis_max)
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetrics) -> int:
        if len(self.series) < 2:
            return 0
        x, y = 8, 4
        for i, (name, _v) in enumerate(self.series):
            w = fm.horizontalAdvance(name) + 22
            if x + w > self.width() - 8:
                x, y = 8, y + fm.height() + 2
            p.fillRect(QRectF(x, y + fm.height() / 2 - 5, 10, 10), QColor(PALETTE[i % len(PALETTE)]))
            p.setPen(QColor("#333333"))
            p.drawText(QPointF(x + 14, y + fm.ascent()), name)
            x += w + 6
        return y + fm.height() + 4

    def _grid(self, p: QPainter, fm: QFontMetrics, plot: QRectF, axis_max: float, vertical: bool) -> None:
        p.setPen(QPen(QColor("#dddddd"), 1))
        for k in range(6):
            value = axis_max * k / 5
            text = self._text(value) if not self.percent else f"{value:.0f}%"
            if vertical:
                y = plot.bottom() - plot.height() * k / 5
                p.setPen(QPen(QColor("#e4e4e4"), 1))
                p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
                p.setPen(QColor("#666666"))
                p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 4, fm.height()), Qt.AlignRight | Qt.AlignVCenter,
                           text)
            else:
                x = plot.left() + plot.width() * k / 5
                p.setPen(QPen(QColor("#e4e4e4"), 1))
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                p.setPen(QColor("#666666"))
                p.drawText(QRectF(x - 40, plot.bottom() + 2, 80, fm.height()), Qt.AlignHCenter | Qt.AlignTop, text)
        p.setPen(QPen(QColor("#999999"), 1))
        if vertical:
            p.drawLine(plot.bottomLeft(), plot.bottomRight())
        else:
            p.drawLine(plot.topLeft(), plot.bottomLeft())

    def _target_line(self, p: QPainter, fm: QFontMetrics, plot: QRectF, axis_max: float) -> None:
        if self.target is None:
            return
        y = plot.bottom() - plot.height() * min(1.0, self.target / axis_max)
        p.setPen(QPen(QColor("#c00000"), 1.2, Qt.DashLine))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        label = self.tr("目标 %1").replace("%1", self._text(self.target).replace(".0%", "%"))
        p.drawText(QPointF(plot.right() - fm.horizontalAdvance(label) - 2, y - 3), label)

    def _paint_columns(self, p: QPainter, fm: QFontMetrics, top: int, axis_max: float) -> None:
        left = fm.horizontalAdvance(self._text(axis_max)) + 10
        plot = QRectF(left, top + fm.height(), self.width() - left - 10, self.height() - top - fm.height() * 2 - 14)
        self._grid(p, fm, plot, axis_max, vertical=True)
        n, m = len(self.labels), len(self.series)
        step = plot.width() / n
        for i, label in enumerate(self.labels):
            text = fm.elidedText(label, Qt.ElideRight, int(step - 2))
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(plot.left() + i * step, plot.bottom() + 3, step, fm.height()), Qt.AlignHCenter, text)
        if self.kind == LINE:
            for j, (_name, values) in enumerate(self.series):
                color = QColor(PALETTE[j % len(PALETTE)])
                path = QPainterPath()
                points = []
                for i, v in enumerate(values):
                    pt = QPointF(plot.left() + (i + 0.5) * step, plot.bottom() - plot.height() * v / axis_max)
                    points.append(pt)
                    path.moveTo(pt) if i == 0 else path.lineTo(pt)
                p.setPen(QPen(color, 2))
                p.drawPath(path)
                for i, (pt, v) in enumerate(zip(points, values)):
                    p.setBrush(color)
                    p.drawEllipse(pt, 3.5, 3.5)
                    label = self._text(v)
                    w = fm.horizontalAdvance(label)
                    box = QRectF(pt.x() - w / 2 - 2, pt.y() - fm.height() - 5, w + 4, fm.height())
                    p.setPen(QColor("#222222"))
                    p.drawText(box, Qt.AlignCenter, label)
                    p.setPen(QPen(color, 2))
                    self.hits.append(Hit(box.united(QRectF(pt.x() - 6, pt.y() - 6, 12, 12)), i, j))
            p.setBrush(Qt.NoBrush)
        else:
            group = step * 0.78
            bar_w = group / m
            for i in range(n):
                for j, (_name, values) in enumerate(self.series):
                    v = values[i]
                    h = plot.height() * v / axis_max
                    x = plot.left() + i * step + (step - group) / 2 + j * bar_w
                    rect = QRectF(x + 1, plot.bottom() - h, max(1.0, bar_w - 2), h)
                    p.fillRect(rect, QColor(PALETTE[j % len(PALETTE)]))
                    label = self._text(v)
                    box = QRectF(x - 10, rect.top() - fm.height() - 1, bar_w + 20, fm.height())
                    p.setPen(QColor("#222222"))
                    if bar_w >= fm.horizontalAdvance(label) - 6 or m == 1:
                        p.drawText(box, Qt.AlignHCenter | Qt.AlignBottom, label)
                    self.hits.append(Hit(rect.united(box), i, j))
        self._target_line(p, fm, plot, axis_max)

    def _paint_hbar(self, p: QPainter, fm: QFontMetrics, top: int, axis_max: float) -> None:
        label_w = min(int(self.width() * 0.38), max(fm.horizontalAdvance(t) for t in self.labels) + 8)
        right_pad = fm.horizontalAdvance(self._text(axis_max)) + 12
        plot = QRectF(label_w, top, self.width() - label_w - right_pad, self.height() - top - fm.height() - 6)
        self._grid(p, fm, plot, axis_max, vertical=False)
        n, m = len(self.labels), len(self.series)
        step = plot.height() / n
        group = step * 0.8
        bar_h = group / m
        for i, label in enumerate(self.labels):
            text = fm.elidedText(label, Qt.ElideMiddle, label_w - 6)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(0, plot.top() + i * step, label_w - 6, step), Qt.AlignRight | Qt.AlignVCenter, text)
            for j, (_name, values) in enumerate(self.series):
                v = values[i]
                y = plot.top() + i * step + (step - group) / 2 + j * bar_h
                rect = QRectF(plot.left(), y + 0.5, plot.width() * v / axis_max, max(1.0, bar_h - 1))
                p.fillRect(rect, QColor(PALETTE[j % len(PALETTE)]))
                value = self._text(v)
                box = QRectF(rect.right() + 3, y, fm.horizontalAdvance(value) + 4, bar_h)
                p.setPen(QColor("#222222"))
                if v or m == 1:  # several series: a zero says nothing and its label would overlap the next one
                    p.drawText(box, Qt.AlignLeft | Qt.AlignVCenter, value)
                self.hits.append(Hit(rect.united(box), i, j))

    # ------------------------------------------------------------------------------------------ mouse

    def hit_at(self, pos: QPointF) -> Hit | None:
        for hit in self.hits:
            if hit.rect.contains(pos):
                return hit
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        hit = self.hit_at(event.position())
        if hit is not None and event.button() == Qt.LeftButton:
            self.clicked.emit(hit.row, hit.series)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        hit = self.hit_at(event.position())
        self.setCursor(Qt.PointingHandCursor if hit else Qt.ArrowCursor)
        if hit is not None:
            name, values = self.series[hit.series]
            text = f"{self.labels[hit.row]}" + (f" · {name}" if len(self.series) > 1 else "") \
                + f"：{self._text(values[hit.row])}（点击查看名单）"
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        super().mouseMoveEvent(event)
