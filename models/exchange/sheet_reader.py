"""Read a 台账 sheet as officers really make it: a title and 填报 lines above the header, a one- or two-row header
with merged cells, Chinese headers in any order and under several names, a 序号 column, blank rows, cells merged
down over several people, a 合计 line and notes below the table — from .xlsx/.xlsm/.xls/.et/.ods/.csv/.txt.

`read_sheet(path, columns, kind=...)` reads the first sheet that has a recognisable header (models/exchange/
headers.py), applies the user's mapping, and returns the data rows with their row numbers as the file shows them
and every column of the file with what became of it (matched, mapped, ignored, unknown …), so that nothing is
dropped unseen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from models.core.progress import Progress
from models.exchange.common import FileUnusable
from models.exchange.headers import (
    HEADER_SEARCH_ROWS, IGNORE, Header, Lookup, SourceColumn, apply_mapping, build_lookup, fill_merged, find_header,
    normalise_header, with_keys,
)
from models.exchange.table_reader import open_table

_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总人数")
_TOTAL_FIRST = re.compile("[" + "".join(sorted({w[0] for w in _TOTAL_WORDS})) + "]")
_NOTE_WORDS = ("注：", "注:", "说明：", "说明:", "填表人", "填报人", "制表人", "审核人", "负责人", "联系人", "联系电话",
               "填报单位", "填表说明", "备注：", "经办人", "单位负责人", "填报日期", "填表日期", "制表日期")

__all__ = ["Column", "SheetRow", "SheetData", "read_sheet", "normalise_header"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template header
    synonyms: tuple[str, ...] = ()  # kept for callers; the synonym table lives in resources/imports/headers.json
    required: bool = False
    note: str = ""  # shown in the template's 填写说明 row
    unless: str = ""  # a required column may be left out when the file has this one (its values stand in)

    def missing_from(self, keys) -> bool:
        return self.required and self.key not in keys and not (self.unless and self.unless in keys)


class SheetRow:
    """One data row: its number as Excel shows it and its mapped cells, field key → value (`values`).

    The cells are kept as a tuple beside one key tuple shared by every row of the sheet, and `values` builds
    the dict when asked: a 100,000-row file kept as one dict per row cost some 60 MB more."""

    __slots__ = ("number", "keys", "cells")

    def __init__(self, number: int, values: Mapping[str, Any] | None = None, *, keys: tuple[str, ...] = (),
                 cells: tuple[Any, ...] = ()):
        self.number = number
        if values is not None:
            keys, cells = tuple(values), tuple(values.values())
        self.keys = keys
        self.cells = cells

    @property
    def values(self) -> dict[str, Any]:
        return dict(zip(self.keys, self.cells))

    def get(self, key: str, default: Any = None) -> Any:
        """One cell's value (`values.get(key)` without building the dict)."""
        try:
            return self.cells[self.keys.index(key)]
        except ValueError:
            return default

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SheetRow):
            return NotImplemented
        return self.number == other.number and self.values == other.values

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"SheetRow(number={self.number!r}, values={self.values!r})"


@dataclass
class SheetData:
    sheet: str
    header_row: int  # the (last) header row as Excel shows it
    found: dict[str, str]  # key → the header text in the file
    unknown_headers: list[str]  # "E列“现工作单位”" … columns that match no field
    rows: list[SheetRow]
    skipped: int = 0
    missing_optional: list[str] = field(default_factory=list)
    columns: list[SourceColumn] = field(default_factory=list)  # every column of the header
    signature: str = ""
    preview: list[list[Any]] = field(default_factory=list)  # the first data rows as the file has them

    def column_of(self, key: str) -> SourceColumn | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_note_or_total(values: Sequence[Any]) -> bool:
    texts: list[str] = []
    for v in values:  # the first three filled cells are all that is looked at (every row passes here)
        if not _blank(v):
            texts.append(str(v).strip())
            if len(texts) == 3:
                break
    if not texts:
        return False
    # normalising only removes characters: a text without the first character of a total word cannot start with one
    if any(_TOTAL_FIRST.search(t) and normalise_header(t).startswith(_TOTAL_WORDS) for t in texts):
        return True
    # a signature line: "填表人：…  审核人：…  联系电话：…" in one cell or spread over several, every one a note
    return texts[0].startswith(_NOTE_WORDS) and (len(texts) <= 2 or all(t.startswith(_NOTE_WORDS) for t in texts))


