"""packaging/cadrecare.spec builds on Linux and the built program runs: commands with their resources, and the
window program starts offscreen. One build (about two minutes) shared by every assertion, so the spec cannot rot."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.core.db import head_revision

pytest.importorskip("PyInstaller", reason="PyInstaller is in requirements-dev.txt")
pytestmark = pytest.mark.slow  # the bundle takes minutes to build

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "cadrecare.spec"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        cwd=work, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    folder = work / "dist" / "cadrecare"
    assert (folder / "cadrecare").is_file() and (folder / "cadrecare-cli").is_file()
    return folder


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(CADRECARE_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return env


def _run(bundle: Path, tmp_path: Path, *args: str):
    proc = subprocess.run([str(bundle / "cadrecare-cli"), *args], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_bundle_carries_resources_migrations_guide_and_only_chinese_qt_translations(bundle):
    internal = bundle / "_internal"
    for rel in ("resources/rules/rule_table.json", "resources/holidays/2026.json", "resources/templates/roster.txt",
                "migrations/env.py", "migrations/versions/0002_features.py", "docs/user_guide.md",
                "docs/screenshots/dashboard.png", "docs/trust.md"):
        assert (internal / rel).is_file(), rel
    translations = {p.name for p in internal.rglob("*.qm")}
    assert "qtbase_zh_CN.qm" in translations
    assert all(name.endswith("_zh_CN.qm") for name in translations), translations
    assert not list(internal.rglob("*.ttf")) and not list(internal.rglob("*.ttc"))  # fonts come from the PC


def test_help_lists_every_command(bundle, tmp_path):
    code, out, err = _run(bundle, tmp_path, "--help")
    assert code == 0, err
    for command in ("demo", "import", "export", "rules", "pdf", "backup", "restore", "audit"):
        assert f"    {command} " in out, command
    assert "干部关爱与问责记录" in out


def test_rules_command_reads_the_bundled_rule_table(bundle, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"settings": {"month_end": "C2", "party_overlap_before_2024": "separate"},
                                "records": [{"id": "r1", "regime": "party", "kind": "serious_warning",
                                             "effective": "2024-03-15"}]}), encoding="utf-8")
    code, out, err = _run(bundle, tmp_path, "rules", str(case))
    assert code == 0, err
    result = json.loads(out)
    assert result["off_date"] == "2025-09-15"
    assert "《中国共产党纪律处分条例》" in out  # the citation comes from resources/rules/rule_table.json
    code, out, err = _run(bundle, tmp_path, "rules", str(tmp_path / "missing.json"))
    assert code == 2 and "找不到案例文件" in err and "Traceback" not in err


def test_demo_command_migrates_a_new_database_and_fills_it(bundle, tmp_path):
    db = tmp_path / "demo.sqlite3"
    code, out, err = _run(bundle, tmp_path, "demo", "--cadres", "5", "--db", str(db))
    assert code == 0, err
    assert "干部 5 名" in out
    conn = sqlite3.connect(db)
    try:  # created by the bundled migrations/, filled by the demo generator
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert conn.execute("SELECT count(*) FROM cadre").fetchone()[0] == 5
    finally:
        conn.close()


def test_window_program_starts_offscreen_with_chinese_qt(bundle, tmp_path):
    proc = subprocess.Popen([str(bundle / "cadrecare"), "--db", str(tmp_path / "new.sqlite3")], cwd=tmp_path,
                            env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        log = tmp_path / "data" / "logs" / "app.log"
        while time.monotonic() < deadline and proc.poll() is None and not (tmp_path / "new.sqlite3").exists():
            time.sleep(0.2)
        time.sleep(2)  # past the database: the first-run dialog waits for the administrator's name
        assert proc.poll() is None, proc.stderr.read().decode("utf-8", "replace")[-3000:]
        assert (tmp_path / "new.sqlite3").exists()
        assert log.exists()  # logging set up in the data folder before Qt loads its translations
        text = log.read_text(encoding="utf-8")
        assert "qtbase_zh_CN not found" not in text and "Traceback" not in text
    finally:
        proc.kill()
        proc.wait(timeout=10)
