"""The one table model of the program: plain service rows (dataclasses) shown through `columns`.

`RowsTableModel` shows a short list: `columns` = [(header, getter)], `set_rows(rows)` resets it.
`PagedRowTableModel` adds paging from the database (canFetchMore/fetchMore) and sorting in SQL: a subclass
implements `fetch(offset, limit)` (reading `self.sort_key` / `self.descending` when it sorts) and `count()` — or
returns None from `count()` when the total is not worth a query, and then "a full page means there may be more".
Filtering and sorting stay in SQL; the view only asks for the next page (design §7: a view over 100,000 rows
must never load them all, and QSortFilterProxyModel.sort() over them took 19 s).

Every list page (cadres, register, visits, commendations, accusations, clarifications, 工作台, audit log) uses it.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

PAGE_SIZE = 200
MUTED = QColor("#888888")

Index = QModelIndex | QPersistentModelIndex


def display_text(value: Any) -> str:
    """One format on screen: dates as 2024-03-15, True as 是, None as empty."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else ""
    return "" if value is None else str(value)


class RowsTableModel(QAbstractTableModel):
    """A list of plain rows: `columns` is [(header, getter)], the row id (Qt.UserRole) is `id_getter(row)`.

    Subclasses may override `cell_data(row, column, role)` for colours and tooltips of particular cells.
    """

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any]]], parent=None,
                 id_getter: Callable[[Any], Any] = lambda r: getattr(r, "id", None),
                 muted: Callable[[Any], bool] | None = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._id = id_getter
        self._muted = muted

    @property
    def rows(self) -> list[Any]:
        return self._rows

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._after_set_rows()
        self.endResetModel()

    def _after_set_rows(self) -> None:
        """Hook for the paged model (nothing more to fetch after rows were set by hand)."""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self._columns):
            return self._columns[section][0]
        return None

    def data(self, index: Index, role=Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self._columns)):
            return None
        row = self._rows[index.row()]
        special = self.cell_data(row, index.column(), role)
        if special is not None:
            return special
        if role in (Qt.DisplayRole, Qt.ToolTipRole):  # the tooltip: a cell cut by a narrow column read in full
            return display_text(self._columns[index.column()][1](row))
        if role == Qt.UserRole:
            return self._id(row)
        if role == Qt.ForegroundRole and self._muted is not None and self._muted(row):
            return QBrush(MUTED)
        return None

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        """A subclass's value for one cell and role (None: the default)."""
        return None

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def loaded_rows(self) -> list[Any]:
        return list(self._rows)


class PagedRowTableModel(RowsTableModel):
    """Rows a page at a time from the services; `reload()` shows the first page, scrolling fetches the next ones.

    Attributes:
        total: the number of rows the query matches (or, when count() is None, what is loaded so far).
        sort_key / descending: the SQL order the subclass's fetch() applies; `sort()` sets them from SORT_KEYS.
    """

    PAGE_SIZE: int | None = None  # None: the module's PAGE_SIZE (tests shrink it)
    SORT_KEYS: Sequence[str | None] = ()

    def __init__(self, columns, parent=None, **kwargs):
        super().__init__(columns, parent, **kwargs)
        self.total = 0
        self._more = False
        self.sort_key: str | None = None
        self.descending = False

    @property
    def page_size(self) -> int:
        return self.PAGE_SIZE or PAGE_SIZE

    def fetch(self, offset: int, limit: int) -> list:
        raise NotImplementedError

    def count(self) -> int | None:
        return None

    def set_page(self, rows: Sequence[Any], total: int | None = None) -> None:
        """Show `rows` as the first page of `total` (None: more may follow when the page is full)."""
        self.beginResetModel()
        self._rows = list(rows)
        if total is None:
            self._more = len(self._rows) >= self.page_size
            self.total = len(self._rows)
        else:
            self.total = total
            self._more = len(self._rows) < total
        self.endResetModel()

    def _after_set_rows(self) -> None:
        self.total, self._more = len(self._rows), False

    def reload(self) -> None:
        rows = self.fetch(0, self.page_size)
        self.set_page(rows, self.count())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or not self._more:
            return
        more = self.fetch(len(self._rows), self.page_size)
        known_total = self.total > len(self._rows)
        if not more:
            self._more = False
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()
        if known_total:
            self._more = len(self._rows) < self.total
        else:
            self.total = len(self._rows)
            self._more = len(more) >= self.page_size

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sorting asks SQL again (never sorts the loaded rows): columns without a key do not sort."""
        if not 0 <= column < len(self.SORT_KEYS) or self.SORT_KEYS[column] is None:
            return
        self.sort_key, self.descending = self.SORT_KEYS[column], order == Qt.DescendingOrder
        self.reload()
