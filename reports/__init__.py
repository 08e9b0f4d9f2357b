"""PDF documents (reportlab): plain rows in, bytes or a file out; never imports Qt.

- `geometry`  the page of GB/T 9704-2012 (A4, margins, type area, line and character grid, sizes);
- `fonts`     finding TrueType CJK fonts, checking every character, per-character fallback;
- `textlayout` line breaking on the character grid (避头尾) and drawing runs;
- `notice`    the 公文 (notice) builder: 版头 / 信函格式, 发文字号, title, 主送机关, body, signature, 版记, page numbers;
- `form`      A4 table forms (registers, records) in the same fonts;
- `roster_pdf` the roster of who came off / is in an impact period;
- `batch`     many notices into one PDF or many files, with progress and cancel;
- `bench_support` the bare reportlab page the benchmark compares a notice with.
"""
