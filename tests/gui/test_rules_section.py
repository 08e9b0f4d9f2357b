"""设置 → 影响期计算: choosing ALT_A recomputes every stored date; a viewer cannot change it."""
from datetime import date

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from gui.context import AppContext
from gui.settings.rules_section import RulesSection
from models.core import settings_store
from models.derived.restrictions import recompute_cadre
from models.entities import AuditEvent, Cadre, Handling, Restriction
from tests.handling_helpers import add_cadre


def _last_day(db):
    with db.session() as s:
        return s.scalar(select(Restriction.last_day).where(Restriction.kind == "NO_PROMOTION"))


def test_switching_to_alt_a_recomputes_stored_dates(qtbot, db, admin, monkeypatch):
    with db.session() as s:
        cadre = add_cadre(s, "曾小平")
        s.add(Handling(cadre_id=cadre.id, regime="gov", kind="warning", effective_on=date(2023, 8, 31)))
        s.flush()
        recompute_cadre(s, cadre.id)
    assert _last_day(db) == date(2024, 2, 29)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    ctx = AppContext(db, admin)
    section = RulesSection(ctx)
    qtbot.addWidget(section)
    assert section.selected() == ("C2", "separate")
    section.findChild(type(section.month_group.buttons()[0]), "monthEnd_ALT_A").setChecked(True)
    with qtbot.waitSignal(ctx.data_changed, timeout=10000):
        section.save_button.click()
    assert _last_day(db) == date(2024, 2, 28)
    with db.session() as s:
        assert settings_store.get(s, "rules.month_end") == "ALT_A"
        assert s.get(Cadre, 1).off_date == date(2024, 2, 29)
        assert s.scalar(select(AuditEvent.summary).where(AuditEvent.action == "setting").limit(1)).startswith("修改设置")


def test_viewer_cannot_save(qtbot, db, viewer):
    section = RulesSection(AppContext(db, viewer))
    qtbot.addWidget(section)
    assert not section.save_button.isEnabled()
