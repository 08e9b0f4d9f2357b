"""The JSON a figure writes must agree with itself: ratio = value / baseline, also for tiny baselines."""
from bench.core import Figure


def test_sub_millisecond_baseline_keeps_ratio_consistent():
    f = Figure("x", value=0.75215, unit="ms", baseline=0.04044, max_ratio=20)
    row = f.as_json()
    assert row["baseline"] == 0.04044
    assert abs(row["ratio"] - row["value"] / row["baseline"]) <= 0.005
    assert row["pass"] is True


def test_figure_without_baseline_has_no_ratio():
    row = Figure("y", value=1234.5678, unit="ms", max_value=2000).as_json()
    assert row["baseline"] is None and row["ratio"] is None
    assert row["value"] == 1235.0 and row["target"] == "≤ 2000 ms"


def test_ratio_target_fails_the_figure():
    row = Figure("z", value=30.0, unit="ms", baseline=10.0, max_value=100, max_ratio=2).as_json()
    assert row["ratio"] == 3.0 and row["pass"] is False
