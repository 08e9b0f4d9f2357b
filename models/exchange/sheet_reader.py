"""Read a 台账 sheet as officers really make it: a title and 填报 lines above the header, Chinese headers in any
order and under several names, a 序号 column, blank rows, a 合计 line and notes below the table.

`read_sheet(path, columns)` finds the header row (the row among the first 30 that matches most known headers),
maps each known column by its header, and returns the data rows with their Excel row numbers. Reading uses
openpyxl's read-only mode (streaming), so 10,000 rows read in about a second.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from models.exchange.common import FileUnusable
from models.core.progress import Progress

HEADER_SEARCH_ROWS = 30
MAX_FILE_BYTES = 100 * 1024 * 1024
IGNORED_HEADERS = {"序号", "编号", "No", "NO", "no", "备注", "说明"}
_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总人数")
_NOTE_WORDS = ("注：", "注:", "说明：", "说明:", "填表人", "填报人", "制表人", "审核人", "负责人", "联系人", "联系电话",
               "填报单位", "填表说明", "备注：")
_HEADER_NOISE = re.compile(r"[\s\u3000*＊※:：]+")
_BRACKETS = re.compile(r"[（(【\[].*?[)）】\]]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template header
    synonyms: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # shown in the template's 填写说明 row


@dataclass
class SheetRow:
    number: int  # the row number as Excel shows it
    values: dict[str, Any]


@dataclass
class SheetData:
    sheet: str
    header_row: int
    found: dict[str, str]  # key → the header text in the file
    unknown_headers: list[str]
    rows: list[SheetRow]
    skipped: int = 0
    missing_optional: list[str] = field(default_factory=list)


def normalise_header(text: Any) -> str:
    """Header text without spaces, line breaks, required marks and bracketed hints: “出生年月\n（1975.03）” → 出生年月."""
    if text is None:
        return ""
    s = str(text)
    s = _BRACKETS.sub("", s)
    return _HEADER_NOISE.sub("", s)


def _lookup(columns: Sequence[Column]) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in columns:
        for name in (col.label, *col.synonyms):
            table.setdefault(normalise_header(name), col.key)
    return table


def open_workbook(path: str | Path):
    """openpyxl workbook in read-only mode, or FileUnusable with what to do."""
    import openpyxl

    p = Path(path)
    if not p.exists():
        raise FileUnusable(f"找不到文件：{p}，请检查路径。")
    if p.is_dir():
        raise FileUnusable(f"“{p}”是一个文件夹，请指定 .xlsx 文件。")
    suffix = p.suffix.lower()
    if suffix in (".xls", ".et", ".wps"):
        raise FileUnusable(f"“{p.name}”是旧版 Excel/WPS 格式（{suffix}），本程序只能读取 .xlsx。"
                           "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入。")
    if suffix in (".csv", ".txt"):
        raise FileUnusable(f"“{p.name}”是文本文件，请在 Excel 中另存为 .xlsx 后再导入。")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise FileUnusable(f"“{p.name}”超过100MB，不像是台账文件。请检查文件，或分成几个文件导入。")
    if not zipfile.is_zipfile(p):
        with open(p, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileUnusable(f"“{p.name}”是旧版 .xls 格式或设置了打开密码。请取消密码并另存为 .xlsx 后再导入。")
        raise FileUnusable(f"“{p.name}”不是 Excel 工作簿（.xlsx），文件可能已损坏。请在 Excel 中打开并另存为 .xlsx 后再导入。")
    try:
        return openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise FileUnusable(f"无法读取“{p.name}”（{exc.__class__.__name__}），文件可能已损坏。"
                           "请在 Excel 中打开并另存为 .xlsx 后再导入。") from None


def _is_note_or_total(values: Sequence[Any]) -> bool:
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return False
    compact = [_HEADER_NOISE.sub("", t) for t in texts]
    if any(t.startswith(_TOTAL_WORDS) for t in compact[:3]):
        return True
    return len(texts) <= 2 and texts[0].startswith(_NOTE_WORDS)


def read_sheet(path: str | Path, columns: Sequence[Column], *, what: str = "台账",
               progress: Progress | None = None) -> SheetData:
    """The rows of the first sheet that has a recognisable header. FileUnusable when no sheet has one or a
    required column is missing."""
    wb = open_workbook(path)
    name = Path(path).name
    lookup = _lookup(columns)
    required = [c for c in columns if c.required]
    try:
        best_problem = None
        for ws in wb.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            head: list[tuple] = []
            header_idx = None
            best_hits = 0
            for n, row in enumerate(rows_iter, 1):
                head.append(row)
                hits = len({lookup[h] for h in map(normalise_header, row) if h in lookup})
                if hits > best_hits and hits >= 2:
                    best_hits, header_idx = hits, n
                if n >= HEADER_SEARCH_ROWS:
                    break
            if header_idx is None:
                continue
            header = head[header_idx - 1]
            mapping: dict[int, str] = {}
            found: dict[str, str] = {}
            unknown: list[str] = []
            for i, text in enumerate(header):
                h = normalise_header(text)
                if not h:
                    continue
                key = lookup.get(h)
                if key is None:
                    if h not in IGNORED_HEADERS:
                        unknown.append(str(text).strip())
                    continue
                if key in found:
                    continue  # a second column under the same meaning: the first one counts
                mapping[i] = key
                found[key] = str(text).strip()
            missing = [c.label for c in required if c.key not in found]
            if missing:
                best_problem = (ws.title, missing, header_idx)
                continue
            total = ws.max_row or 0
            data = SheetData(ws.title, header_idx, found, unknown, [],
                             missing_optional=[c.label for c in columns if c.key not in found])
            tail = head[header_idx:]  # rows already read after the header

            def all_rows():
                yield from tail
                yield from rows_iter

            items = list(mapping.items())
            for n, row in enumerate(all_rows(), header_idx + 1):
                if progress is not None and n % 1000 == 0:
                    progress.check()
                    progress.update(n, total, f"正在读取第{n}行…")
                if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    data.skipped += 1
                    continue
                if _is_note_or_total(row):
                    data.skipped += 1
                    continue
                values = {key: (row[i] if i < len(row) else None) for i, key in items}
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                    data.skipped += 1
                    continue
                data.rows.append(SheetRow(n, values))
            return data
        if best_problem is not None:
            sheet, missing, row = best_problem
            raise FileUnusable(f"“{name}”的工作表“{sheet}”第{row}行的表头缺少必填列：{'、'.join(missing)}。"
                               f"请补上该列（可先在程序中保存一份空白模板对照）。")
        labels = "、".join(c.label for c in columns[:6])
        raise FileUnusable(f"在“{name}”的前{HEADER_SEARCH_ROWS}行中找不到{what}的表头（如：{labels}）。"
                           "请检查是否选错了文件，或对照空白模板修改表头。")
    finally:
        wb.close()
