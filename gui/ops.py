"""The GUI's operations layer: one user action = one service call in one session (one transaction).

    result = ops.run(self, self.ctx, lambda s: hs.create_handling(s, actor, data, today),
                     changes=(Change.HANDLING,), on_error=self._show_error_line)
    if result is ops.FAILED:
        return

`run` opens the session, commits when the call returns and rolls everything back when it raises. Expected faults
(AppError and its subclasses) become their Chinese message — on the dialog's own red line when `on_error` is given,
else in a message box; a ConflictError ("已被他人修改") offers 重新载入 when `reload` is given; anything unexpected
is logged and shown in the one error dialog (gui.errors.show_error). After a successful call every name in
`changes` is announced on ctx.data_changed so that the pages showing those records refresh.

`Change` is the one list of names pages listen for: a page compares with members, never with free strings, so a
name that is listened for but never sent cannot happen again (tests/gui/test_ops.py checks the whole gui/ tree).
"""
from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, Callable, Iterable, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget
from gui.errors import show_error
from models.core.concurrency import StaleDataError
from models.core.db import Session
from models.core.errors import AppError, ConflictError

log = logging.getLogger("gui.ops")

T = TypeVar("T")

CONFLICT_MESSAGE = "这条记录已被他人修改。请重新载入，核对最新内容后再保存。"


class Change(StrEnum):
    """What a saved action changed; sent on AppContext.data_changed (a str subclass, so `entity == "cadre"` holds)."""

    CADRE = "cadre"
    UNIT = "unit"
    HANDLING = "handling"
    REVIEW = "review"  # 复审/复核/申诉 results and overrides of a decision's dates
    VISIT = "visit"
    VISIT_PLAN = "visit_plan"
    ASSESSMENT = "assessment"
    COMMENDATION = "commendation"
    ACCUSATION = "accusation"
    INQUIRY = "inquiry"
    CLARIFICATION = "clarification"
    TASK = "task"
    IMPORT = "import"  # an import (or its withdrawal) changed many records at once
    SETTINGS = "settings"
    CODES = "codes"
    HOLIDAYS = "holidays"
    TEMPLATE = "template"
    USER = "user"
    BACKUP = "backup"
    DATABASE = "database"  # a restore replaced the whole database


class _Failed:
    """The result of an action that did not complete (its message has been shown)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "ops.FAILED"


FAILED: Any = _Failed()


def message_of(exc: BaseException) -> str | None:
    """The Chinese message of an expected fault; None for anything unexpected."""
    if isinstance(exc, AppError):
        return exc.message
    if isinstance(exc, StaleDataError):
        return CONFLICT_MESSAGE
    return None


def show_expected(parent: QWidget | None, exc: BaseException, *, title: str = "无法完成",
                  reload: Callable[[], None] | None = None) -> None:
    """Show a fault as the user must see it: a conflict with 重新载入 when the caller can reload."""
    message = message_of(exc)
    if message is None:
        show_error(parent, exc, title)
        return
    conflict = isinstance(exc, (ConflictError, StaleDataError))
    if conflict and reload is not None:
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.NoButton, parent)
        box.setObjectName("conflictBox")
        again = box.addButton("重新载入", QMessageBox.AcceptRole)
        box.addButton("关闭", QMessageBox.RejectRole)
        box.setDefaultButton(again)
        box.exec()
        if box.clickedButton() is again:
            reload()
        return
    QMessageBox.warning(parent, title, message)


def run(parent: QWidget | None, ctx, action: Callable[[Session], T], *, changes: Iterable[Change] = (),
        title: str = "无法保存", on_error: Callable[[AppError], None] | None = None,
        reload: Callable[[], None] | None = None) -> T:
    """Run `action(session)` as one transaction; returns its result, or FAILED after showing why it failed.

    on_error(exc): receives an expected fault (the dialog puts it on its red line or beside the field named by
    `exc.field`); without it the message is shown in a box titled `title`.
    reload(): offered as 重新载入 when someone else changed the record in between (a ConflictError naming no field;
    a duplicate value, which names its field, goes to on_error like any other input fault).
    """
    try:
        with ctx.db.session() as s:
            result = action(s)
    except (AppError, StaleDataError) as exc:
        log.info("action refused: %s", type(exc).__name__)
        stale = isinstance(exc, StaleDataError) or (
            isinstance(exc, ConflictError) and getattr(exc, "field", None) is None)
        if on_error is not None and isinstance(exc, AppError) and not (stale and reload is not None):
            on_error(exc)
        else:
            show_expected(parent, exc, title=title, reload=reload)
        return FAILED
    except Exception as exc:  # noqa: BLE001 - unexpected: logged and shown in the one error dialog
        show_error(parent, exc, title)
        return FAILED
    for change in changes:
        ctx.notify(change)
    return result


def read(parent: QWidget | None, ctx, action: Callable[[Session], T], *, title: str = "无法读取") -> T:
    """A read for the screen (no change announced); FAILED after showing why (a role without the right, a record
    withdrawn meanwhile)."""
    return run(parent, ctx, action, title=title)
