"""Table models of the cadre and commendation pages.

CadreTableModel pages its rows from SQL (canFetchMore/fetchMore) and sorts by asking SQL again, so that it opens
at once over 100,000 cadres. Short lists of plain rows use gui.widgets.row_table_model.RowsTableModel.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from models.services.cadres import CadreRow

PageLoader = Callable[[int, int, str, bool], list[CadreRow]]


def fmt_date(d: date | None) -> str:
    return d.isoformat() if d else ""




class CadreTableModel(QAbstractTableModel):
    """Cadres found by the current search, loaded a page at a time as the view scrolls."""

    COL_NAME, COL_GENDER, COL_BIRTH, COL_ID_NUMBER, COL_UNIT, COL_POST, COL_RANK, COL_CATEGORY, COL_STATUS, \
        COL_OFF_DATE = range(10)
    HEADERS = ("姓名", "性别", "出生日期", "身份证号", "工作单位", "现任职务", "职级", "身份类别", "状态", "影响期满")
    SORT_KEYS = ("name", "gender", "birth_date", "id_number", "unit", "current_post", "rank", "identity_category",
                 "status", "off_date")
    PAGE_SIZE = 200

    def __init__(self, loader: PageLoader | None = None, parent=None, today: date | None = None):
        super().__init__(parent)
        self._loader = loader
        self._rows: list[CadreRow] = []
        self._more = False
        self.sort_key, self.descending = "name", False
        self.today = today

    # --- loading
    def set_loader(self, loader: PageLoader) -> None:
        self._loader = loader
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._more = False
        if self._loader is not None:
            first = self._loader(0, self.PAGE_SIZE, self.sort_key, self.descending)
            self._rows = list(first)
            self._more = len(first) == self.PAGE_SIZE
        self.endResetModel()

    def set_rows(self, rows: Sequence[CadreRow]) -> None:
        self.beginResetModel()
        self._rows, self._more = list(rows), False
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and self._more and self._loader is not None

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802 - Qt API
        if parent.isValid() or not self._more or self._loader is None:
            return
        page = self._loader(len(self._rows), self.PAGE_SIZE, self.sort_key, self.descending)
        self._more = len(page) == self.PAGE_SIZE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # --- Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return (
                row.name, row.gender or "", fmt_date(row.birth_date), row.id_number, row.unit_name or "",
                row.current_post or "", row.rank or "", row.identity_category or "", row.status,
                fmt_date(row.off_date),
            )[col] if 0 <= col < len(self.HEADERS) else None
        if role == Qt.UserRole:
            return row.id
        if role == Qt.ForegroundRole and col == self.COL_OFF_DATE and row.off_date and self.today \
                and row.off_date > self.today:
            return QBrush(QColor("#b03a2e"))
        if role == Qt.ToolTipRole and col == self.COL_OFF_DATE and row.off_date:
            return "影响期满之日（此日起不再受影响期限制）"
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        self.sort_key, self.descending = self.SORT_KEYS[column], order == Qt.DescendingOrder
        self.reload()

    def row_at(self, row: int) -> CadreRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def loaded_rows(self) -> list[CadreRow]:
        return list(self._rows)


