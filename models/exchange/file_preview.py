"""The mapping step of an import, without Qt: a table file's worksheets, the header found on one of them with the
first data rows, what the synonym table suggests for each column, and — for the user's choices — which field
each column goes to and which required fields are still unmapped.

`preview_file(path, kind)` reads only the header and a few rows (the same reader and header finder as the
import, models/exchange/sheet_reader.py). `resolve(preview, choices)` applies the user's choices (file header →
field key, or "ignore"; a header not in `choices` keeps the suggestion) exactly as the import will
(headers.apply_mapping): the second column for a field already taken is not imported.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from models.exchange.common import shown_value
from models.exchange.headers import IGNORE, Header, Lookup, SourceColumn, apply_mapping, build_lookup
from models.exchange.mappings import columns_of
from models.exchange.sheet_reader import read_sheet
from models.exchange.table_reader import open_table

PREVIEW_ROWS = 5
WHAT = {"cadres": "干部台账", "commendations": "表彰奖励台账", "handling": "处分处理台账"}


@dataclass(frozen=True)
class FieldInfo:
    key: str
    label: str
    required: bool


@dataclass
class PreviewColumn:
    letter: str
    header: str  # as the file has it (工作情况/工作单位 for a two-row header)
    suggestion: str | None  # the synonym table's field, or None
    status: str  # with no choices: matched / known (序号, 备注 …) / unknown
    samples: list[str] = field(default_factory=list)  # the first data rows' cells, as the file shows them


@dataclass
class FilePreview:
    kind: str
    file_name: str
    sheet: str
    sheets: list[str]
    header_row: int  # the (last) header row as Excel shows it
    signature: str
    columns: list[PreviewColumn]
    fields: list[FieldInfo]
    sample_rows: list[int] = field(default_factory=list)  # the row numbers (as Excel shows them) of the samples
    _source: list[SourceColumn] = field(default_factory=list, repr=False)
    _lookup: Lookup | None = field(default=None, repr=False)

    def label(self, key: str | None) -> str:
        for f in self.fields:
            if f.key == key:
                return f.label
        return ""


@dataclass
class Resolved:
    keys: list[str | None]  # per column: the field it is imported as, or None
    statuses: list[str]  # matched / mapped / ignored / known / unknown / duplicate
    missing: list[str]  # labels of required fields no column goes to
    mapping: dict[str, str]  # what to pass to the importer: only the user's own choices

    @property
    def complete(self) -> bool:
        return not self.missing


def _sample(value) -> str:
    """A cell as the preview shows it: as the file has it, blanks (the 　 of 张　三) kept, controls escaped."""
    if not isinstance(value, str):
        return shown_value(value, 30)
    text = "".join(ch if ch.isprintable() or ch in " \u3000" else f"\\u{ord(ch):04x}" for ch in value)
    return text if len(text) <= 30 else text[:30] + "…"


def sheet_names(path: str | Path) -> list[str]:
    """The worksheets of a table file (one for a .csv/.txt), without reading their cells."""
    with open_table(path) as table:
        return table.sheet_names()


def preview_file(path: str | Path, kind: str, *, sheet: str | None = None,
                 mapping: Mapping[str, str | None] | None = None, rows: int = PREVIEW_ROWS) -> FilePreview:
    """The header and first rows of `sheet` (else of the first sheet with a recognisable header). FileUnusable
    when no header can be found; a missing required column is no fault here (resolve() names it)."""
    columns = columns_of(kind)
    names = sheet_names(path)
    data = read_sheet(path, columns, kind=kind, what=WHAT.get(kind, "台账"), mapping=mapping, preview_rows=rows,
                      sheet_name=sheet, require=False)
    lookup = build_lookup(kind, columns)
    source = [SourceColumn(c.index, c.header, c.suggestion) for c in data.columns]
    # what each column becomes with no choice made: the synonym table's field, or its second choice beside a
    # column headed with the field's label (see apply_mapping)
    plain = Header(0, 1, [copy.copy(c) for c in source])
    apply_mapping(plain, lookup, {})
    shown = []
    for c, p in zip(data.columns, plain.columns):
        samples = [_sample(r[c.index] if c.index < len(r) else None) for r in data.preview]
        status = "matched" if c.suggestion else ("known" if c.status == "known" else "unknown")
        shown.append(PreviewColumn(c.letter, c.header, p.key if c.suggestion else None, status, samples))
    return FilePreview(kind, Path(path).name, data.sheet, names, data.header_row, data.signature, shown,
                       [FieldInfo(c.key, c.label, c.required) for c in columns], [r.number for r in data.rows],
                       source, lookup)


def resolve(preview: FilePreview, choices: Mapping[str, str | None]) -> Resolved:
    """Each column's field with the user's `choices` (header → key or IGNORE; None or absent: the suggestion)."""
    mine = {h: (k or IGNORE) for h, k in choices.items() if k is not None}
    header = Header(0, 1, [copy.copy(c) for c in preview._source])
    apply_mapping(header, preview._lookup or Lookup({}, frozenset()), mine)
    keys = [c.key for c in header.columns]
    missing = [c.label for c in columns_of(preview.kind) if c.missing_from(keys)]  # as the import decides
    return Resolved(keys, [c.status for c in header.columns], missing, mine)


def choices_from(preview: FilePreview, stored: Mapping[str, str | None]) -> dict[str, str]:
    """A saved mapping (header → key or IGNORE) as choices for this file: the entries for headers it has, where
    they differ from the suggestion (a saved mapping names every column of the file it was made for)."""
    from models.exchange.headers import normalise_header

    by_norm = {normalise_header(h): v for h, v in stored.items()}
    out: dict[str, str] = {}
    known = {f.key for f in preview.fields}
    for c in preview.columns:
        v = by_norm.get(normalise_header(c.header))
        if v is None and normalise_header(c.header) not in by_norm:
            continue
        v = v or IGNORE
        if v != IGNORE and v not in known:
            continue  # a field that no longer exists
        if v == c.suggestion or (v == IGNORE and c.status == "known"):
            continue  # what the column does anyway
        out[c.header] = v
    return out
