"""The benchmark runs end to end at N = 1,000 and writes every figure of design §7 (its numbers are not judged
here: speed is measured only by the benchmark itself)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the whole benchmark at 1,000 cadres in a subprocess

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"figure", "value", "unit", "baseline", "ratio", "target", "pass"}
# one figure name fragment per line of design §7 (several 工作台 lists and four kinds of search term)
EXPECTED = ("启动到可用主窗口", "启动到登录窗口", "按“登录”到工作台填好", "搜索·姓名片段", "搜索·拼音首字母",
            "搜索·身份证号片段", "搜索·身份证号从头输入", "工作台·30天内影响期满", "工作台·期满待考核", "工作台·回访逾期", "工作台·优先考虑使用",
            "名单·", "统计分析·", "澄清正名说明 PDF",
            "批量生成 1,000 份", "导入 10,000 行", "行台账的内存峰值", "影响期引擎", "图形界面内存峰值")


def test_bench_runs_at_1000_cadres_and_writes_every_figure(tmp_path):
    out = tmp_path / "out.json"
    env = dict(os.environ, CADRECARE_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "main.py", "bench", "--cadres", "1000", "--json", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "未能测量" not in proc.stdout, proc.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(figures, list)
    names = [f["figure"] for f in figures]
    for fragment in EXPECTED:
        assert any(fragment in n for n in names), f"{fragment} missing from {names}"
    for f in figures:
        assert set(f) == KEYS, f
        assert isinstance(f["value"], (int, float)) and f["value"] > 0, f
        assert f["unit"] in ("ms", "s", "MB"), f
        assert isinstance(f["pass"], bool) and f["target"].startswith("≤"), f
        if f["baseline"] is None:
            assert f["ratio"] is None, f
        else:
            assert f["baseline"] > 0 and abs(f["ratio"] - f["value"] / f["baseline"]) < 0.01 * f["ratio"] + 0.01, f
    # the table printed for a person names every figure too
    for n in names:
        assert n in proc.stdout
    # the demo database was built once and is cached in the data folder for the next run
    assert list((tmp_path / "data" / "bench").glob("demo-1000-seed1-rev*.sqlite3"))
