"""The benchmark's bare one-page CJK document (the baseline the notice PDF is measured against, design §7)."""
from bench.pdf_baseline import bare_page
from reports.fonts import resolve
from tests.reports.conftest import open_pdf


def test_bench_bare_page_uses_the_same_font():
    with open_pdf(bare_page(resolve())) as pdf:
        chars = pdf.pages[0].chars
    assert len(chars) == 22 * 28
    assert {c["fontname"].split("+")[-1] for c in chars} == {c["fontname"].split("+")[-1] for c in chars[:1]}
