"""Column widths fitted to the rows once per table, and never again over the user's own widths.

A page calls `fit_columns_once(view)` when it makes the table. The table is fitted the first time it is on
screen with rows — when it is shown (a page or tab coming up) or when rows arrive while it is shown; a hidden
table is never measured, since that would read every loaded row. After that a reload keeps whatever widths the
columns have. A table whose widths were restored from the last session (gui/widgets/window_state.py) counts as fitted;
`refit(view)` asks for one more fitting (a filter that fills other columns).
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTableView
from shiboken6 import isValid

FITTED = "fitted"  # dynamic property on the view


def fit_once(view: QTableView, columns: Iterable[int] | None = None) -> None:
    if view.property(FITTED) or not view.isVisible() or not view.model() or not view.model().rowCount():
        return
    if view.viewport().height() <= 0:  # not laid out yet: no rows on screen to measure
        return
    if columns is None:
        view.resizeColumnsToContents()
    else:
        for col in columns:
            view.resizeColumnToContents(col)
    view.setProperty(FITTED, True)


class _Fitter(QObject):
    """Tries fit_once when the view is shown or gets its size, and when its model is reloaded or grows."""

    def __init__(self, view: QTableView, columns: tuple[int, ...] | None):
        super().__init__(view)
        self._view, self._columns = view, columns
        view.installEventFilter(self)
        view.model().modelReset.connect(self._try)
        view.model().rowsInserted.connect(self._try)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize) and not self._view.property(FITTED):
            # after the layout has given the view its size: "the rows on screen" are then the right ones
            QTimer.singleShot(0, self._try)
        return False

    def _try(self, *_args) -> None:
        if isValid(self._view):  # the deferred try may come after the view was closed
            fit_once(self._view, self._columns)


def fit_columns_once(view: QTableView, columns: Iterable[int] | None = None) -> None:
    """Fit `view` (its model already set) once it is on screen with rows; only `columns` when given."""
    _Fitter(view, None if columns is None else tuple(columns))


def refit(view: QTableView) -> None:
    view.setProperty(FITTED, False)


def mark_fitted(view) -> None:
    view.setProperty(FITTED, True)
