"""`main.py rules` against hostile input: ASCII dates only, bounded reads of files, devices and stdin, one line
and exit 2 for every refusal, control characters escaped, statutory periods not shortened (domain §8.5)."""
from __future__ import annotations

import json
import os
import sys

import pytest

from tests.cli.test_rules_cli import assert_one_line_error, run_rules, write


def _case(effective="2024-03-15", **extra):
    return {"records": [{"id": "r1", "regime": "party", "kind": "warning", "effective": effective, **extra}]}


@pytest.mark.parametrize("effective", ["２０２４-03-15", "٢٠٢٤-03-15", "2024-03-15\n", " 2024-03-15", "2024-03-15 ",
                                       "2024-０3-15", "\u200b2024-03-15"])
def test_dates_are_ascii_digits_only(effective, tmp_path):
    code, out, err = run_rules(write(tmp_path, _case(effective)), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "YYYY-MM-DD")


def test_a_lone_surrogate_is_invalid_input(tmp_path):
    text = '{"records": [{"id": "\\ud800", "regime": "party", "kind": "warning", "effective": "2024-03-15"}]}'
    code, out, err = run_rules(write(tmp_path, text), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "代理项")


def test_a_5000_digit_integer_is_invalid_input(tmp_path):
    text = json.dumps(_case()).replace('"r1",', '"r1", "months": ' + "9" * 5000 + ",")
    code, out, err = run_rules(write(tmp_path, text), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "过大")
    assert len(err) < 300


def test_a_carriage_return_in_an_id_is_escaped(tmp_path):
    case = {"records": [{"id": "a\rb\u202ec", "regime": "gov", "kind": "nope", "effective": "2024-03-15"}]}
    code, out, err = run_rules(write(tmp_path, case), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "a\\x0db\\u202ec")
    assert "\r" not in err and "\u202e" not in err


def test_months_on_expulsion_is_refused_naming_the_record(tmp_path):
    case = {"records": [{"id": "开除1", "regime": "party", "kind": "expulsion", "effective": "2024-03-15", "months": 12}]}
    code, out, err = run_rules(write(tmp_path, case), tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "开除1")
    assert "months" in err
    code, out, err = run_rules(write(tmp_path, {"records": [{k: v for k, v in case["records"][0].items()
                                                            if k != "months"}]}), tmp_path=tmp_path)
    assert code == 0, err
    bar = json.loads(out)["records"][0]["restrictions"][0]
    assert bar["kind"] == "NO_REJOIN_PARTY" and bar["off_date"] == "2029-03-15"  # the five years stand


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/zero")
def test_a_device_is_refused_at_once(tmp_path):
    code, out, err = run_rules("/dev/zero", tmp_path=tmp_path)
    assert_one_line_error(code, out, err, "设备")


def test_stdin_is_read_with_a_bound(tmp_path):
    code, out, err = run_rules("-", tmp_path=tmp_path, stdin=b" " * (20 * 1024 * 1024 + 10))
    assert_one_line_error(code, out, err, "过大")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_read_with_a_bound(tmp_path):
    import subprocess
    import threading

    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)

    def feed():
        try:
            with open(fifo, "wb") as fh:
                while True:
                    fh.write(b"\0" * 1024 * 1024)
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    try:
        code, out, err = run_rules(fifo, tmp_path=tmp_path)
    except subprocess.TimeoutExpired:  # pragma: no cover - the read did not stop
        pytest.fail("the read of a pipe did not stop at the bound")
    assert_one_line_error(code, out, err, "过大")
