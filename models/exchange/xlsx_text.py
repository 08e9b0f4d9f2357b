"""Text as text in every .xlsx the program writes (design §6): a value from a user or an import that would start
a formula in Excel or WPS — "=", "+", "-" or "@", also after leading tabs, line breaks or blanks — is written as a
string cell, exactly as typed, with Excel's quote prefix so that editing the cell does not turn it into a live
formula either (`=HYPERLINK("http://…","张三")` stays the text it was). Every writer appends its rows through
`append_row` (write-only and ordinary sheets alike) or sets single cells through `set_cell`.
"""
from __future__ import annotations

from typing import Any, Iterable

FORMULA_STARTS = ("=", "+", "-", "@")
_LEADING = " \t\r\n\u3000"


def starts_formula(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip(_LEADING)[:1] in FORMULA_STARTS


def _as_text(cell) -> None:
    cell.data_type = "s"  # openpyxl made it "f" (formula) on assignment
    cell.quotePrefix = True


def append_row(ws, values: Iterable[Any]) -> None:
    """ws.append(values), with every formula-like string stored as text."""
    values = list(values)
    if not any(starts_formula(v) for v in values):
        ws.append(values)
        return
    if getattr(ws, "_write_only", False) or ws.__class__.__name__ == "WriteOnlyWorksheet":
        from openpyxl.cell import WriteOnlyCell

        row = []
        for v in values:
            if starts_formula(v):
                cell = WriteOnlyCell(ws, value=v)
                _as_text(cell)
                row.append(cell)
            else:
                row.append(v)
        ws.append(row)
        return
    ws.append(values)
    for cell, v in zip(ws[ws.max_row], values):
        if starts_formula(v):
            _as_text(cell)


def csv_text(value: Any) -> Any:
    """A value for a .csv file that Excel or WPS opens: a formula-like string gets a leading apostrophe (the
    spreadsheet shows it as text; the characters the user typed follow unchanged)."""
    return "'" + value if starts_formula(value) else value


def set_cell(ws, row: int, column: int, value: Any):
    """ws.cell(row, column, value) on an ordinary sheet, a formula-like string stored as text."""
    cell = ws.cell(row=row, column=column, value=value)
    if starts_formula(value):
        _as_text(cell)
    return cell
