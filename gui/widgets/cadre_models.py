"""The cadre list's model: the one paged model (gui/widgets/row_table_model.py) over models.services.cadres rows.

It pages its rows from SQL and sorts by asking SQL again, so that it opens at once over 100,000 cadres.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from gui.widgets.row_table_model import PagedRowTableModel, display_text
from models.services.cadres.search import CadreRow

PageLoader = Callable[[int, int, str, bool], list[CadreRow]]


def fmt_date(d: date | None) -> str:
    return display_text(d)


class CadreTableModel(PagedRowTableModel):
    """Cadres found by the current search, loaded a page at a time as the view scrolls."""

    COL_NAME, COL_GENDER, COL_BIRTH, COL_ID_NUMBER, COL_UNIT, COL_POST, COL_RANK, COL_CATEGORY, COL_STATUS, \
        COL_OFF_DATE = range(10)
    HEADERS = ("姓名", "性别", "出生日期", "身份证号", "工作单位", "现任职务", "职级", "身份类别", "状态", "影响期满")
    SORT_KEYS = ("name", "gender", "birth_date", "id_number", "unit", "current_post", "rank", "identity_category",
                 "status", "off_date")
    PAGE_SIZE = 200
    GETTERS = ("name", "gender", "birth_date", "id_number", "unit_name", "current_post", "rank", "identity_category",
               "status", "off_date")

    def __init__(self, loader: PageLoader | None = None, parent=None, today: date | None = None):
        getters = [(lambda r, a=a: getattr(r, a)) for a in self.GETTERS]
        # the birth year only where the role does not see the ID number (models.reference.id_number.mask)
        getters[self.COL_BIRTH] = lambda r: r.birth_date or (f"{r.birth_year}年" if r.birth_year else None)
        super().__init__(list(zip(self.HEADERS, getters)), parent)
        self._loader = loader
        self.sort_key, self.descending = "name", False
        self.today = today

    def set_loader(self, loader: PageLoader) -> None:
        self._loader = loader
        self.reload()

    def fetch(self, offset: int, limit: int) -> list:
        if self._loader is None:
            return []
        return self._loader(offset, limit, self.sort_key or "name", self.descending)

    def cell_data(self, row: CadreRow, column: int, role: int) -> Any:
        if column != self.COL_OFF_DATE or not row.off_date:
            return None
        if role == Qt.ForegroundRole and self.today and row.off_date > self.today:
            return QBrush(QColor("#b03a2e"))
        if role == Qt.ToolTipRole:
            return "影响期满之日（此日起不再受影响期限制）"
        return None
