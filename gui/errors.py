"""Expected faults become a clear Chinese message; anything unexpected is logged and shown in one dialog."""
from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from models.core.errors import AppError

log = logging.getLogger("gui")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "无法完成") -> None:
    if isinstance(exc, AppError):
        QMessageBox.warning(parent, title, exc.message)
        return
    from models.core.concurrency import StaleDataError

    if isinstance(exc, StaleDataError):
        QMessageBox.warning(parent, title, "这条记录已被其他人修改。请关闭后重新打开，核对最新内容再保存。")
        return
    from models.core.db_faults import translate

    fault = translate(exc)  # a full disk, read-only media, a busy database, a PostgreSQL lock wait …
    if fault is not None:
        log.warning("storage fault (%s): %s", fault.kind, type(exc).__name__)
        QMessageBox.warning(parent, title, fault.message)
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    from models.core.db import SQLAlchemyError
    from models.core.logs import log_file_path, redact

    # a database error's text carries the SQL and its values (names, ID numbers): only its kind is shown
    detail = "" if isinstance(exc, SQLAlchemyError) else "：" + redact(str(exc))[:500]
    QMessageBox.critical(
        parent, "程序出错",
        f"发生了意外错误：{type(exc).__name__}{detail}\n\n已记入日志：{log_file_path()}\n"
        "刚才的操作没有保存。请把日志发给管理员。",
    )


def install_excepthook() -> None:
    """Unexpected errors in slots end up here instead of killing the program silently."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("uncaught: %s", "".join(traceback.format_exception(exc_type, exc, tb)))
        app = QApplication.instance()
        parent = app.activeWindow() if app else None
        try:
            show_error(parent, exc)
        except Exception:  # pragma: no cover - the dialog itself failed
            traceback.print_exception(exc_type, exc, tb)

    sys.excepthook = hook
