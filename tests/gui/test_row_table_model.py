"""The shared table models: Qt's model checks pass, and paging asks the service only for the next page."""
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt

from gui.widgets.row_table_model import PAGE_SIZE, PagedRowTableModel, RowsTableModel


@dataclass
class Row:
    id: int
    name: str
    on: date | None
    withdrawn: bool = False


class FakePaged(PagedRowTableModel):
    def __init__(self, total):
        super().__init__([("姓名", lambda r: r.name), ("日期", lambda r: r.on)], muted=lambda r: r.withdrawn)
        self.n, self.calls = total, []

    def count(self):
        return self.n

    def fetch(self, offset, limit):
        self.calls.append((offset, limit))
        return [Row(i, f"干部{i}", date(2024, 1, 1) if i % 2 else None, i % 7 == 0)
                for i in range(offset, min(offset + limit, self.n))]


def test_paged_model_fetches_page_by_page(qtmodeltester):
    model = FakePaged(PAGE_SIZE * 2 + 5)
    model.reload()
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE * 2 + 5 and not model.canFetchMore()
    assert model.calls == [(0, PAGE_SIZE), (PAGE_SIZE, PAGE_SIZE), (PAGE_SIZE * 2, PAGE_SIZE)]
    assert model.data(model.index(1, 1)) == "2024-01-01" and model.data(model.index(2, 1)) == ""
    assert model.headerData(0, Qt.Horizontal) == "姓名"
    assert model.data(model.index(7, 0), Qt.ForegroundRole) is not None
    assert model.data(model.index(1, 0), Qt.ForegroundRole) is None
    qtmodeltester.check(model)


def test_rows_model(qtmodeltester):
    model = RowsTableModel([("姓名", lambda r: r.name)])
    model.set_rows([Row(1, "张三", None), Row(2, "李四", None)])
    qtmodeltester.check(model)
    assert model.row_at(1).name == "李四" and model.data(model.index(0, 0), Qt.UserRole) == 1


def test_cadre_model_pages_and_sorts_in_sql(qtmodeltester):
    from gui.widgets.cadre_models import CadreTableModel
    from models.services.cadres.search import CadreRow

    calls = []

    def loader(offset, limit, key, desc):
        calls.append((offset, key, desc))
        n = CadreTableModel.PAGE_SIZE + 10
        return [CadreRow(i, f"干部{i}", "男", None, "110101********1234", "某局", None, None, None, "在职",
                         date(2030, 1, 1) if i % 2 else None) for i in range(offset, min(offset + limit, n))]

    model = CadreTableModel(today=date(2025, 1, 1))
    model.set_loader(loader)
    assert model.rowCount() == CadreTableModel.PAGE_SIZE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == CadreTableModel.PAGE_SIZE + 10 and not model.canFetchMore()
    assert model.data(model.index(1, CadreTableModel.COL_OFF_DATE), Qt.ForegroundRole) is not None
    model.sort(CadreTableModel.COL_BIRTH, Qt.DescendingOrder)
    assert calls[-1] == (0, "birth_date", True) and model.rowCount() == CadreTableModel.PAGE_SIZE
    qtmodeltester.check(model)


def test_audit_model_is_the_paged_model(qtmodeltester):
    from datetime import datetime
    from types import SimpleNamespace

    from gui.dialogs.audit_viewer import AuditTableModel

    rows = [SimpleNamespace(seq=i, at=datetime(2025, 1, 1, 8, 0, i % 60), actor="管理员", action_label="修改",
                            entity_label="干部", entity_id=i, cadre_name=None, cadre_id=7, summary="x" * 300)
            for i in range(250)]

    def page(offset):
        return SimpleNamespace(rows=rows[offset:offset + 200], total=len(rows))

    model = AuditTableModel(page)
    first = page(0)
    model.set_page(first.rows, first.total)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 250 and not model.canFetchMore()
    assert model.data(model.index(0, 1)) == "2025-01-01 08:00:00"
    assert model.data(model.index(0, 5)) == "#7" and model.data(model.index(0, 6)).endswith("…")
    assert len(model.data(model.index(0, 6), Qt.ToolTipRole)) == 300
    qtmodeltester.check(model)