def _merged_down(merged, data_start: int) -> dict[int, list[tuple[int, int, int]]]:
    """Merged ranges that cover data rows: first row → [(last row, first col, last col)]."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    for (r0, c0), (r1, c1) in merged:
        if r1 > r0 and r1 >= data_start:
            out.setdefault(max(r0, data_start), []).append((r1, c0, c1))
    return out


def _data_rows(head: list[list[Any]], rest: Iterator[list[Any]], header: Header, merged) -> Iterator[tuple[int, list]]:
    """(0-based row index, values) after the header, a cell merged down over several rows repeated in each."""
    starts = _merged_down(merged, header.data_start)
    active: list[tuple[int, int, int, Any]] = []  # (last row, first col, last col, value)

    def rows():
        yield from enumerate(head[header.data_start:], header.data_start)
        yield from enumerate(rest, len(head))

    for r, row in rows():
        if starts or active:
            for last, c0, c1 in starts.pop(r, ()):
                value = row[c0] if c0 < len(row) else None
                active.append((last, c0, c1, value))
            active = [a for a in active if a[0] >= r]
            for _last, c0, c1, value in active:
                if len(row) <= c1:
                    row = row + [None] * (c1 + 1 - len(row))
                for c in range(c0, c1 + 1):
                    if row[c] is None:
                        row[c] = value
        yield r, row


def _with_mapping(lookup: Lookup, mapping: Mapping[str, str | None] | None) -> Lookup | None:
    """The lookup with the user's own column names added: a header the synonym table does not know at all is
    still found when the user mapped its columns (None when the mapping adds nothing)."""
    extra = {normalise_header(h): k for h, k in (mapping or {}).items() if k and k != IGNORE}
    if not extra:
        return None
    return with_keys(lookup, extra)


def _first_text_row(head: list[list[Any]], lookup: Lookup) -> Header | None:
    """For the mapping step only: a header the synonym table does not know — the first row with at least two
    cells of text (the user then says which column is which)."""
    for r, row in enumerate(head):
        texts = [(c, str(v).strip()) for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return Header(r, 1, [SourceColumn(c, t, lookup.keys.get(normalise_header(t))) for c, t in texts])
    return None


def read_sheet(path: str | Path, columns: Sequence[Column], *, kind: str = "", what: str = "台账",
               mapping: Mapping[str, str | None] | None = None, progress: Progress | None = None,
               preview_rows: int | None = None, sheet_name: str | None = None,
               require: bool = True) -> SheetData:
    """The rows of the first sheet that has a recognisable header (or of the sheet `sheet_name`). FileUnusable
    when no sheet has one or a required column is missing. With `preview_rows` only that many data rows are read
    and, with `require=False`, a missing required column is no fault and a header the synonym table does not
    know is taken from the first row of text (the mapping step shows them)."""
    name = Path(path).name
    lookup = build_lookup(kind, columns)
    mapped_lookup = _with_mapping(lookup, mapping)
    labels = {c.key: c.label for c in columns}
    best_problem = None
    with open_table(path) as table:
        found_sheet = False
        for sheet in table.sheets(sheet_name):
            found_sheet = True
            head: list[list[Any]] = []
            for row in sheet.rows:
                head.append(list(row))
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            fill_merged(head, sheet.merged)
            header = find_header(head, lookup, sheet.merged)
            if header is None and mapped_lookup is not None:
                header = find_header(head, mapped_lookup, sheet.merged)
            if header is None and not require:
                header = _first_text_row(head, lookup)
            if header is None:
                continue
            apply_mapping(header, lookup, mapping)
            found = {c.key: c.header for c in header.columns if c.key}
            missing = [c.label for c in columns if c.missing_from(found)]
            header_row = header.first_row + header.rows
            if missing and require:
                best_problem = (sheet.name, missing, header_row)
                continue
            data = SheetData(sheet.name, header_row, found,
                             [f"{c.letter}列“{c.header}”" for c in header.columns if c.status == "unknown"], [],
                             missing_optional=[c.label for c in columns if c.key not in found],
                             columns=header.columns, signature=header.signature)
            where = {c.key: c.index for c in header.columns if c.key}  # a key taken twice: the last column
            keys, indexes = tuple(where), tuple(where.values())
            total = sheet.height
            for r, row in _data_rows(head, sheet.rows, header, sheet.merged):
                n = r + 1
                if progress is not None and n % 1000 == 0:
                    progress.check()
                    progress.update(n, total, f"正在读取第{n}行…")
                if not row or all(_blank(v) for v in row) or _is_note_or_total(row):
                    data.skipped += 1
                    continue
                width = len(row)
                cells = tuple(row[i] if i < width else None for i in indexes)
                if all(_blank(v) for v in cells):
                    data.skipped += 1
                    continue
                if preview_rows is not None:
                    data.preview.append(row)
                data.rows.append(SheetRow(n, keys=keys, cells=cells))
                if preview_rows is not None and len(data.rows) >= preview_rows:
                    break
            return data
    if sheet_name is not None and not found_sheet:
        raise FileUnusable(f"“{name}”中没有名为“{sheet_name}”的工作表，请重新选择工作表。")
    if best_problem is not None:
        sheet_name, missing, row = best_problem
        raise FileUnusable(f"“{name}”的工作表“{sheet_name}”第{row}行的表头缺少必填列：{'、'.join(missing)}。"
                           "请在导入时把文件中对应的列指定为该字段（命令行用 --map \"文件列=字段\"），"
                           "或对照空白模板修改表头。")
    shown = "、".join(labels[c.key] for c in columns[:6])
    if sheet_name is not None:
        raise FileUnusable(f"在“{name}”的工作表“{sheet_name}”前{HEADER_SEARCH_ROWS}行中找不到{what}的表头（如：{shown}）。"
                           "请检查是否选错了工作表，或对照空白模板修改表头。")
    raise FileUnusable(f"在“{name}”的前{HEADER_SEARCH_ROWS}行中找不到{what}的表头（如：{shown}）。"
                       "请检查是否选错了文件，或对照空白模板修改表头。")
