"""`python main.py rules CASE.json` as a user runs it: exit codes, stdout JSON, one line on stderr."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_rules(*args, tmp_path: Path, stdin: bytes | None = None):
    env = dict(os.environ, CADRECARE_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "rules", *map(str, args)],
        cwd=tmp_path, env=env, input=stdin, capture_output=True, timeout=60,
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def write(tmp_path: Path, content, name="case.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def assert_one_line_error(code, out, err, fragment):
    assert code == 2, (code, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in err


def test_good_case_prints_the_result(tmp_path):
    case = {"settings": {"month_end": "C2", "party_overlap_before_2024": "separate"},
            "records": [{"id": "r1", "regime": "party", "kind": "serious_warning", "effective": "2024-03-15"}]}
    code, out, err = run_rules(write(tmp_path, case), tmp_path=tmp_path)
    assert code == 0, err
    assert "Traceback" not in err
    result = json.loads(out)
    [r1] = result["records"]
    assert r1["id"] == "r1" and r1["status"] == "in_force"
    assert [{k: x[k] for k in ("kind", "start", "last_day", "off_date")} for x in r1["restrictions"]] == [
        {"kind": "NO_PROMOTION", "start": "2024-03-15", "last_day": "2025-09-14", "off_date": "2025-09-15"}]
    assert result["off_date"] == "2025-09-15"
    assert "严重警告" in out  # Chinese kept as characters (ensure_ascii=False)
    assert out.startswith("{\n  \"records\"")  # indented by 2


def test_worked_example_chain_and_alt_a(tmp_path):
    case = {"settings": {"month_end": "ALT_A"}, "records": [
        {"id": "a", "regime": "gov", "kind": "demerit", "effective": "2023-03-01"},
        {"id": "b", "regime": "gov", "kind": "major_demerit", "effective": "2023-09-01"},
        {"id": "w", "regime": "gov", "kind": "warning", "effective": "2023-08-31"},
        {"id": "x", "regime": "gov", "kind": "warning", "effective": "2024-04-01",
         "review": {"on": "2024-07-15", "outcome": "revoked"}}]}
    code, out, err = run_rules(write(tmp_path, case), tmp_path=tmp_path)
    assert code == 0, err
    result = json.loads(out)
    by_id = {r["id"]: r for r in result["records"]}
    assert by_id["x"]["status"] == "revoked" and by_id["x"]["restrictions"] == []
    assert [r["id"] for r in result["records"]] == ["a", "b", "w", "x"]
    assert by_id["a"]["restrictions"][0]["last_day"] == "2024-02-29"


def test_bom_and_stdin_are_accepted(tmp_path):
    case = json.dumps({"records": [{"id": "r1", "regime": "org", "kind": "post_adjustment", "effective": "2024-07-01"}]})
    code, out, err = run_rules(write(tmp_path, "\ufeff" + case), tmp_path=tmp_path)
    assert code == 0, err
    assert json.loads(out)["off_date"] == "2025-07-01"
    code, out, err = run_rules("-", tmp_path=tmp_path, stdin=case.encode("utf-8"))
    assert code == 0, err
    assert json.loads(out)["records"][0]["restrictions"][0]["last_day"] == "2025-06-30"


BAD = [
    ("not json", "{records: [}", "不是有效的 JSON"),
    ("empty file", "", "空"),
    ("array", "[1, 2]", "JSON 对象"),
    ("unknown regime", {"records": [{"id": "r1", "regime": "army", "kind": "warning", "effective": "2024-01-01"}]}, "记录 r1"),
    ("unknown kind", {"records": [{"id": "r1", "regime": "gov", "kind": "hug", "effective": "2024-01-01"}]}, "记录 r1"),
    ("kind of another regime", {"records": [{"id": "r1", "regime": "org", "kind": "demerit", "effective": "2024-01-01"}]}, "不属于 org"),
    ("missing date", {"records": [{"id": "r7", "regime": "gov", "kind": "warning"}]}, "记录 r7：缺少 effective"),
    ("impossible date", {"records": [{"id": "r2", "regime": "gov", "kind": "warning", "effective": "2024-02-30"}]},
     "记录 r2：effective 日期 \"2024-02-30\" 不存在"),
    ("non-iso date", {"records": [{"id": "r2", "regime": "gov", "kind": "warning", "effective": "15.03.2024"}]}, "YYYY-MM-DD"),
    ("duplicate ids", {"records": [{"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01"},
                                   {"id": "r1", "regime": "gov", "kind": "demerit", "effective": "2024-02-01"}]}, "id 重复"),
    ("together unknown", {"records": [{"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01",
                                       "together_with": ["r5"]}]}, "r5"),
    ("together other regime", {"records": [
        {"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01", "together_with": ["p"]},
        {"id": "p", "regime": "party", "kind": "warning", "effective": "2024-01-01"}]}, "记录 r1"),
    ("review before decision", {"records": [{"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01",
                                             "review": {"on": "2023-12-31", "outcome": "revoked"}}]}, "早于"),
    ("review outcome unknown", {"records": [{"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01",
                                             "review": {"on": "2024-02-01", "outcome": "maybe"}}]}, "outcome"),
    ("months wrong type", {"records": [{"id": "r1", "regime": "gov", "kind": "warning", "effective": "2024-01-01", "months": "6"}]}, "months"),
    ("bool wrong type", {"records": [{"id": "r1", "regime": "party", "kind": "probation_1y", "effective": "2024-01-01",
                                      "probation_extended": "true"}]}, "probation_extended"),
    ("settings value", {"settings": {"month_end": "END"}, "records": []}, "month_end"),
]


@pytest.mark.parametrize("content, fragment", [(c, f) for _, c, f in BAD], ids=[n for n, _, _ in BAD])
def test_bad_case_exits_2_with_one_line(tmp_path, content, fragment):
    code, out, err = run_rules(write(tmp_path, content), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, fragment)


def test_missing_file(tmp_path):
    code, out, err = run_rules(tmp_path / "nope.json", tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "找不到案例文件")


def test_directory_instead_of_file(tmp_path):
    code, out, err = run_rules(tmp_path, tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "文件夹")


def test_non_utf8_file(tmp_path):
    text = json.dumps({"records": [{"id": "记录一", "regime": "gov", "kind": "warning", "effective": "2024-01-01"}]},
                      ensure_ascii=False)
    code, out, err = run_rules(write(tmp_path, text.encode("gbk")), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "UTF-8")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root and Windows ignore file permissions")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, {"records": []})
    path.chmod(0)
    try:
        code, out, err = run_rules(path, tmp_path=tmp_path)
    finally:
        path.chmod(0o600)
    assert_one_line_error(code, out, err, "权限")


def test_missing_argument_is_a_usage_error(tmp_path):
    code, out, err = run_rules(tmp_path=tmp_path)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unreadable_file_in_process(tmp_path, monkeypatch):
    """The permission path also when the tests run as root (root reads any file)."""
    from cli.rules_cmd import read_case_text
    from models.core.errors import AppError

    path = write(tmp_path, {"records": []})

    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(AppError) as exc:
        read_case_text(str(path))
    assert "没有权限读取" in exc.value.message and "\n" not in exc.value.message
