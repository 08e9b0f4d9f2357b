"""The benchmark's cached demo database: built under a temporary name, kept with its audit anchor, reused."""
from __future__ import annotations

from datetime import date

from bench.demo_cache import ensure_demo
from models.core.audit_anchor import SUFFIX, read_anchor


def test_the_cached_database_keeps_its_audit_anchor_and_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRECARE_DATA_DIR", str(tmp_path))
    said: list[str] = []
    path = ensure_demo(120, 7, date(2026, 6, 1), say=said.append)
    assert path.exists() and path.parent == tmp_path / "bench"
    anchor, _ = read_anchor(path.with_name(path.name + SUFFIX))
    assert anchor is not None  # the anchor was moved with the file, not left under the building name
    assert not [p.name for p in path.parent.iterdir() if ".building" in p.name]
    assert any("正在生成干部" in line for line in said) and any("建立搜索索引" in line for line in said)
    said.clear()
    assert ensure_demo(120, 7, date(2026, 6, 1), say=said.append) == path
    assert said == [f"使用已有的演示数据库 {path}"]
