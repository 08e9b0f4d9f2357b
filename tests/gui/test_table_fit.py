"""Columns are fitted once, when the table is first shown with rows, and never over the user's widths."""
from PySide6.QtWidgets import QTableView

from gui.row_table_model import RowsTableModel
from gui.table_fit import fit_once


def test_fit_once_fits_when_shown_with_rows_and_then_keeps_the_widths(qtbot):
    model = RowsTableModel([("姓名", lambda r: r[0]), ("单位", lambda r: r[1])])
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    fit_once(view)  # hidden and empty: nothing happens yet
    assert not view.property("fitted")
    view.show()
    fit_once(view)  # shown but empty: still waiting for rows
    assert not view.property("fitted")
    model.set_rows([("欧阳明月", "某某市某某区人民政府办公室综合科")])
    fit_once(view)
    assert view.property("fitted")
    fitted = view.columnWidth(1)
    assert fitted > view.fontMetrics().horizontalAdvance("某某市某某区人民政府") > 0
    view.setColumnWidth(1, 60)  # the user narrows it
    model.set_rows([("张三", "某某市某某区人民政府办公室综合科信息化建设工作组")])
    fit_once(view)
    assert view.columnWidth(1) == 60
