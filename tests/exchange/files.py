"""Excel files as officers make them, built by the tests (nothing binary in the repository)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Sequence

import openpyxl

from models.reference import id_number as idn


def number(born: date, gender: str = "男", seq: int = 1) -> str:
    """A valid ID number whose 18th character is a digit (a zero-filled copy of it fails the check)."""
    for s in range(seq, seq + 100):
        n = idn.generate(born, gender, seq=s % 100, rng=__import__("random").Random(s))
        if n[17].isdigit() and idn.check_char(n[:15] + "00") != "0":
            return n
    raise AssertionError("no number")


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], *, above: Sequence[Sequence[Any]] = (),
               below: Sequence[Sequence[Any]] = (), text_columns: Sequence[int] = ()) -> Path:
    """A sheet with `above` lines (title, 填报单位 …), the header, the rows, then `below` (合计, notes)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部台账"
    for line in above:
        ws.append(list(line))
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    for line in below:
        ws.append(list(line))
    for col in text_columns:
        for cells in ws.iter_cols(min_col=col, max_col=col):
            for c in cells:
                c.number_format = "@"
    wb.save(path)
    return path
