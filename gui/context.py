"""What every page needs: the database, who is logged in, today's date, and a change signal."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from models.core.actor import Actor
from models.core.db import Database


class AppContext(QObject):
    """Shared by the main window and its pages.

    Signals:
        data_changed(str): emitted after any saved change, with the entity name ("cadre", "handling", …);
            pages refresh what they show (the 工作台 counts, lists).
    Attributes:
        db: the open Database; every user action is one `with ctx.db.session() as s:` block.
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

    def notify(self, entity: str) -> None:
        self.data_changed.emit(entity)
