"""One reader for every table file an office keeps: .xlsx/.xlsm, .xls (Excel 97–2003), .et (WPS), .ods through
python-calamine, and .csv/.txt (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030) through the csv module.

`open_table(path)` checks the file's limits first (models/exchange/file_limits.py) and returns a TableFile whose
sheets each give their merged ranges and their rows as lists of cell values (str, int, float, bool, date,
datetime; an empty cell is None). The format is recognised from the content, not only from the name: a .et
saved by a new WPS is a zip like .xlsx, an old one is like .xls.
"""
from __future__ import annotations

import codecs
import csv
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

from models.exchange import file_limits as lim
from models.exchange.common import FileUnusable

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
SUFFIXES = SPREADSHEET_SUFFIXES + TEXT_SUFFIXES
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col)), 0-based


@dataclass
class TableSheet:
    name: str
    rows: Iterator[list[Any]]  # from the first row of the sheet (row 1 as Excel shows it)
    merged: list[Merged] = field(default_factory=list)
    height: int = 0  # number of rows, when known (for progress)


class TableFile:
    """The sheets of one file, read one after the other. Use as a context manager."""

    def __init__(self, path: Path):
        self.path = path
        self._wb: Any = None

    def __enter__(self) -> "TableFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._wb is not None:
            try:
                self._wb.close()
            except Exception:  # noqa: BLE001 - closing a reader that failed
                pass
            self._wb = None

    def sheets(self, only: str | None = None) -> Iterator[TableSheet]:
        """The worksheets in file order (only the one named `only` when given)."""
        raise NotImplementedError

    def sheet_names(self) -> list[str]:
        """The worksheets' names, without reading their cells."""
        raise NotImplementedError


