import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.core import encryption

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not encryption.available(), reason="sqlcipher3 not installed")


DEMO = ("--user", "demo")  # the account `demo` creates, password demo2024


def _run(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env={**os.environ, "CADRECARE_PASSWORD": "demo2024", **(env or {})},
                          stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_encrypt_then_use_then_decrypt(tmp_path):
    plain, enc, back = tmp_path / "p.sqlite3", tmp_path / "e.sqlite3", tmp_path / "b.sqlite3"
    made = _run("demo", "--db", str(plain), "--cadres", "20")
    assert made.returncode == 0 and "演示账号：demo" in made.stdout
    key = {"CADRECARE_PASSPHRASE": "口令口令12345"}
    no_key = _run("encrypt", *DEMO, "--db", str(plain), "--out", str(enc))
    assert no_key.returncode == 2 and "CADRECARE_PASSPHRASE" in no_key.stderr and not enc.exists()
    done = _run("encrypt", *DEMO, "--db", str(plain), "--out", str(enc), env=key)
    assert done.returncode == 0, done.stderr
    assert b"SQLite format 3" not in enc.read_bytes()[:16]
    wrong = _run("audit", "verify", *DEMO, "--db", str(enc), env={"CADRECARE_PASSPHRASE": "不对的口令999"})
    assert wrong.returncode == 2 and "口令" in wrong.stderr and "Traceback" not in wrong.stderr
    assert _run("audit", "verify", *DEMO, "--db", str(enc), env=key).returncode == 0
    assert _run("encrypt", "--decrypt", *DEMO, "--db", str(enc), "--out", str(back), env=key).returncode == 0
    assert back.read_bytes()[:16] == b"SQLite format 3\x00"
    again = _run("encrypt", *DEMO, "--db", str(plain), "--out", str(enc), env=key)
    assert again.returncode == 2 and "已存在" in again.stderr
