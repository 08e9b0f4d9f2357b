"""Fonts: every character checked, per-character fallback, a clear refusal, TrueType only (design §5)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from models.core.errors import AppError
from reports.fonts import FontFile, MissingGlyphError, load_face, resolve
from reports.notice import Notice, build_notice
from tests.reports.conftest import MICROHEI, open_pdf


def _base_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(ref.get_object()["/BaseFont"]) for page in reader.pages
            for ref in page["/Resources"]["/Font"].values()}


def test_rare_name_characters_are_covered_everyday(fs):
    for ch in "堃喆燚〇":
        assert fs.face_for(ch).has(ch)


def test_fallback_per_character_inside_a_paragraph(microhei_then_zenhei):
    fs = microhei_then_zenhei
    runs = fs.runs("刘䶮同志")
    assert [piece for _face, piece in runs] == ["刘", "䶮", "同志"]
    assert runs[0][0] is runs[2][0] and runs[1][0] is not runs[0][0]
    assert not runs[0][0].has("䶮") and runs[1][0].has("䶮")
    data = build_notice(Notice(title="关于刘䶮同志的说明", body=["经核查，反映刘䶮同志的问题不属实。"]), fs)
    with open_pdf(data) as pdf:
        text = pdf.pages[0].extract_text().replace("\n", "")
        fonts_of_yan = {c["fontname"] for c in pdf.pages[0].chars if c["text"] == "䶮"}
        fonts_of_liu = {c["fontname"] for c in pdf.pages[0].chars if c["text"] == "刘"}
    assert "经核查，反映刘䶮同志的问题不属实。" in text
    assert fonts_of_yan and fonts_of_yan.isdisjoint(fonts_of_liu)  # drawn by the fallback font
    assert len(_base_fonts(data)) == 2  # both fonts embedded


@pytest.mark.slow
def test_character_no_font_has_stops_the_document_naming_it(fs):
    n = Notice(title="说明", body=["反映王𬌗同志的问题不属实。"])
    with pytest.raises(MissingGlyphError) as info:
        build_notice(n, fs)
    assert "𬌗" in info.value.message and "U+2C317" in info.value.message
    assert "王𬌗" in info.value.message  # where it occurs


def test_never_the_builtin_cid_font(fs):
    data = build_notice(Notice(title="说明", body=["张堃喆"]), fs)
    assert not any("STSong" in b or "Helvetica" in b for b in _base_fonts(data))
    assert b"STSong" not in data


def test_postscript_outline_font_is_refused_with_a_message(tmp_path):
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "uni4E2D"])
    fb.setupCharacterMap({0x4E2D: "uni4E2D"})
    pen = T2CharStringPen(1000, None)
    pen.moveTo((100, 100))
    pen.lineTo((900, 100))
    pen.lineTo((900, 900))
    pen.closePath()
    charstring = pen.getCharString()
    fb.setupCFF("TestCFF", {"FullName": "TestCFF"}, {".notdef": charstring, "uni4E2D": charstring}, {})
    fb.setupHorizontalMetrics({".notdef": (1000, 100), "uni4E2D": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "TestCFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "cff.otf"
    fb.save(str(path))
    with pytest.raises(AppError, match="TrueType"):
        load_face(FontFile(str(path), 0))


def test_missing_chosen_font_falls_back_with_a_note(tmp_path):
    from reports.fonts import FontChoice, FontConfig

    fs = resolve(FontConfig(body=FontChoice(str(tmp_path / "nowhere" / "notthere.ttf"), 0)))
    assert "找不到" in fs.note
    assert fs.face("body").has("中")


def test_chosen_font_leads(tmp_path):
    from reports.fonts import FontChoice, FontConfig

    if not MICROHEI.exists():
        pytest.skip("needs fonts-wqy-microhei")
    from tests.reports.conftest import UMING

    fs = resolve(FontConfig(body=FontChoice(str(UMING), 0)))
    assert fs.face("body").file.path == str(UMING)


def test_fonts_are_cached(fs):
    from reports.fonts import resolve as again

    assert again() is fs
    face = fs.face("body")
    assert load_face(face.file) is face
