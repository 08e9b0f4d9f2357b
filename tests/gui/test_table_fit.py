"""Columns are fitted once, when the table is first on screen with rows, and never over the user's widths."""
from PySide6.QtWidgets import QTableView

from gui.widgets.row_table_model import RowsTableModel
from gui.widgets.table_fit import fit_columns_once, refit

LONG = "某某市某某区人民政府办公室综合科"


def test_a_table_is_fitted_when_it_is_shown_with_rows_and_then_keeps_the_widths(qtbot):
    model = RowsTableModel([("姓名", lambda r: r[0]), ("单位", lambda r: r[1])])
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    fit_columns_once(view)
    model.set_rows([("欧阳明月", LONG)])  # rows while hidden: not measured yet
    assert not view.property("fitted")
    view.show()  # on screen with rows: fitted once laid out
    qtbot.waitUntil(lambda: view.property("fitted") is True, timeout=2000)
    assert view.columnWidth(1) > view.fontMetrics().horizontalAdvance("某某市某某区人民政府") > 0
    view.setColumnWidth(1, 60)  # the user narrows it
    model.set_rows([("张三", LONG + "信息化建设工作组")])  # a reload keeps the user's width
    assert view.columnWidth(1) == 60
    refit(view)  # a filter that fills other columns asks for one more fitting
    model.set_rows([("张三", LONG)])
    assert view.columnWidth(1) > 60


def test_an_empty_table_waits_for_rows(qtbot):
    model = RowsTableModel([("姓名", lambda r: r[0])])
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    fit_columns_once(view)
    view.show()
    assert not view.property("fitted")  # nothing to measure yet
    model.set_rows([("欧阳明月",)])
    assert view.property("fitted")
