"""What every form dialog shares: it fits the screen, it asks before a changed form is thrown away, and a red
error line goes as soon as its field is fixed.

- `fit_to_screen(dialog, w, h)`: the preferred size, shrunk to the screen's free area (1366×768 laptops with a
  taskbar leave about 1366×728, of which the window frame takes its share). The form scrolls inside
  `scroll_body(...)`; the buttons and the error line stay below it, always visible.
- `FormDialog`: a QDialog that remembers the form as loaded (`mark_clean()`) and, on Esc, 取消 or the window's
  close button, asks before discarding what was changed. A saved form calls `accept()` and is not asked about.
- `clear_on_edit(widget, label)`: hides `label` (the field's red message) when the user changes `widget`.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox, QDialog, QFrame, QLabel, QLineEdit, QListWidget,
    QMessageBox, QPlainTextEdit, QRadioButton, QScrollArea, QSpinBox, QTableWidget, QTextEdit, QWidget,
)

from gui.widgets.cadre_picker import CadrePicker

FRAME_ALLOWANCE = QSize(16, 40)  # title bar and borders of a common window manager
OFFICE_SCREEN = QSize(1366, 728)  # 1366×768 less a 40 px taskbar: what every dialog must fit


def available_size(widget: QWidget | None = None) -> QSize:
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    free = screen.availableGeometry().size() if screen is not None else OFFICE_SCREEN
    return QSize(min(free.width(), OFFICE_SCREEN.width()), min(free.height(), OFFICE_SCREEN.height()))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to (width, height) or less: the whole window, frame included, stays on a 1366×768 screen."""
    free = available_size(widget) - FRAME_ALLOWANCE
    widget.resize(min(width, free.width()), min(height, free.height()))


def place_at_top(widget: QWidget) -> None:
    """A window as tall as the screen: at the top of the free area and centred across it, so that its bottom is
    not under the taskbar (a window manager placed the preview 56 px down, its last lines off the screen)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    width = widget.width() + FRAME_ALLOWANCE.width()
    widget.move(free.x() + max((free.width() - width) // 2, 0), free.y())


def scroll_body(body: QWidget) -> QScrollArea:
    """The form inside a scroll area (the buttons are added after it, outside)."""
    area = QScrollArea()
    area.setObjectName("formScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(body)
    return area


def verdict_combo(items, object_name: str, placeholder: str = "（请选择）") -> QComboBox:
    """A required choice with nothing preselected: `currentData()` is "" until the user chooses (the service then
    refuses the save with its message). For verdicts — 考核结果, 回访评价, 核查结论 — a default would be a guess."""
    combo = QComboBox()
    combo.setObjectName(object_name)
    combo.addItem(placeholder, "")
    for text in items:
        combo.addItem(text, text)
    return combo


def select_text(combo: QComboBox, text: str | None) -> None:
    """Choose `text` in a verdict combo (added when the list no longer holds it: an old record)."""
    if not text:
        combo.setCurrentIndex(0)
        return
    index = combo.findData(text)
    if index < 0:
        combo.addItem(text, text)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def _signal_of(widget: QWidget):
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    if isinstance(widget, CadrePicker):
        return widget.cadre_picked
    if isinstance(widget, QTableWidget):
        return widget.itemChanged
    return None


def clear_on_edit(widget: QWidget, label: QLabel, also: QLabel | None = None) -> None:
    """The field's red message disappears once the user edits the field (it is checked again on 保存)."""
    signal = _signal_of(widget)
    if signal is None:
        return

    def clear(*_args) -> None:
        label.clear()
        label.hide()
        if also is not None and also.property("field") == widget.objectName():
            also.clear()
            also.hide()

    signal.connect(clear)


def _state(root: QWidget) -> list[tuple[str, Any]]:
    """What the user can change in the form, in a comparable form."""
    out: list[tuple[str, Any]] = []
    pickers = root.findChildren(CadrePicker)
    for w in root.findChildren(QWidget):
        if any(p.isAncestorOf(w) for p in pickers):
            continue  # the picker's search text is not data; its choice is
        name = w.objectName() or type(w).__name__
        if isinstance(w, CadrePicker):
            out.append((name, w.cadre_id()))
        elif isinstance(w, QLineEdit) and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
            out.append((name, w.text()))
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
            out.append((name, w.toPlainText()))
        elif isinstance(w, QComboBox):
            out.append((name, w.currentText()))
        elif isinstance(w, (QCheckBox, QRadioButton)):
            out.append((name, w.isChecked()))
        elif isinstance(w, QAbstractSpinBox):
            out.append((name, w.text()))
        elif isinstance(w, QTableWidget):
            out.append((name, [[(w.item(r, c).text() if w.item(r, c) else "") for c in range(w.columnCount())]
                               for r in range(w.rowCount())]))
        elif isinstance(w, QListWidget) and w.objectName() != "pickerResults":
            out.append((name, [w.item(i).text() for i in range(w.count())]))
    return out


class FormDialog(QDialog):
    """A form that asks before its changes are discarded (Esc, 取消, the close button)."""

    _clean: list | None = None

    def mark_clean(self) -> None:
        """The form as it is now counts as unchanged (call after loading the record)."""
        self._clean = _state(self)

    def is_dirty(self) -> bool:
        return self._clean is not None and _state(self) != self._clean

    def confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Question, self.tr("放弃修改？"),
                          self.tr("表单中填写或修改的内容还没有保存。放弃这些内容并关闭吗？"), QMessageBox.NoButton, self)
        box.setObjectName("discardBox")
        discard = box.addButton(self.tr("放弃修改"), QMessageBox.DestructiveRole)
        keep = box.addButton(self.tr("继续填写"), QMessageBox.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def reject(self) -> None:
        if self.is_dirty() and not self.confirm_discard():
            return
        super().reject()
