"""管理 → 发文登记: the list (voided numbers with their reason), voiding from the dialog, the export (GUI and CLI)."""
from __future__ import annotations

import csv

from openpyxl import load_workbook

from gui.context import AppContext
from gui.dialogs.document_register import DocumentRegisterDialog
from models.services import document_numbers as dn


def _numbers(db, officer):
    with db.session() as s:
        a = dn.issue(s, officer, "clarification", 2025, subject_type="clarification", subject_id=1, title="说明甲")
        dn.issue(s, officer, "clarification_circular", 2026, subject_type="clarification", subject_id=1, title="通报甲")
        dn.issue(s, officer, "clarification", 2026, subject_type="clarification", subject_id=2, title="说明乙")
    return a


def test_dialog_lists_voids_and_exports(qtbot, db, officer, tmp_path):
    first = _numbers(db, officer)
    dialog = DocumentRegisterDialog(AppContext(db, officer))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3 and "共 3 个文号" in dialog.count_label.text()
    dialog.year_combo.setCurrentIndex(dialog.year_combo.findData(2026))
    assert [r.text for r in dialog.rows] == ["某纪〔2026〕1号", "某纪〔2026〕2号"]
    dialog.year_combo.setCurrentIndex(0)
    index = next(i for i, r in enumerate(dialog.rows) if r.id == first.id)
    dialog.table.selectRow(index)
    assert dialog.void_button.isEnabled()
    dialog._ask_reason = lambda row: "说明内容有误，重新发文"
    dialog.void_button.click()
    voided = next(r for r in dialog.rows if r.id == first.id)
    assert voided.voided and dialog.table.item(index, 10).text() == "说明内容有误，重新发文"
    assert "作废 1 个" in dialog.count_label.text()
    dialog.grab().save("/tmp/paper_register.png")
    out, n = dialog.export_to(str(tmp_path / "发文登记.xlsx"))
    ws = load_workbook(out).active
    assert n == 3 and [c.value for c in ws[2]][:4] == ["机关代字", "年份", "序号", "发文字号"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert any(v[3] == "某纪〔2025〕1号" and v[10] == "说明内容有误，重新发文" for v in values)


def test_cli_exports_the_register_as_csv(db, db_path, officer, tmp_path, cli_account):
    import main

    _numbers(db, officer)
    user = cli_account(db, role="officer")
    out = tmp_path / "登记.csv"
    assert main.main(["export", "register", "--db", str(db_path), *user, "--out", str(out), "--from", "2026"]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][3] == "发文字号" and [r[3] for r in rows[1:]] == ["某纪〔2026〕1号", "某纪〔2026〕2号"]
