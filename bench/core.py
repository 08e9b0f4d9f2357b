"""What every benchmark figure shares: the Figure row, timing by median, the SQL a service runs replayed raw.

A figure is printed beside a baseline measured in the same run (design §7): the machines are noisy, so the
ratio is the target that travels from one machine to another; the absolute target is for the office PC.
"""
from __future__ import annotations

import gc
import json
import sqlite3
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, event

KEYS = ("figure", "value", "unit", "baseline", "ratio", "target", "pass")


class FigureSkipped(Exception):
    """A figure that does not apply to this database (said in the run's log, not counted as a failure)."""


@dataclass
class Figure:
    """One line of the table. value and baseline are in `unit`; ratio = value / baseline (None without one).

    max_value / max_ratio are the targets; `passed` holds when the value (and the ratio, if there is a baseline
    and a ratio target) are within them."""

    figure: str
    value: float
    unit: str
    baseline: float | None = None
    max_value: float | None = None
    max_ratio: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def target(self) -> str:
        parts = []
        if self.max_value is not None:
            parts.append(f"≤ {_num(self.max_value)} {self.unit}")
        if self.max_ratio is not None:
            parts.append(f"≤ {_num(self.max_ratio)}× baseline")
        return ", ".join(parts)

    @property
    def passed(self) -> bool:
        ok = self.max_value is None or self.value <= self.max_value
        if self.max_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.max_ratio
        return ok

    def as_json(self) -> dict:
        # Four significant digits, and the ratio from the rounded figures, so that value / baseline in the file
        # equals its ratio even for sub-millisecond baselines (0.04 ms rounded to 3 decimals was 25 % off).
        value = _sig(self.value)
        baseline = None if self.baseline is None else _sig(self.baseline)
        ratio = None if self.ratio is None or not baseline else round(value / baseline, 2)
        return {
            "figure": self.figure,
            "value": value,
            "unit": self.unit,
            "baseline": baseline,
            "ratio": ratio,
            "target": self.target,
            "pass": self.passed,
        }


def _sig(x: float) -> float:
    return float(f"{x:.4g}")


def _num(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------------------------------- timing


def median_seconds(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    with _gc_paused():
        for _ in range(max(1, repeat)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def median_pair(fn: Callable[[], object], base: Callable[[], object], repeat: int = 7,
                warmup: int = 1) -> tuple[float, float]:
    """Medians of fn and of its baseline, run alternately so that a busy moment of the machine hits both."""
    for _ in range(warmup):
        fn()
        base()
    a, b = [], []
    with _gc_paused():
        for _ in range(max(1, repeat)):
            for f, out in ((fn, a), (base, b)):
                t = time.perf_counter()
                f()
                out.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


@contextmanager
def _gc_paused():
    """As timeit does: one collection before, none while timing (a collection in a big process costs more than a
    query and would land on whichever run it happened to hit)."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------------------------------- raw SQL


class SqlCapture:
    """Records every statement (with its DBAPI parameters) an engine sends while the block runs."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.statements: list[tuple[str, object]] = []

    def _on_execute(self, _conn, _cursor, statement, parameters, _context, executemany):
        if not executemany:
            self.statements.append((statement, parameters))

    def __enter__(self) -> "SqlCapture":
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    @property
    def reads(self) -> list[tuple[str, object]]:
        """The SELECTs (session bookkeeping such as BEGIN/COMMIT is not part of the raw baseline)."""
        return [(sql, p) for sql, p in self.statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def raw_connection(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return conn


def replay(conn: sqlite3.Connection, statements: list[tuple[str, object]]) -> int:
    """Run the statements with the stdlib sqlite3 module and fetch every row: the raw-SQL baseline."""
    n = 0
    for sql, params in statements:
        n += len(conn.execute(sql, params or ()).fetchall())
    return n


# --------------------------------------------------------------------------------------------------- output


def table(figures: list[Figure]) -> str:
    """The results as a fixed-width table (figure, value, baseline, ratio, target, pass)."""
    head = ("figure", "value", "baseline", "ratio", "target", "pass")
    rows = []
    for f in figures:
        r = f.ratio
        rows.append((
            f.figure, f"{_fmt(f.value)} {f.unit}", "—" if f.baseline is None else f"{_fmt(f.baseline)} {f.unit}",
            "—" if r is None else f"{r:.2f}×", f.target, "PASS" if f.passed else "MISS",
        ))
    widths = [max(_width(x) for x in col) for col in zip(head, *rows)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(head, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def write_json(figures: list[Figure], path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
