"""Finding and reading the header of a 台账: the synonym table (resources/imports/headers.json, data, not code),
one- and two-row headers with merged cells, anywhere in the first rows, and a user's mapping on top.

`find_header(head, merged, lookup)` looks at the first HEADER_SEARCH_ROWS rows of a sheet (merged ranges filled
with their top-left value) and picks the row, or the pair of rows, that matches most fields. For a pair, each
column is read as 上行+下行 (全日制教育 over 学历 → 全日制教育学历), then as the lower row alone, then as the upper
row alone (a header merged over both rows).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Mapping, Sequence

from models.core.paths import RESOURCES_DIR

HEADER_SEARCH_ROWS = 30
SYNONYMS_PATH = RESOURCES_DIR / "imports" / "headers.json"
IGNORE = "ignore"  # the key of a mapping entry that leaves a column out
SECOND_CHOICE = "second_choice"  # headers that mean one field or another: header → the field taken when the first is
_HEADER_NOISE = re.compile(r"[\s\u3000*＊※:：]+")
_BRACKETS = re.compile(r"[（(【\[].*?[)）】\]]")


def normalise_header(text: Any) -> str:
    """Header text without spaces, line breaks, required marks and bracketed hints: “出生年月\n（1975.03）” → 出生年月."""
    if text is None:
        return ""
    s = str(text)
    s = _BRACKETS.sub("", s)
    return _HEADER_NOISE.sub("", s)


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, dict[str, Any]]:
    with open(SYNONYMS_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def synonyms(kind: str, key: str) -> list[str]:
    return list(_synonyms().get(kind, {}).get(key, ()))


@dataclass(frozen=True)
class Lookup:
    keys: dict[str, str]  # normalised header → field key
    ignored: frozenset[str]  # normalised headers known and not imported (序号, 备注 …)
    labels: frozenset[str] = frozenset()  # normalised template labels: such a header has the first claim on its field
    second: dict[str, str] = field(default_factory=dict)  # normalised header → the field when the first is taken


def build_lookup(kind: str, columns: Sequence[Any]) -> Lookup:
    """Every field's label, its synonyms from the data file and (older code) its own synonyms."""
    table: dict[str, str] = {}
    for col in columns:
        for name in (col.label, *synonyms(kind, col.key), *getattr(col, "synonyms", ())):
            table.setdefault(normalise_header(name), col.key)
    ignored = frozenset(normalise_header(h) for h in synonyms(kind, IGNORE)) - set(table)
    keys = {c.key for c in columns}
    second = {normalise_header(h): k for h, k in _synonyms().get(kind, {}).get(SECOND_CHOICE, {}).items() if k in keys}
    return Lookup(table, ignored, frozenset(normalise_header(c.label) for c in columns), second)


def with_keys(lookup: Lookup, extra: Mapping[str, str]) -> Lookup:
    return replace(lookup, keys={**lookup.keys, **extra})


@dataclass
class SourceColumn:
    index: int  # 0-based column of the sheet
    header: str  # as shown to the user: 出生年月, or 工作情况/工作单位 for a two-row header
    suggestion: str | None  # the field the synonym table suggests
    key: str | None = None  # the field in effect (suggestion or the user's mapping); None: not imported
    status: str = ""  # matched / mapped / ignored (by the user) / known (序号, 备注 …) / unknown / duplicate

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def normalised(self) -> str:
        return normalise_header(self.header)


