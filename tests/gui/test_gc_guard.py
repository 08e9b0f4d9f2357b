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
