"""The import figure's baseline is the one issue 17 names — the same file read by the import's calamine reader
plus a bare executemany of the same rows — with the targets ≤ 3 s and ≤ 3×; the memory figure names its rows."""
import sqlite3
from datetime import date

import pytest

from sqlalchemy import func, select

from bench import data
from models.core.db import sqlite_path
from models.entities import Cadre
from models.exchange.cadre_import import import_cadres
from tests.exchange.files import number, write_xlsx

pytestmark = pytest.mark.slow  # writes ledgers, imports them and runs a child process


def _seed(db, admin, tmp_path):
    rows = [[f"干部{chr(0x4e00 + n)}", number(date(1970 + n, 1 + n, 1 + n), "男" if n % 2 else "女", n), "市委组织部", "科员"]
            for n in range(1, 6)]
    path = write_xlsx(tmp_path / "seed.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"], rows)
    with db.session() as s:
        result = import_cadres(s, admin, path)
    assert result.created == 5, result.rejected


def test_bare_pass_reads_with_calamine_and_inserts_the_same_rows_then_rolls_back(db, admin, tmp_path):
    _seed(db, admin, tmp_path)
    ledger = data.write_ledger(db, tmp_path / "台账.xlsx", rows=40)
    conn = sqlite3.connect(sqlite_path(db.url))
    try:
        assert data.bare_pass(ledger, conn) == 40
    finally:
        conn.close()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cadre)) == 5  # rolled back


def test_import_figure_targets_and_baseline(db, admin, tmp_path, monkeypatch):
    _seed(db, admin, tmp_path)
    monkeypatch.setattr(data, "IMPORT_ROWS", 60)
    real = data.write_ledger
    monkeypatch.setattr(data, "write_ledger", lambda d, p, rows=60, seed=1: real(d, p, rows=60, seed=seed))
    figure = data.import_figure(sqlite_path(db.url), tmp_path, date(2024, 6, 1), repeat=1, say=lambda _t: None)
    assert (figure.max_value, figure.max_ratio, figure.unit) == (3, 3, "s")
    assert figure.baseline is not None and figure.baseline > 0 and figure.ratio is not None
    assert "calamine" in figure.figure and "executemany" in figure.figure and "新增 60 名" in figure.figure
    memory = data.memory_figure(sqlite_path(db.url), tmp_path, date(2024, 6, 1), rows=60, say=lambda _t: None)
    assert memory.max_value == 300 and memory.unit == "MB" and "导入 60 行台账的内存峰值" in memory.figure
    assert memory.value >= memory.baseline > 0
