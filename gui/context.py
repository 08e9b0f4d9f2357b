"""What every page needs: the database, who is logged in, today's date, and a change signal."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal, Slot

from models.core.actor import Actor
from models.core.db import Database


class AppContext(QObject):
    """Shared by the main window and its pages.

    Signals:
        data_changed(str): emitted after any saved change with a gui.ops.Change name (Change.CADRE, …);
            pages refresh what they show (the 工作台 counts, lists).
        notices_changed(): a notice was posted or cleared (the 工作台 shows `notices`).
    Attributes:
        db: the open Database; every user action is one gui.ops.run(…) (one session, one transaction).
        actor: the logged-in user.
        notices: key → Chinese text the 工作台 shows until cleared (e.g. a failed automatic backup).
    """

    data_changed = Signal(str)
    notices_changed = Signal()
    _notice_posted = Signal(str, str)  # emitted from any thread, delivered on the GUI thread

    def __init__(self, db: Database, actor: Actor, today_fn=date.today):
        super().__init__()
        self.db = db
        self.actor = actor
        self._today_fn = today_fn
        self.notices: dict[str, str] = {}
        self._notice_posted.connect(self._on_notice_posted)

    def today(self) -> date:
        """Dates are judged against today's date as the program runs; tests pin it by passing today_fn."""
        return self._today_fn()

    def notify(self, *changes: str) -> None:
        """Announce what a saved action changed. Only gui.ops.Change names: an unknown name raises ValueError
        (a listener waiting for a name nobody sends would never refresh)."""
        from gui.ops import Change

        for change in changes:
            self.data_changed.emit(str(Change(change)))

    def post_notice(self, key: str, text: str) -> None:
        """Show `text` on the 工作台 until the same key is posted with "" (callable from a background thread)."""
        self._notice_posted.emit(key, text)

    @Slot(str, str)
    def _on_notice_posted(self, key: str, text: str) -> None:
        if text:
            self.notices[key] = text
        elif self.notices.pop(key, None) is None:
            return
        self.notices_changed.emit()
