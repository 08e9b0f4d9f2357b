"""The operations layer: one action = one transaction; expected faults in Chinese; changes announced by name."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from models.core.errors import ConflictError, ValidationError
from models.entities import Unit
from tests.handling_helpers import add_unit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ctx(db, officer):
    return AppContext(db, officer, today_fn=lambda: date(2025, 1, 1))


def _units(db):
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar()


def test_success_commits_and_announces(ctx, db):
    heard = []
    ctx.data_changed.connect(heard.append)
    result = ops.run(None, ctx, lambda s: add_unit(s, "某局").id, changes=(Change.UNIT, Change.CADRE))
    assert isinstance(result, int) and _units(db) == 1
    assert heard == ["unit", "cadre"]


def test_expected_fault_rolls_back_and_goes_to_the_dialog(ctx, db):
    errors, heard = [], []
    ctx.data_changed.connect(heard.append)

    def action(s):
        add_unit(s, "某局")
        raise ValidationError("“姓名”不能为空。", "name")

    assert ops.run(None, ctx, action, changes=(Change.UNIT,), on_error=errors.append) is ops.FAILED
    assert _units(db) == 0 and heard == [] and errors[0].field == "name"


def test_conflict_offers_reload(ctx, qtbot):
    reloaded, seen = [], []

    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        again = [b for b in box.buttons() if b.text() == "重新载入"][0]
        again.click()

    QTimer.singleShot(0, answer)

    def action(s):
        raise ConflictError("这条记录已被他人修改：姓名 张三 → 张山。")

    assert ops.run(None, ctx, action, on_error=lambda e: pytest.fail("a conflict is not a field error"),
                   reload=lambda: reloaded.append(1)) is ops.FAILED
    assert reloaded == [1] and "已被他人修改" in seen[0]


def test_unknown_change_name_refused(ctx):
    with pytest.raises(ValueError):
        ctx.notify("setting")  # the 表彰 page once listened for this and nobody sent it


def _gui_sources():
    return [(p, p.read_text(encoding="utf-8")) for p in (ROOT / "gui").rglob("*.py")]


def test_pages_listen_only_for_names_that_are_sent():
    sent, listened = set(), set()
    for path, text in _gui_sources():
        assert not re.search(r"notify\(\s*[\"']", text), f"{path}: notify() with a free string, use gui.ops.Change"
        sent.update(re.findall(r"Change\.([A-Z_]+)", " ".join(re.findall(r"(?:notify\(|changes=\()([^)]*)", text))))
        for body in re.findall(r"def _on_(?:ctx_)?data_changed\(.*?(?=\n    def |\Z)", text, re.S):
            assert not re.search(r"entity (?:in|==) \(?[\"']", body), f"{path}: compare with Change members"
            listened.update(re.findall(r"Change\.([A-Z_]+)", body))
    assert listened, "no listener found: the scan is broken"
    assert listened <= sent, f"listened for but never sent: {sorted(listened - sent)}"
    assert sent <= set(Change.__members__), sorted(sent - set(Change.__members__))


def test_message_box_titles_are_chinese(ctx, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))

    def action(s):
        raise ValidationError("“决定日期”中的日期“2026-02-30”不存在（2026年2月没有30日），请核对。")

    ops.run(None, ctx, action, title="无法保存")
    assert shown == [("无法保存", "“决定日期”中的日期“2026-02-30”不存在（2026年2月没有30日），请核对。")]
