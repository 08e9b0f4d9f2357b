"""Table models over plain service rows: one base for every list in the program.

`RowsTableModel` shows plain rows (dataclasses) through `columns` = [(header, getter)];
`PagedRowTableModel` adds paging from the database (canFetchMore/fetchMore) — sorting and filtering stay in SQL,
the view only asks for the next page (design §7: a view over 100,000 rows must never load them all).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

PAGE_SIZE = 200


class RowsTableModel(QAbstractTableModel):
    """A short list of plain rows: `columns` is [(header, getter)], the row id is `id_getter(row)`."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any]]], parent=None,
                 id_getter: Callable[[Any], Any] = lambda r: getattr(r, "id", None),
                 muted: Callable[[Any], bool] | None = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._id = id_getter
        self._muted = muted

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self._columns):
            return self._columns[section][0]
        return None

    def data(self, index, role=Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            value = self._columns[index.column()][1](row)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, bool):
                return "是" if value else ""
            return "" if value is None else str(value)
        if role == Qt.UserRole:
            return self._id(row)
        if role == Qt.ForegroundRole and self._muted is not None and self._muted(row):
            return QBrush(QColor("#888888"))
        return None

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None


class PagedRowTableModel(RowsTableModel):
    """Subclasses implement `fetch(offset, limit) -> list` and `count() -> int` against the services;
    `reload()` shows the first page, scrolling fetches the next ones."""

    def __init__(self, columns, parent=None, **kwargs):
        super().__init__(columns, parent, **kwargs)
        self.total = 0

    @property
    def rows(self) -> list[Any]:
        return self._rows

    def fetch(self, offset: int, limit: int) -> list:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def set_page(self, rows: Sequence[Any], total: int) -> None:
        self.beginResetModel()
        self._rows, self.total = list(rows), total
        self.endResetModel()

    def reload(self) -> None:
        self.set_page(self.fetch(0, PAGE_SIZE), self.count())

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        more = self.fetch(len(self._rows), PAGE_SIZE)
        if not more:
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()
