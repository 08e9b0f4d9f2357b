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


def test_growth_pairs_each_index_bound_figure_by_position_and_judges_two_times():
    from bench.command import growth_figures

    small = [[Figure("搜索·姓名片段“王芳”→首页", 4.0, "ms"), Figure("搜索·拼音首字母“wf”→首页", 2.0, "ms")],
             [Figure("工作台·回访逾期（首页+总数）", 10.0, "ms")]]
    big = [[Figure("搜索·姓名片段“李强”→首页", 6.0, "ms"), Figure("搜索·拼音首字母“lq”→首页", 5.0, "ms")],
           [Figure("工作台·回访逾期（首页+总数）", 19.0, "ms")]]
    rows = [f.as_json() for f in growth_figures(small, big, 100_000, 1_000_000)]
    assert [r["value"] for r in rows] == [1.5, 2.5, 1.9]
    assert [r["pass"] for r in rows] == [True, False, True]
    assert rows[0]["figure"].startswith("规模增长·搜索·姓名片段（100,000 → 1,000,000 名干部：4.00 → 6.00 ms）")
    assert all(r["unit"] == "×" and r["target"] == "≤ 2 ×" for r in rows)
