"""Many notices at once: one PDF (each numbered from 1) or one file each; progress and cancel."""
from __future__ import annotations

import pytest

from models.core.progress import Cancelled, Progress
from reports.batch import build_batch, write_batch_files
from tests.reports.conftest import long_notice, open_pdf


def test_one_pdf_each_notice_numbered_from_one(fs):
    seen = []
    notices = [long_notice(1, title=f"关于对张堃喆{i}同志有关问题予以澄清的说明") for i in range(3)]
    data = build_batch(notices, fonts=fs, progress=Progress(report=lambda d, t, text="": seen.append((d, t))))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with open_pdf(data) as pdf:
        assert len(pdf.pages) == 3
        for i, page in enumerate(pdf.pages):
            assert f"张堃喆{i}" in page.extract_text()
            assert "".join(c["text"] for c in page.chars if c["size"] == pytest.approx(14) and c["text"].strip()) == "—1—"


def test_start_on_odd_adds_blank_backs(fs):
    data = build_batch([long_notice(1), long_notice(1)], fonts=fs, start_on_odd=True)
    with open_pdf(data) as pdf:
        assert len(pdf.pages) == 4
        assert pdf.pages[1].chars == []


def test_one_file_each_and_cancel_leaves_nothing(fs, tmp_path):
    notices = [long_notice(1, title=f"说明{i}") for i in range(3)]
    paths = write_batch_files(notices, tmp_path, names=["张堃喆", "李燚", "张堃喆"], fonts=fs)
    assert [p.name for p in paths] == ["张堃喆.pdf", "李燚.pdf", "张堃喆-2.pdf"]
    with open_pdf(paths[1].read_bytes()) as pdf:
        assert "说明1" in pdf.pages[0].extract_text()
    out = tmp_path / "cancelled"
    out.mkdir()
    progress = Progress()

    def report(done, total, text=""):
        if done == 2:
            progress.cancel_event.set()

    progress.report = report
    with pytest.raises(Cancelled):
        write_batch_files(notices, out, fonts=fs, progress=progress)
    assert list(out.iterdir()) == []

