"""A revoked decision opens the task 恢复名誉; the 工作台 lists it until an officer marks it done."""
from datetime import date

from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from gui.context import AppContext
from gui.pages.dashboard_page import DashboardPage
from models.services.handling import register as handling_register
from models.services.handling import reviews as handling_reviews
from models.services import tasks as task_service
from models.entities import AuditEvent, Task
from models.core.errors import ValidationError
from tests.handling_helpers import add_cadre

import pytest

TODAY = date(2024, 9, 1)


def _revoked(db, officer):
    with db.session() as s:
        cadre = add_cadre(s, "解晓明")
        d = handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre.id, regime="gov", kind="demerit",
                                                           decided_on=date(2024, 4, 1)), TODAY)
        handling_reviews.add_review(s, officer, d.id, track="复审", decided_on=date(2024, 5, 20), outcome="revoked", today=TODAY)
        return cadre.id


def test_task_listed_then_completed_through_the_dashboard(qtbot, db, officer, monkeypatch):
    cadre_id = _revoked(db, officer)
    page = DashboardPage(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    assert page.tiles["tasks_open"].text().startswith("1")
    page.open_list("tasks_open")
    row = page.model.row_at(0)
    assert row.cadre_id == cadre_id and "恢复名誉" in row.detail and row.name == "解晓明"
    page.table.selectRow(0)
    assert page.complete_button.isVisible() or page.complete_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("已在原宣布范围内召开会议宣布撤销决定，恢复名誉。", True))
    page.complete_button.click()
    assert page.tiles["tasks_open"].text().startswith("0")
    with db.session() as s:
        task = s.scalar(select(Task).where(Task.kind == "restore_reputation"))
        assert task.done_on == TODAY and "恢复名誉" in task.note
        assert s.scalar(select(AuditEvent.summary).where(AuditEvent.action == "complete")).startswith("办结")


def test_complete_needs_a_note_and_write_permission(db, officer, viewer):
    _revoked(db, officer)
    with db.session() as s:
        tid = task_service.list_open(s, officer)[0].id
        with pytest.raises(ValidationError, match="办理情况"):
            task_service.complete_task(s, officer, tid, TODAY, "好", TODAY)
        with pytest.raises(Exception, match="权限"):
            task_service.complete_task(s, viewer, tid, TODAY, "已恢复名誉完毕", TODAY)
