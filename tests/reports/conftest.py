"""Fixtures for PDF tests: the fonts of this machine, and measuring helpers (pdfplumber)."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


@pytest.fixture(scope="session")
def fs():
    from reports.fonts import resolve

    return resolve()


@pytest.fixture(scope="session")
def microhei_then_zenhei():
    """Micro Hei lacks 䶮 (U+4DAE); Zen Hei has it: the per-character fallback case."""
    from reports.fonts import FontFile, resolve

    if not (MICROHEI.exists() and ZENHEI.exists()):
        pytest.skip("needs fonts-wqy-microhei and fonts-wqy-zenhei")
    return resolve(files=[FontFile(str(MICROHEI), 0), FontFile(str(ZENHEI), 0)])


def open_pdf(data: bytes):
    import pdfplumber

    return pdfplumber.open(io.BytesIO(data))


def text_lines(page, min_size: float = 15.0) -> list[list[dict]]:
    """Characters of at least min_size grouped by line (same top), each line sorted left to right."""
    lines: dict[float, list[dict]] = {}
    for c in page.chars:
        if c["size"] >= min_size and c["text"].strip():
            lines.setdefault(round(c["top"], 1), []).append(c)
    return [sorted(lines[t], key=lambda c: c["x0"]) for t in sorted(lines)]


def long_notice(paragraph_repeats: int = 20, **kwargs):
    from reports.notice import Notice

    para = "为保护干部干事创业的积极性，根据《中国共产党纪律检查机关监督执纪工作规则》等有关规定，现予以澄清正名。"
    defaults = dict(
        title="关于对张堃喆同志有关问题予以澄清的说明", body=[para * paragraph_repeats],
        addressee="市直各单位", signature="中共某某市纪律检查委员会", date=date(2026, 3, 5),
    )
    defaults.update(kwargs)
    return Notice(**defaults)


def dash_line_mm(data: bytes, page_index: int, x0: float, x1: float, top: float, bottom: float) -> float:
    """Where a drawn 一字线 is: the middle of the dark pixel rows between x0..x1 and top..bottom (points from the
    top-left), from the page rendered by poppler at 600 dpi, in mm from the top of the page."""
    import subprocess
    import tempfile

    from PIL import Image

    dpi = 600
    scale = dpi / 72.0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        x, y = int(x0 * scale), int(top * scale)
        w, h = int((x1 - x0) * scale) + 1, int((bottom - top) * scale) + 1
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page_index + 1), "-l", str(page_index + 1), "-gray",
                        "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), "-png", "-singlefile", str(src),
                        str(Path(tmp) / "out")], check=True, capture_output=True)
        img = Image.open(Path(tmp) / "out.png").convert("L")
        rows = [r for r in range(img.height) if sum(1 for c in range(img.width) if img.getpixel((c, r)) < 128) > img.width / 2]
    assert rows, "no dash line found"
    return (y + (rows[0] + rows[-1] + 1) / 2) / scale * 25.4 / 72.0
