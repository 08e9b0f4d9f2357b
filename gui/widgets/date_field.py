"""The one date field of the program: typed as officers write dates, read by the importer's parser.

`DateField` is a line edit (it may stay empty) with a calendar button. Whatever was typed — 2024-03-15, 2024/3/15,
2024.3.15, 20240315, 2024年3月15日 — is read by models.exchange.excel_values (the parser every import uses), so a
dialog and an import say the same thing about the same text: "2026-02-30" is "2月没有30日", not a format hint.
A field that takes a month alone (the 任免表's 出生日期 1975.03) is built with `month_ok=True`; elsewhere a month
without a day is refused rather than read as the 1st.

Signals:
    value_changed(): the text changed (the value may or may not be readable yet).
Attributes:
    label: the field's Chinese name used in messages ("决定日期").
    field: the service field name carried by the ValidationError (so a dialog can put the message beside it).
"""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidgetAction

from models.core.errors import ValidationError
from models.exchange import excel_values as ev

INVALID_STYLE = "QLineEdit { border: 1px solid #b03a2e; }"


def parse_date_text(text: str, label: str = "日期", field: str | None = None, *, month_ok: bool = False,
                    required: bool = False) -> date | None:
    """The program's one reading of a typed date; '' → None (or a 'required' message); ValidationError otherwise."""
    raw = (text or "").strip()
    if not raw:
        if required:
            raise ValidationError(f"请填写“{label}”。", field or label)
        return None
    if re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", raw):  # an Excel serial number is a cell value, never typed
        raise ValidationError(f"“{label}”无法识别为日期：“{raw}”。请写成 2024-03-15 或 2024年3月15日。", field or label)
    try:
        value, month_only = ev.parse_date_and_precision(raw, label, field)
    except ValidationError as exc:
        if not month_ok and "无法识别为日期" in exc.message:
            raise ValidationError(f"“{label}”无法识别为日期：“{raw}”。请写成 2024-03-15 或 2024年3月15日。",
                                  field or label) from None
        raise
    if month_only and not month_ok:
        raise ValidationError(f"“{label}”只写到了月份（“{raw}”），请写明是哪一天，例如 {value.year}-{value.month:02d}-15。",
                              field or label)
    return value


def _calendar_icon() -> QIcon:
    pix = QPixmap(16, 16)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setPen(QColor("#555555"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(1, 2, 14, 3, QColor("#555555"))
    font = QFont()
    font.setPixelSize(9)
    p.setFont(font)
    p.drawText(pix.rect().adjusted(0, 4, 0, 0), Qt.AlignCenter, "日")
    p.end()
    return QIcon(pix)


class DateField(QLineEdit):
    """A date as text (may stay empty). `value()` → date | None, or raises ValidationError with the reason."""

    value_changed = Signal()

    def __init__(self, parent=None, *, label: str = "日期", field: str | None = None, placeholder: str = "",
                 month_ok: bool = False, required: bool = False, value: date | None = None):
        super().__init__(parent)
        self.label, self.field = label, field
        self.month_ok, self.required = month_ok, required
        self.setPlaceholderText(placeholder or ("1975.03 或 1975-03-15" if month_ok else "2024-03-15"))
        self.setMinimumWidth(120)
        self.setMaximumWidth(190)
        self._calendar_action = QAction(_calendar_icon(), self.tr("从日历选择"), self)
        self._calendar_action.setObjectName("calendarAction")
        self.addAction(self._calendar_action, QLineEdit.TrailingPosition)
        self._calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.textChanged.connect(self._on_text_changed)
        self.editingFinished.connect(self._on_editing_finished)
        if value is not None:
            self.set_value(value)

    # --- value
    def value(self) -> date | None:
        return parse_date_text(self.text(), self.label, self.field, month_ok=self.month_ok, required=self.required)

    def set_value(self, d: date | None) -> None:
        self.setText(d.isoformat() if d else "")

    def error(self) -> str | None:
        """Why the text cannot be read (None when it can)."""
        try:
            self.value()
        except ValidationError as exc:
            return exc.message
        return None

    # --- slots
    def _on_text_changed(self, _text: str) -> None:
        if self.styleSheet() and self.error() is None:  # fixed: the red frame goes at once
            self.setStyleSheet("")
        self.value_changed.emit()

    def _on_editing_finished(self) -> None:
        message = self.error()
        if message is None:
            d = self.value()
            if d is not None and not self.month_ok and self.text() != d.isoformat():
                self.blockSignals(True)  # one format on screen; the value is unchanged
                self.setText(d.isoformat())
                self.blockSignals(False)
            self.setStyleSheet("")
            self.setToolTip("")
        elif self.text().strip():
            self.setStyleSheet(INVALID_STYLE)
            self.setToolTip(message)

    def _on_calendar_action_triggered(self) -> None:
        menu = QMenu(self)
        menu.setObjectName("calendarMenu")
        calendar = QCalendarWidget(menu)
        calendar.setObjectName("calendarPopup")
        calendar.setGridVisible(True)
        try:
            current = self.value()
        except ValidationError:
            current = None
        if current is not None:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def picked(q: QDate) -> None:
            self.set_value(date(q.year(), q.month(), q.day()))
            self.setStyleSheet("")
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        self._calendar = calendar  # tests reach the open calendar here
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
