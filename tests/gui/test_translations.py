"""Every standard Qt dialog speaks Chinese: Qt's catalogue plus the program's own for the strings it lacks."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel

from gui.app import OWN_CATALOGUE, load_translations, prefer_chinese_dates

TS = OWN_CATALOGUE.with_suffix(".ts")


def _messages():
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            yield name, m.findtext("source"), m.findtext("comment"), m.findtext("translation")


def test_own_catalogue_fills_the_gaps(qapp, caplog):
    with caplog.at_level(logging.WARNING):
        translators = load_translations(qapp)
    assert len(translators) == 2 and not [r for r in caplog.records if "not found" in r.getMessage()]
    messages = list(_messages())
    assert len(messages) >= 8
    for context, source, comment, translation in messages:
        assert QCoreApplication.translate(context, source, comment) == translation, (context, source)


def test_file_dialog_labels_are_chinese(qtbot, qapp):
    load_translations(qapp)
    dialog = QFileDialog(None, "选择文件", str(TS.parent), "Excel 文件 (*.xlsx)")
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts
    assert not [t for t in texts if t.isascii() and any(c.isalpha() for c in t)], texts


def test_qm_is_built_from_the_ts(tmp_path):
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease is not installed")
    out = tmp_path / "check.qm"
    subprocess.run([lrelease, str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == OWN_CATALOGUE.read_bytes(), "rebuild the .qm (see the comment in the .ts)"


@pytest.mark.parametrize("env, changed, lc_time", [
    ({"LANG": "C.UTF-8"}, True, "zh_CN.UTF-8"),
    ({}, True, "zh_CN.UTF-8"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, True, "zh_CN.UTF-8"),
    ({"LANG": "zh_CN.UTF-8"}, False, None),
    ({"LANG": "C", "LC_TIME": "en_GB.UTF-8"}, True, "en_GB.UTF-8"),  # dates as chosen; sizes in Chinese
    ({"LC_ALL": "en_US.UTF-8"}, False, None),
])
def test_dates_and_sizes_in_file_dialogs_follow_a_chinese_locale_unless_one_is_chosen(env, changed, lc_time, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    environ = dict(env)
    assert prefer_chinese_dates(environ) is changed
    assert environ.get("LC_TIME") == lc_time
    assert environ.get("LC_MESSAGES") == ("zh_CN.UTF-8" if changed else None)
    assert environ.get("LC_ALL") == (None if changed else env.get("LC_ALL"))
