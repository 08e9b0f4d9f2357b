"""Length limits of text fields, read from the columns themselves, so that a too-long value gets a clear
message on every database (SQLite would store it silently; PostgreSQL would fail with a driver error)."""
from __future__ import annotations

from sqlalchemy import String

from models.errors import ValidationError


def check_lengths(model, values: dict[str, str | None], labels: dict[str, str]) -> None:
    """Raise ValidationError for the first value longer than its column allows."""
    columns = model.__table__.columns
    for name, value in values.items():
        if value is None:
            continue
        column_type = columns[name].type
        limit = getattr(column_type, "length", None) if isinstance(column_type, String) else None
        if limit and len(value) > limit:
            raise ValidationError(
                f"“{labels.get(name, name)}”过长（{len(value)} 字），最多 {limit} 字。请精简后再保存。", name)


def refuse_nul_characters(session, _flush_context, _instances) -> None:
    """before_flush: no text value may hold a NUL character (PostgreSQL cannot store one, and no officer types
    one: it comes from a broken file or an attack). One place for every service and import."""
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            value = getattr(obj, column.key, None)
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError(
                    f"“{column.key}”中含有不可见的控制字符（NUL），无法保存。请删除该字符后重新输入或导入。", column.key)
