"""What every page needs: the database, who is logged in, today's date, and a change signal."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from models.core.actor import Actor
from models.core.db import Database


class AppContext(QObject):
    """Shared by the main window and its pages.

    Signals:
        data_changed(str): emitted after any saved change with a gui.ops.Change name (Change.CADRE, …);
            pages refresh what they show (the 工作台 counts, lists).
    Attributes:
        db: the open Database; every user action is one gui.ops.run(…) (one session, one transaction).
        actor: the logged-in user.
    """

    data_changed = Signal(str)

    def __init__(self, db: Database, actor: Actor, today_fn=date.today):
        super().__init__()
        self.db = db
        self.actor = actor
        self._today_fn = today_fn

    def today(self) -> date:
        """Dates are judged against today's date as the program runs; tests pin it by passing today_fn."""
        return self._today_fn()

    def notify(self, *changes: str) -> None:
        """Announce what a saved action changed. Only gui.ops.Change names: an unknown name raises ValueError
        (a listener waiting for a name nobody sends would never refresh)."""
        from gui.ops import Change

        for change in changes:
            self.data_changed.emit(str(Change(change)))