@dataclass
class Header:
    first_row: int  # 0-based index of the first header row
    rows: int  # 1 or 2
    columns: list[SourceColumn]

    @property
    def data_start(self) -> int:
        return self.first_row + self.rows

    @property
    def signature(self) -> str:
        """The same headers in the same order → the same signature (for remembering a mapping)."""
        text = "\x1f".join(c.normalised for c in self.columns)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def fill_merged(head: list[list[Any]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Every cell of a merged range in `head` gets the range's top-left value (in place)."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(head):
            continue
        top = head[r0]
        value = top[c0] if c0 < len(top) else None
        if value is None:
            continue
        for r in range(r0, min(r1, len(head) - 1) + 1):
            line = head[r]
            if len(line) <= c1:
                line.extend([None] * (c1 + 1 - len(line)))
            for c in range(c0, c1 + 1):
                if line[c] is None:
                    line[c] = value


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def _text(v: Any) -> str:
    """A header cell as shown in messages: a header wrapped over lines in its cell (出生\n年月) on one line."""
    return "" if v is None else _LINE_BREAK.sub("", str(v).strip())


def _read(head: list[list[Any]], r: int, two: bool, lookup: Lookup) -> list[tuple[int, str, str | None]]:
    """(column, shown header, matched key or None) for the header at row r (and r+1 when `two`)."""
    width = max(len(head[r]), len(head[r + 1]) if two else 0)
    out = []
    for c in range(width):
        top = _text(head[r][c]) if c < len(head[r]) else ""
        if not two:
            if top:
                out.append((c, top, lookup.keys.get(normalise_header(top))))
            continue
        bottom = _text(head[r + 1][c]) if c < len(head[r + 1]) else ""
        if bottom and bottom != top:
            for shown, text in ((f"{top}/{bottom}" if top else bottom, top + bottom), (bottom, bottom), (top, top)):
                key = lookup.keys.get(normalise_header(text)) if text else None
                if key:
                    out.append((c, shown, key))
                    break
            else:
                out.append((c, f"{top}/{bottom}" if top else bottom, None))
        elif top:
            out.append((c, top, lookup.keys.get(normalise_header(top))))
    return out


def _grouped_over(merged, r: int) -> bool:
    """Row r-1 and r look like a two-row header: a cell of row r-1 merged across some columns (工作情况 over four)
    and a cell merged down from r-1 into r (姓名 over both rows)."""
    across = any(r0 == r1 == r - 1 and c1 > c0 for (r0, c0), (r1, c1) in merged)
    down = any(r0 == r - 1 and r1 == r for (r0, _c0), (r1, _c1) in merged)
    return across and down


def find_header(head: list[list[Any]], lookup: Lookup, merged=()) -> Header | None:
    """The best header among the rows of `head` (merged cells already filled), or None (fewer than 2 fields).
    With merged cells filled, the lower row of a two-row header matches as well on its own: the pair is taken
    then, so that 全日制教育/学历 keeps its upper part."""
    best: tuple[int, int, int] | None = None  # (hits, -rows, r)
    for r in range(len(head)):
        for two in (False, True):
            if two and r + 1 >= len(head):
                continue
            hits = len({k for _c, _s, k in _read(head, r, two, lookup) if k})
            score = (hits, -2 if two else -1, -r)
            if hits >= 2 and (best is None or score > best):
                best = score
    if best is None:
        return None
    r, two = -best[2], best[1] == -2
    if not two and r > 0 and _grouped_over(merged, r):
        pair = len({k for _c, _s, k in _read(head, r - 1, True, lookup) if k})
        if pair >= best[0]:
            r, two = r - 1, True
    columns = [SourceColumn(c, shown, key) for c, shown, key in _read(head, r, two, lookup)]
    return Header(r, 2 if two else 1, columns)


def apply_mapping(header: Header, lookup: Lookup, mapping: Mapping[str, str | None] | None) -> None:
    """Set each column's key and status: the user's mapping (normalised header → key, or None/IGNORE to leave it
    out) over the suggestion. Fields are handed out in this order: the user's choices, then headers that are a
    field's own label (荣誉称号), then the other suggestions from left to right. A column whose field is already
    taken gets its second choice when the table gives one and it is free (奖励名称 beside 荣誉称号 is the kind),
    or is a duplicate."""
    mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}

    def claim(col: SourceColumn) -> int:
        if col.normalised in mapping:
            return 0
        return 1 if col.suggestion and col.normalised in lookup.labels else 2

    taken: set[str] = set()
    for col in sorted(header.columns, key=claim):  # stable: left to right within each rank
        norm = col.normalised
        if norm in mapping:
            chosen = mapping[norm]
            col.key = None if chosen in (None, IGNORE, "") else chosen
            col.status = "mapped" if col.key else "ignored"
        elif col.suggestion:
            col.key, col.status = col.suggestion, "matched"
        else:
            col.key = None
            col.status = "known" if norm in lookup.ignored or not norm else "unknown"
        if col.key is not None:
            if col.key in taken:
                other = lookup.second.get(norm) if col.status == "matched" else None
                if other and other not in taken:
                    col.key = other
                    taken.add(other)
                else:
                    col.key, col.status = None, "duplicate"
            else:
                taken.add(col.key)
