"""Slow work (import, batch PDFs, backup) runs off the GUI thread with a progress bar and a cancel button.

The work function receives a `Progress` it reports to and polls for cancellation; it raises `Cancelled`
to stop, and must leave the database as it was (it runs in one transaction that is rolled back).
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.core.progress import Cancelled, Progress

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress):
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, _Signals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_with_progress(
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> QProgressDialog:
    """Start `fn` in the thread pool; show a modal progress dialog with 取消; call back on the GUI thread."""
    cancel = threading.Event()
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = _Job(fn, None)  # type: ignore[arg-type]
    job.setAutoDelete(False)  # Python owns the job: kept (with its signals) until its result was delivered
    _KEEP.add(job)

    def report(done: int, total: int, text: str = "") -> None:
        job.signals.progress.emit(done, total, text)

    job.progress = Progress(report=report, cancel_event=cancel)

    def on_progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def finished(result: Any) -> None:
        _KEEP.discard(job)
        dialog.close()
        on_done(result)

    def failed(exc: BaseException) -> None:
        _KEEP.discard(job)
        dialog.close()
        if isinstance(exc, Cancelled):
            on_done(None)
            return
        if on_error is not None:
            on_error(exc)
        else:
            from gui.errors import show_error

            show_error(parent, exc)

    dialog.canceled.connect(cancel.set)
    job.signals.progress.connect(on_progress)
    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    dialog.show()
    QThreadPool.globalInstance().start(job)
    return dialog


def run_in_background(fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None) -> None:
    """Start `fn` in the thread pool without a dialog (upkeep the user need not wait for)."""
    job = _Job(fn, Progress())
    job.signals.finished.connect(on_done)
    if on_error is not None:
        job.signals.failed.connect(on_error)
    else:
        job.signals.failed.connect(lambda exc: log.error("background job failed", exc_info=(type(exc), exc, exc.__traceback__)))
    _KEEP.add(job.signals)
    job.signals.finished.connect(lambda _r: _KEEP.discard(job.signals))
    QThreadPool.globalInstance().start(job)


_KEEP: set = set()  # keeps the jobs and signal objects alive until their job reported
