"""Column widths fitted to the rows once per table, and never again over the user's own widths.

A table is fitted the first time it is shown with rows (a hidden table would read every loaded row); after that
a refresh keeps whatever widths the columns have. A table whose widths were restored from the last session
(gui/window_state.py) counts as fitted already.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtWidgets import QTableView

FITTED = "fitted"  # dynamic property on the view


def fit_once(view: QTableView, columns: Iterable[int] | None = None) -> None:
    if view.property(FITTED) or not view.isVisible() or not view.model() or not view.model().rowCount():
        return
    if columns is None:
        view.resizeColumnsToContents()
    else:
        for col in columns:
            view.resizeColumnToContents(col)
    view.setProperty(FITTED, True)


def mark_fitted(view) -> None:
    view.setProperty(FITTED, True)
