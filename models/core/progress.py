"""Progress reporting and cancellation for long work, usable from the GUI and from the command line."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable


class Cancelled(Exception):
    """Raised inside long work when the user pressed 取消; the transaction is rolled back."""


@dataclass
class Progress:
    report: Callable[[int, int, str], None] = lambda done, total, text="": None  # type: ignore[misc]
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def update(self, done: int, total: int, text: str = "") -> None:
        self.report(done, total, text)

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()
