"""Qt warnings fail the test that caused them (pytest.ini: qt_log_level_fail), as in qutebrowser; the messages in
qt_log_ignore (the offscreen platform's own limits) do not."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = '''
from PySide6.QtCore import qWarning


def test_warns(qtbot):
    qWarning("QObject::connect: invalid nullptr parameter")


def test_offscreen_limit(qtbot):
    qWarning("This plugin does not support raise()")
'''


def test_a_qt_warning_fails_the_test_and_an_ignored_one_does_not(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-c", str(ROOT / "pytest.ini"), "--rootdir",
                           str(tmp_path), "-p", "no:cacheprovider", str(sample)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "FAILED test_sample.py::test_warns" in out and "Qt messages with level WARNING or above emitted" in out
    assert "1 failed, 1 passed" in out