def _cell(value: Any) -> Any:
    """calamine's values as the importers expect them: '' → None, a time of day → None, durations → None."""
    if value == "" or isinstance(value, (dtime, timedelta)):
        return None
    return value


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def ods_merged(path: Path) -> dict[str, list[Merged]]:
    """Merged ranges of each sheet of an .ods (calamine does not report them): from content.xml, walking rows
    and cells with their repeat counts. Only the first MAX_ROWS rows are walked (the limits were checked)."""
    from defusedxml.ElementTree import iterparse

    out: dict[str, list[Merged]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            sheet, row, col = "", 0, 0
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _T + "table":
                        sheet, row = el.get(_T + "name", ""), 0
                        out.setdefault(sheet, [])
                    elif tag == _T + "table-row":
                        col = 0
                    elif tag in (_T + "table-cell", _T + "covered-table-cell"):
                        rows_spanned = int(el.get(_T + "number-rows-spanned", "1"))
                        cols_spanned = int(el.get(_T + "number-columns-spanned", "1"))
                        if rows_spanned > 1 or cols_spanned > 1:
                            out[sheet].append(((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
                    continue
                if tag in (_T + "table-cell", _T + "covered-table-cell"):
                    col += int(el.get(_T + "number-columns-repeated", "1"))
                    el.clear()
                elif tag == _T + "table-row":
                    row += int(el.get(_T + "number-rows-repeated", "1"))
                    el.clear()
                    if row > lim.MAX_ROWS:
                        break
    except (KeyError, zipfile.BadZipFile, ValueError, SyntaxError):
        return {}
    return out


class _SpreadsheetFile(TableFile):
    def __init__(self, path: Path):
        super().__init__(path)
        import python_calamine

        self._ods_merged: dict[str, list[Merged]] | None = None

        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(path))  # the format from the content
        except python_calamine.PasswordError:
            raise FileUnusable(f"“{path.name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码后另存，再导入。") from None
        except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds for every broken file
            raise FileUnusable(f"无法读取“{path.name}”（{exc.__class__.__name__}），文件可能已损坏或不是表格文件。"
                               "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。") from None

    def sheet_names(self) -> list[str]:
        import python_calamine

        return [m.name for m in self._wb.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]

    def sheets(self, only: str | None = None) -> Iterator[TableSheet]:
        import python_calamine

        for meta in self._wb.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets
            if only is not None and meta.name != only:
                continue
            try:
                sheet = self._wb.get_sheet_by_name(meta.name)
            except Exception as exc:  # noqa: BLE001
                raise FileUnusable(f"无法读取“{self.path.name}”的工作表“{meta.name}”（{exc.__class__.__name__}），"
                                   "文件可能已损坏。请在 Excel 或 WPS 中打开并另存后再导入。") from None
            if sheet.height > lim.MAX_ROWS:
                raise lim._refuse(self.path, f"的工作表“{meta.name}”有{sheet.height:,}行", f"{lim.MAX_ROWS:,}行")
            if sheet.width > lim.MAX_COLUMNS:
                raise lim._refuse(self.path, f"的工作表“{meta.name}”有{sheet.width:,}列", f"{lim.MAX_COLUMNS}列")
            start_row, start_col = sheet.start or (0, 0)
            ranges = sheet.merged_cell_ranges
            if ranges is None and zipfile.is_zipfile(self.path):
                if self._ods_merged is None:
                    self._ods_merged = ods_merged(self.path)
                merged = list(self._ods_merged.get(meta.name, ()))  # content.xml counts from A1
            else:
                merged = list(ranges or ())
            yield TableSheet(meta.name, self._rows(sheet, meta.name, start_row, start_col), merged, sheet.height)

    def _rows(self, sheet, name: str, start_row: int, start_col: int) -> Iterator[list[Any]]:
        """Rows from row 1, column A: calamine's range starts at the first used cell."""
        for _ in range(start_row):
            yield []
        pad = [None] * start_col
        n = start_row
        texts: dict[str, str] = {}  # one str object per distinct text (a 台账 repeats most of its cells)
        for row in sheet.iter_rows():
            n += 1
            out = pad + [_cell(v) for v in row]
            for i, v in enumerate(out):
                if isinstance(v, str):
                    if len(v) > 1000:
                        lim.check_cell(v, self.path, name, n)
                    out[i] = texts.setdefault(v, v)
            yield out


class _TextFile(TableFile):
    """A .csv or tab-separated .txt: the encoding found from a BOM or by trying UTF-8 then GB18030."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.encoding = detect_encoding(path)

    def sheet_names(self) -> list[str]:
        return [self.path.stem]

    def sheets(self, only: str | None = None) -> Iterator[TableSheet]:
        if only is not None and only != self.path.stem:
            return
        with open(self.path, "rb") as fh:
            sample = fh.read(64 * 1024)
        text = sample.decode(self.encoding, errors="ignore").lstrip("\ufeff")
        first = text.splitlines()[:5]
        delimiter = max(("\t", ",", ";", "，"), key=lambda d: sum(line.count(d) for line in first))
        yield TableSheet(self.path.stem, self._rows(delimiter))

    def _rows(self, delimiter: str) -> Iterator[list[Any]]:
        with open(self.path, "r", encoding=self.encoding, newline="", errors="strict") as fh:
            try:
                reader = csv.reader(fh, delimiter=delimiter)
                texts: dict[str, str] = {}  # one str object per distinct text
                for n, row in enumerate(reader, 1):
                    if n > lim.MAX_ROWS:
                        raise lim._refuse(self.path, f"有{n:,}行以上", f"{lim.MAX_ROWS:,}行")
                    if len(row) > lim.MAX_COLUMNS:
                        raise lim._refuse(self.path, f"第{n}行有{len(row):,}列", f"{lim.MAX_COLUMNS}列")
                    if n == 1 and row:
                        row[0] = row[0].lstrip("\ufeff")
                    out = []
                    for v in row:
                        if len(v) > 1000:
                            lim.check_cell(v, self.path, self.path.stem, n)
                        out.append(texts.setdefault(v, v) if v.strip() else None)
                    yield out
            except UnicodeDecodeError as exc:
                raise FileUnusable(f"“{self.path.name}”不是有效的{self.encoding}文本（第{exc.start}字节处），"
                                   "请在 Excel 或 WPS 中打开并另存为 .xlsx 或“CSV UTF-8”后再导入。") from None
            except csv.Error as exc:
                raise FileUnusable(f"“{self.path.name}”无法按 CSV 读取（{exc}），请另存为 .xlsx 后再导入。") from None


def detect_encoding(path: Path) -> str:
    """utf-8-sig / utf-16 by their BOM, else utf-8 when the whole file decodes strictly, else gb18030 (which
    decodes every GBK file, the Chinese Windows default); a file that decodes as neither is refused."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        for encoding in ("utf-8", "gb18030"):
            decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
            fh.seek(0)
            try:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise FileUnusable(f"“{path.name}”的文字编码无法识别（既不是 UTF-8 也不是 GB18030/GBK），"
                       "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。")


def release_freed_memory() -> None:
    """Give back to the system what a closed workbook freed: calamine keeps a whole sheet's cells in the C heap,
    and glibc keeps those freed small blocks in the process, where Python's own allocator (mmap arenas) never
    reuses them — 50 MB of a 100,000-row file otherwise stay counted for the rest of the import. Linux/glibc
    only; elsewhere nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


def open_table(path: str | Path) -> TableFile:
    """The file's reader, after the limits; FileUnusable with what to do for anything unusable."""
    p = Path(path)
    if not p.exists():
        raise FileUnusable(f"找不到文件：{p}，请检查路径。")
    if p.is_dir():
        raise FileUnusable(f"“{p}”是一个文件夹，请指定要导入的表格文件。")
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileUnusable(f"“{p.name}”不是可导入的表格文件。可导入：{'、'.join(SUFFIXES)}。")
    lim.check_size(p)
    with open(p, "rb") as fh:
        head = fh.read(8)
    if suffix in TEXT_SUFFIXES:
        if head.startswith(b"PK\x03\x04") or head.startswith(_OLE2):
            raise FileUnusable(f"“{p.name}”的扩展名是{suffix}，但内容是 Excel 工作簿。请把扩展名改为 .xlsx 或 .xls 后再导入。")
        return _TextFile(p)
    if head.startswith(b"PK\x03\x04"):
        lim.check_zip(p)
    elif not head.startswith(_OLE2):
        raise FileUnusable(f"“{p.name}”不是 Excel/WPS/ODS 工作簿，文件可能已损坏或扩展名不对。"
                           "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。")
    return _SpreadsheetFile(p)
