"""Cyclic garbage is collected in the GUI thread only.

Python's collector runs in whichever thread happens to allocate when a generation fills. When that is a worker
thread (gui/worker.py: the font preview, plan upkeep, imports) and the garbage holds Qt objects, Qt destroys them
outside the GUI thread and the process crashes — seen as a segfault in a font-resolving worker while the GUI
thread was tearing a window down. So automatic collection is switched off and the GUI thread collects on a timer,
generation by generation with the collector's own thresholds (the recipe PyQt and PySide programs use).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the generations that are due, as the automatic collector would; returns the generation (-1:
        none was due)."""
        counts, limits = gc.get_count(), self.threshold
        if counts[0] <= limits[0]:
            return -1
        generation = 0
        if counts[1] > limits[1]:
            generation = 2 if counts[2] > limits[2] else 1
        gc.collect(generation)
        return generation


def freeze_survivors() -> None:
    """Collect once, then move everything alive into the permanent generation (gc.freeze): the modules, classes
    and mapped classes loaded at start-up are never garbage, and a full collection that walked them all cost
    45 ms of the time from 登录 to the 工作台. Called on the GUI thread while the login window waits for typing;
    the few cycles of that window left behind after 登录 stay uncollected (reference counting frees the rest)."""
    gc.collect()
    gc.freeze()


_collector: MainThreadCollector | None = None


def install(app: QObject) -> MainThreadCollector:
    """Once per process, owned by the application object."""
    global _collector
    if _collector is None:
        _collector = MainThreadCollector(app)
    return _collector
