"""Keyboard flow of the list pages: search box → results → the record.

SearchBox is the search field every list page uses: it reports the text after a short pause in typing
(`search`), at once on Enter; Enter and Down move into the results (the first row is selected when none is),
so an officer types, presses Enter or ↓, moves with the arrow keys and presses Enter to open the row.
`open_on_enter(view, slot)` makes Enter/Return in a table do what a double-click does (QAbstractItemView's own
`activated` is also emitted by a single click under some styles, so it is not used).

Signals (SearchBox):
    search(str): the text to search for (after the pause, or at once on Enter).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QWidget

SEARCH_DELAY_MS = 250


def focus_results(view: QAbstractItemView) -> bool:
    """Focus the view with a row selected (the current one, else the first). False when it has no rows."""
    model = view.model()
    if model is None or model.rowCount() == 0:
        return False
    index = view.currentIndex()
    if not index.isValid():
        index = model.index(0, 0)
        view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    view.setFocus(Qt.OtherFocusReason)
    view.scrollTo(index)
    return True


class SearchBox(QLineEdit):
    search = Signal(str)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None, *, delay_ms: int = SEARCH_DELAY_MS):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.results: QAbstractItemView | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(lambda _t: self._timer.start())

    def set_results(self, view: QAbstractItemView) -> None:
        """The view Enter and Down lead into."""
        self.results = view

    def flush(self) -> None:
        """Search now if a search is waiting for the pause (before reading the results)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def _emit(self) -> None:
        self.search.emit(self.text())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key_Return, Qt.Key_Enter):
            if self._timer.isActive():
                self.flush()
            if self.results is not None:
                focus_results(self.results)
            event.accept()
            return
        if key == Qt.Key_Down and self.results is not None:
            self.flush()
            if focus_results(self.results):
                event.accept()
                return
        super().keyPressEvent(event)


class _EnterOpens(QObject):
    def __init__(self, view: QAbstractItemView, slot: Callable[[QModelIndex], None]):
        super().__init__(view)
        self.view = view
        self.slot = slot

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                and not event.modifiers() & ~Qt.KeypadModifier:
            index = self.view.currentIndex()
            if index.isValid():
                self.slot(index)
                return True
        return False


def open_on_enter(view: QAbstractItemView, slot: Callable[[QModelIndex], None]) -> None:
    """Enter/Return on the current row calls `slot(index)` — connect the same slot as doubleClicked."""
    view.installEventFilter(_EnterOpens(view, slot))


def select_id(view: QAbstractItemView, row_id, *, max_rows: int = 5000) -> bool:
    """Select the row whose id (Qt.UserRole of column 0) is `row_id`, fetching further pages of a paged model
    up to `max_rows`. False when the row is not in the list (e.g. it moved to another filter)."""
    model = view.model()
    if model is None or row_id is None:
        return False
    start = 0
    while True:
        for r in range(start, model.rowCount()):
            if model.index(r, 0).data(Qt.UserRole) == row_id:
                index = model.index(r, 0)
                view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                view.scrollTo(index)
                return True
        start = model.rowCount()
        if start >= max_rows or not model.canFetchMore():
            return False
        model.fetchMore()
        if model.rowCount() == start:
            return False
