"""One 台账 written in every format an office uses, built by the tests (nothing binary in the repository):
.xlsx (openpyxl), .xls (xlwt, Excel 97–2003), .et (an old WPS file is the same compound document), .ods
(written here as XML), .csv in UTF-8 with and without BOM and in GB18030, and a tab-separated UTF-16 .txt
(Excel's "Unicode 文本"). Merged cells are merged in every spreadsheet format.

A ledger is `Ledger(rows, merges)`: rows from row 1 (title, header rows, data); merges as ((r0, c0), (r1, c1)),
0-based and inclusive, whose cells other than the top-left one are left empty, as in a real file.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape

FORMATS = ("xlsx", "xls", "et", "ods", "csv-utf8", "csv-bom", "csv-gb18030", "txt-utf16")


@dataclass
class Ledger:
    rows: list[list[Any]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def cleared(self) -> list[list[Any]]:
        """The rows with the non-top-left cells of each merged range emptied."""
        out = [list(r) for r in self.rows]
        for (r0, c0), (r1, c1) in self.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0) and r < len(out) and c < len(out[r]):
                        out[r][c] = None
        return out


def write(ledger: Ledger, path_stem: Path, fmt: str) -> Path:
    writer = {"xlsx": _xlsx, "xls": _xls, "et": _xls, "ods": _ods}.get(fmt)
    suffix = {"csv-utf8": ".csv", "csv-bom": ".csv", "csv-gb18030": ".csv", "txt-utf16": ".txt"}.get(fmt, "." + fmt)
    path = path_stem.with_name(path_stem.name + "-" + fmt + suffix)
    if writer is not None:
        writer(ledger, path)
    else:
        _text(ledger, path, fmt)
    return path


def _xlsx(ledger: Ledger, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部台账"
    for row in ledger.cleared():
        ws.append(row)
    for (r0, c0), (r1, c1) in ledger.merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.save(path)


def _xls(ledger: Ledger, path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("干部台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    rows = ledger.cleared()
    merged_cells = {(r, c) for (r0, c0), (r1, c1) in ledger.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for (r0, c0), (r1, c1) in ledger.merges:
        ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or (r, c) in merged_cells:
                continue
            if isinstance(v, (date, datetime)):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
    wb.save(str(path))


def _ods_cell(v: Any, span: tuple[int, int] | None) -> str:
    attrs = ""
    if span:
        attrs = f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
    if v is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(v, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"{attrs}/>'
    if isinstance(v, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{v}"{attrs}>'
                f"<text:p>{v}</text:p></table:table-cell>")
    if isinstance(v, (date, datetime)):
        return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"{attrs}>'
                f"<text:p>{v.isoformat()}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"{attrs}><text:p>{escape(str(v))}</text:p></table:table-cell>'


def _ods(ledger: Ledger, path: Path) -> None:
    rows = ledger.cleared()
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for (r0, c0), (r1, c1) in ledger.merges}
    covered = {(r, c) for (r0, c0), (r1, c1) in ledger.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            cells.append("<table:covered-table-cell/>" if (r, c) in covered else _ods_cell(v, starts.get((r, c))))
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="干部台账">'
        + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def _text(ledger: Ledger, path: Path, fmt: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if fmt == "txt-utf16" else ",", lineterminator="\r\n")
    for row in ledger.cleared():
        writer.writerow([_plain(v) for v in row])
    text = buf.getvalue()
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gb18030": "gb18030", "txt-utf16": "utf-16"}[fmt]
    path.write_bytes(text.encode(encoding))


def rows_with_header(header: Sequence[Any], rows: Sequence[Sequence[Any]], above: Sequence[Sequence[Any]] = ()) -> list[list[Any]]:
    return [list(a) for a in above] + [list(header)] + [list(r) for r in rows]
