"""Limits checked before a spreadsheet is read, so that a small hostile file cannot take gigabytes of memory or
minutes of work (a "decompression bomb"): the file size; for zip-based files (.xlsx, .xlsm, .ods, a new .et) the
uncompressed size and compression ratio of every member, then a streamed scan of each sheet that counts rows and
cells and finds the last row and column, and the shared-strings count — all before the real reader sees the file.
Cell length is checked while the rows are read. Every refusal names the limit and says what to do.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from models.exchange.common import FileUnusable

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 400 * 1024 * 1024  # one uncompressed sheet: 100,000 rows × 40 columns is about 150 MB
MAX_TOTAL_BYTES = 800 * 1024 * 1024
MAX_RATIO = 200  # real sheets compress 5–30 times; bombs thousands of times
RATIO_FROM_BYTES = 8 * 1024 * 1024  # small members may compress any amount
MAX_MEMBERS = 10_000
MAX_ROWS = 300_000
MAX_CELLS = 6_000_000
MAX_COLUMNS = 500
MAX_SHARED_STRINGS = 3_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

_CHUNK = 1 << 20
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_CELL_COLUMN = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]+)\d+\"")
_ODS_REPEAT = re.compile(rb"table:number-(rows|columns)-repeated=\"(\d+)\"")


@dataclass
class ScanResult:
    rows: int = 0  # the highest row number (or row count) seen in any sheet
    cells: int = 0
    columns: int = 0


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}MB"


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileUnusable(f"“{path.name}”有{_mb(size)}，超过导入文件的上限{_mb(MAX_FILE_BYTES)}，不像是台账文件。"
                           "请检查文件，或分成几个文件导入。")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse(path: Path, what: str, limit: str) -> FileUnusable:
    return FileUnusable(f"“{path.name}”{what}，超过上限{limit}，可能是损坏或恶意构造的文件，未读取。"
                        "请在 Excel 或 WPS 中打开，删去多余的空行空列后另存为新文件再导入。")


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The member's bytes in chunks, with a running total that stops at the member limit whatever the header
    says (a zip header can lie about the uncompressed size)."""
    seen = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return
            seen += len(chunk)
            if seen > MAX_MEMBER_BYTES:
                raise _refuse(Path(zf.filename or "文件"), f"中的“{info.filename}”解压后超过{_mb(MAX_MEMBER_BYTES)}",
                              _mb(MAX_MEMBER_BYTES))
            yield chunk


def _scan_xlsx_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, total: ScanResult) -> None:
    rows = cells = columns = 0
    tail = b""
    for chunk in _stream(zf, info):
        data = tail + chunk
        cut = data.rfind(b"<")  # a tag cut at the chunk's end is scanned with the next chunk
        if cut < 0:
            cut = len(data)
        body, tail = data[:cut], data[cut:]
        last = None
        for last in _ROW_NUMBER.finditer(body):
            pass
        if last is not None:
            rows = max(rows, int(last.group(1)))
        cells += body.count(b"<c ") + body.count(b"<c>")
        # the distinct column letters of the chunk's cells (a few dozen), not a Python step per cell (10,000
        # rows × 17 columns: 0.15 s of the import's 4 s)
        for col in set(_CELL_COLUMN.findall(body)):
            columns = max(columns, _column_number(col))
        if rows > MAX_ROWS:
            raise _refuse(path, f"的工作表有第{rows:,}行", f"{MAX_ROWS:,}行")
        if cells > MAX_CELLS:
            raise _refuse(path, f"的工作表有{cells:,}个以上的单元格", f"{MAX_CELLS:,}个单元格")
        if columns > MAX_COLUMNS:
            raise _refuse(path, f"的工作表用到了第{columns:,}列", f"{MAX_COLUMNS}列")
    total.rows, total.cells, total.columns = max(total.rows, rows), total.cells + cells, max(total.columns, columns)


def _scan_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    count = 0
    for chunk in _stream(zf, info):
        count += chunk.count(b"<si>") + chunk.count(b"<si ")
        if count > MAX_SHARED_STRINGS:
            raise _refuse(path, f"的共享字符串表有{count:,}条以上", f"{MAX_SHARED_STRINGS:,}条")


def _scan_ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, total: ScanResult) -> None:
    """content.xml: rows and cells counted with their repeat attributes (a repeated row is a real row to the
    reader). Repeats of empty rows or cells at the end are what LibreOffice writes for a formatted sheet, so
    only repeats below a later non-empty row count; for simplicity every repeat counts and the limits are wide."""
    rows = cells = 0
    tail = b""
    for chunk in _stream(zf, info):
        data = tail + chunk
        cut = data.rfind(b"<")
        body, tail = data[:cut], data[cut:]
        rows += body.count(b"<table:table-row")
        cells += body.count(b"<table:table-cell")
        for m in _ODS_REPEAT.finditer(body):
            n = int(m.group(2))
            if n > 1 and n < MAX_ROWS:  # huge trailing repeats are the sheet's empty remainder: the reader stops
                if m.group(1) == b"rows":
                    rows += n - 1
                else:
                    cells += n - 1
        if rows > MAX_ROWS * 4:
            raise _refuse(path, f"有{rows:,}行以上", f"{MAX_ROWS:,}行")
        if cells > MAX_CELLS:
            raise _refuse(path, f"有{cells:,}个以上的单元格", f"{MAX_CELLS:,}个单元格")
    total.rows, total.cells = max(total.rows, rows), total.cells + cells


def check_zip(path: Path) -> ScanResult:
    """Every member's declared size and ratio, then the streamed scans. FileUnusable on any limit."""
    total = ScanResult()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _refuse(path, f"包含{len(infos):,}个部件", f"{MAX_MEMBERS:,}个")
            declared = 0
            for info in infos:
                declared += info.file_size
                if info.file_size > MAX_MEMBER_BYTES:
                    raise _refuse(path, f"中的“{info.filename}”解压后有{_mb(info.file_size)}", _mb(MAX_MEMBER_BYTES))
                if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    ratio = info.file_size // max(info.compress_size, 1)
                    raise _refuse(path, f"中的“{info.filename}”压缩比为{ratio:,}倍", f"{MAX_RATIO}倍")
            if declared > MAX_TOTAL_BYTES:
                raise _refuse(path, f"解压后共有{_mb(declared)}", _mb(MAX_TOTAL_BYTES))
            for info in infos:
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _scan_xlsx_sheet(zf, info, path, total)
                elif name == "xl/sharedstrings.xml":
                    _scan_shared_strings(zf, info, path)
                elif name == "content.xml":
                    _scan_ods(zf, info, path, total)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise FileUnusable(f"“{path.name}”的压缩内容已损坏，无法读取。请在 Excel 或 WPS 中打开并另存为新文件后再导入。") from None
    return total


def check_cell(text: str, path: Path, sheet: str, row: int) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise FileUnusable(f"“{path.name}”工作表“{sheet}”第{row}行有一个单元格长{len(text):,}个字符，"
                           f"超过单元格上限{MAX_CELL_CHARS:,}个字符，未导入。请检查该行。")
