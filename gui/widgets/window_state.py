"""Window size and position, splitter positions and table column widths, remembered between starts.

Kept per user and PC (not in the shared database) in `window.ini` in the data folder, through QSettings:

    [mainWindow]
    geometry=…            QWidget.saveGeometry()
    state=…               QMainWindow.saveState() (tool bars, docks)
    splitter/<name>=…     QSplitter.saveState() of every named splitter inside the window
    header/<name>=…       QHeaderView.saveState() of every named table's columns (widths, order, sort column)

Only widgets with an object name are remembered, so that a name identifies the same widget next time.
A state that no longer fits (a column added in a new version) is ignored by Qt and the defaults stay.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMainWindow, QSplitter, QTableView, QTreeView, QWidget

from gui.widgets.table_fit import mark_fitted
from models.core.paths import data_dir

log = logging.getLogger(__name__)
FILE_NAME = "window.ini"


def settings_file():
    return data_dir() / FILE_NAME


def _settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.IniFormat)


def _headers(window: QWidget) -> dict[str, QHeaderView]:
    found: dict[str, QHeaderView] = {}
    for view in window.findChildren(QAbstractItemView):
        if not isinstance(view, (QTableView, QTreeView)) or not view.objectName():
            continue
        found.setdefault(view.objectName(), view.horizontalHeader() if isinstance(view, QTableView) else view.header())
    return found


def _splitters(window: QWidget) -> dict[str, QSplitter]:
    found: dict[str, QSplitter] = {}
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            found.setdefault(splitter.objectName(), splitter)
    return found


def save_window(window: QWidget, key: str | None = None) -> None:
    """Remember the window's geometry, its named splitters and the columns of its named tables."""
    key = key or window.objectName()
    s = _settings()
    s.beginGroup(key)
    s.setValue("geometry", window.saveGeometry())
    if isinstance(window, QMainWindow):
        s.setValue("state", window.saveState())
    for name, splitter in _splitters(window).items():
        s.setValue(f"splitter/{name}", splitter.saveState())
    for name, header in _headers(window).items():
        if header.count():
            s.setValue(f"header/{name}", header.saveState())
    s.endGroup()
    s.sync()
    if s.status() != QSettings.NoError:
        log.warning("window state not saved to %s (status %s)", settings_file(), s.status())


def _bytes(value) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def restore_window(window: QWidget, key: str | None = None) -> bool:
    """Restore what save_window kept; returns False when nothing was kept yet (the first start)."""
    key = key or window.objectName()
    s = _settings()
    s.beginGroup(key)
    try:
        geometry = _bytes(s.value("geometry"))
        if geometry is None:
            return False
        window.restoreGeometry(geometry)
        state = _bytes(s.value("state"))
        if state is not None and isinstance(window, QMainWindow):
            window.restoreState(state)
        _restore_parts(s, window)
        return True
    finally:
        s.endGroup()


def _restore_parts(s: QSettings, container: QWidget) -> None:
    for name, splitter in _splitters(container).items():
        data = _bytes(s.value(f"splitter/{name}"))
        if data is not None:
            splitter.restoreState(data)
    for name, header in _headers(container).items():
        data = _bytes(s.value(f"header/{name}"))
        if data is not None and header.count() and header.restoreState(data):
            mark_fitted(header.parentWidget())  # the user's widths: no automatic fitting over them


def restore_page(window: QWidget, page: QWidget, key: str | None = None) -> None:
    """A page built after the window was restored (pages are built when first shown) gets its splitters and
    column widths back too."""
    s = _settings()
    s.beginGroup(key or window.objectName())
    try:
        _restore_parts(s, page)
    finally:
        s.endGroup()
