"""Cyclic garbage is collected by the GUI thread on a timer, never automatically in a worker thread."""
from __future__ import annotations

import gc


def test_the_application_collects_in_its_own_thread(qapp):
    from gui import gc_guard
    from gui.app import create_application

    create_application([])
    assert gc_guard._collector is not None and not gc.isenabled()
    assert gc_guard._collector.timer.isActive()


def test_a_due_generation_is_collected_when_the_timer_checks(qapp):
    from gui.gc_guard import MainThreadCollector

    collector = MainThreadCollector(interval_ms=60_000)

    class Node:
        pass

    gc.collect()
    for _ in range(collector.threshold[0] + 50):
        node = Node()
        node.me = node  # a cycle only the collector frees
    del node
    assert gc.get_count()[0] > collector.threshold[0]
    assert collector.check() >= 0
    assert gc.get_count()[0] < collector.threshold[0]
    assert collector.check() == -1  # nothing due now


def test_an_idle_lock_being_collected_lets_events_pass_and_drops_its_filter(qtbot, db, admin):
    """Collected in a cycle, an IdleLock loses its attributes before Qt stops calling its application-wide event
    filter; every event then raised AttributeError (seen in CI once collection moved to the end of each test)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow

    from gui.context import AppContext
    from gui.idle_lock import IdleLock

    window = QMainWindow()
    qtbot.addWidget(window)
    lock = IdleLock(AppContext(db, admin), window, interval_ms=60_000)
    lock.__dict__.clear()  # what the collector's clear of a cycle does
    event = QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier)
    assert lock.eventFilter(window, event) is False  # no exception
    QApplication.sendEvent(window, QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier))  # the filter is gone
