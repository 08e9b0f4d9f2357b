"""举报与函询 and 澄清正名 pages over paged models: the first page is read, scrolling reads the next ones, the
overdue count and the status counts come from the database (not from the rows loaded so far)."""
from __future__ import annotations

from datetime import date

import pytest

from gui.context import AppContext
from models.services import accusations as acc
from tests.models.test_accusation_paging import make_seven

TODAY = date(2024, 6, 3)


@pytest.fixture
def small_pages(monkeypatch):
    import gui.widgets.row_table_model

    monkeypatch.setattr(gui.widgets.row_table_model, "PAGE_SIZE", 3)


def _column(view, col):
    model = view.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def _scroll_to_end(qtbot, view, total):
    def loaded():
        view.scrollToBottom()
        return view.model().rowCount() == total

    qtbot.waitUntil(loaded, timeout=3000)


def test_accusations_and_inquiries_are_read_page_by_page(qtbot, db, officer, small_pages):
    from gui.pages.accusations_page import AccusationsPage

    ids = make_seven(db, officer)
    page = AccusationsPage(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    # built, not shown: only the first page of each list is read
    assert page.accusation_model.rowCount() == 3 and page.accusation_model.total == 7
    assert page.accusation_model.canFetchMore()
    assert page.inquiry_model.rowCount() == 3 and page.inquiry_model.total == 7
    assert page.overdue_label.text() == "逾期未回复：7件"  # all of them, not the 3 loaded
    assert _column(page.accusation_table, 0) == [str(i) for i in reversed(ids)][:3]

    page.resize(900, 220)
    page.show()
    _scroll_to_end(qtbot, page.accusation_table, 7)
    assert _column(page.accusation_table, 0) == [str(i) for i in reversed(ids)]
    assert not page.accusation_model.canFetchMore()
    assert _column(page.accusation_table, 5).count("实名") == 6  # never the name in a list and "匿名" in _column(page.accusation_table, 5)

    # the search filters in SQL: the count and the rows agree
    page.search_edit.setText("婚礼")
    page.search_edit.flush()  # searches after a pause in typing; flush = now
    assert page.accusation_model.total == 2 and page.accusation_model.rowCount() == 2
    assert all("婚礼" in row.summary for row in page.accusation_model.rows)
    page.search_edit.setText("")
    page.search_edit.flush()

    page.tabs.setCurrentIndex(1)
    _scroll_to_end(qtbot, page.inquiry_table, 7)
    assert _column(page.inquiry_table, 1) == ["张建国", "李明华", "王志强"] * 2 + ["张建国"]
    assert all(state.startswith("逾期") for state in _column(page.inquiry_table, 6))
    page.grab().save("/tmp/accusations_paging.png")


def test_viewer_gets_masked_rows_on_later_pages(qtbot, db, officer, viewer, small_pages):
    from gui.pages.accusations_page import AccusationsPage

    make_seven(db, officer)
    page = AccusationsPage(AppContext(db, viewer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    page.accusation_model.fetchMore()
    page.accusation_model.fetchMore()
    assert page.accusation_model.rowCount() == 7
    reporters = _column(page.accusation_table, 5)
    assert reporters.count("实名（无权查看）") == 6 and reporters.count("匿名") == 1


def test_clarifications_are_read_page_by_page_with_counts_from_the_database(qtbot, db, officer, small_pages,
                                                                            monkeypatch):
    import gui.widgets.row_table_model
    from gui.pages.clarifications_page import ClarificationsPage

    ids = make_seven(db, officer)
    with db.session() as s:  # two more: five waiting for approval in all
        for a in ids[3:5]:
            acc.set_outcome(s, officer, a, "错告", date(2024, 5, 20))
    monkeypatch.setattr(gui.widgets.row_table_model, "PAGE_SIZE", 2)
    page = ClarificationsPage(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2 and page.model.total == 5
    assert page.counts_label.text().startswith("待批准 5")
    page.model.fetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 5 and not page.model.canFetchMore()
    assert _column(page.table, 4) == ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-20", "2024-05-20"]
    page.status_combo.setCurrentIndex(2)  # 已完成: none
    assert page.model.rowCount() == 0 and page.model.total == 0
