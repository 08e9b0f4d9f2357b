"""A page rendered to PNG (pdftoppm) shows characters where the text is: not blank, not boxes."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from reports import geometry as g
from reports.notice import Notice, build_notice
from tests.reports.conftest import open_pdf, text_lines

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
DPI = 100


def _render(data: bytes, tmp_path) -> Image.Image:
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    return Image.open(next(tmp_path.glob("p*.png"))).convert("L")


def _ink(img: Image.Image, box_pt) -> float:
    x0, top, x1, bottom = (round(v / 72 * DPI) for v in box_pt)
    region = img.crop((x0, top, x1, bottom))
    dark = sum(region.histogram()[:128])
    return dark / max(1, region.width * region.height)


def test_characters_are_drawn_where_the_text_is(fs, tmp_path):
    n = Notice(title="关于对张堃喆同志有关问题予以澄清的说明", body=["经核查，反映张堃喆、李燚、王〇〇同志的问题不属实。"])
    data = build_notice(n, fs)
    img = _render(data, tmp_path)
    with open_pdf(data) as pdf:
        chars = [c for line in text_lines(pdf.pages[0]) for c in line]
    rare = [c for c in chars if c["text"] in "堃喆燚〇"]
    assert len(rare) >= 6
    for c in rare:  # every rare character has ink in its box, like an ordinary glyph does
        ink = _ink(img, (c["x0"], c["top"], c["x1"], c["bottom"]))
        assert 0.05 < ink < 0.6, (c["text"], ink)  # not blank; not a filled box
    # nothing is drawn outside the type area and the page number line
    margin = _ink(img, (0, 0, g.PAGE_W, g.TYPE_TOP - 2))
    assert margin == 0
