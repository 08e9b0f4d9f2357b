"""Editable templates: the data-folder copy overrides the original, checked placeholders, restore original."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models.services import templates
from models.entities import AuditEvent
from models.core.errors import PermissionDenied, ValidationError


@pytest.fixture(autouse=True)
def _clean_edits():
    for path in templates.edited_dir().glob("*"):
        path.unlink()
    yield
    for path in templates.edited_dir().glob("*"):
        path.unlink()


def test_original_is_used_until_edited():
    info = templates.info("roster")
    assert not info.edited
    assert "起始日期" in info.placeholders
    words = templates.render("roster", {"起始日期": "2026年1月1日", "截止日期": "2026年3月31日", "日期": "",
                                        "人数": 3, "机关名称": "某委"})
    assert words["期满名单范围"] == "影响期满日期：2026年1月1日至2026年3月31日"
    assert words["合计"] == "合计：3人"


def test_edited_copy_overrides_and_restore_brings_the_original_back(db, admin):
    text = templates.original_text("roster").replace("影响期满人员名单", "影响期已满干部名单")
    with db.session() as s:
        templates.save(s, admin, "roster", text)
    assert templates.is_edited("roster")
    assert templates.load("roster")["期满名单标题"] == "影响期已满干部名单"
    with db.session() as s:
        templates.restore_original(s, admin, "roster")
    assert not templates.is_edited("roster")
    assert templates.load("roster")["期满名单标题"] == "影响期满人员名单"
    assert list(templates.edited_dir().glob("roster.txt.*.bak"))  # the edited copy is kept aside
    with db.session() as s:
        summaries = [e.summary for e in s.execute(select(AuditEvent).where(AuditEvent.entity == "template")).scalars()]
    assert summaries == ["修改文书模板 roster", "恢复文书模板 roster 的原文"]


def test_unknown_placeholder_is_refused_with_the_known_ones(db, admin):
    text = templates.original_text("roster").replace("{人数}人", "{总人数}人")
    with db.session() as s, pytest.raises(ValidationError) as info:
        templates.save(s, admin, "roster", text)
    assert "{总人数}" in info.value.message and "{人数}" in info.value.message
    assert not templates.is_edited("roster")


def test_missing_section_is_refused(db, admin):
    text = templates.original_text("roster").replace("【合计】", "")
    with db.session() as s, pytest.raises(ValidationError, match="【期满名单标题】|【合计】|不属于"):
        templates.save(s, admin, "roster", text)


def test_only_administrators_edit(db, officer):
    with db.session() as s, pytest.raises(PermissionDenied):
        templates.save(s, officer, "roster", templates.original_text("roster"))
