"""Length limits of text fields, read from the columns themselves, so that a too-long value gets a clear
message on every database (SQLite would store it silently; PostgreSQL would fail with a driver error)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String

from models.core.errors import ValidationError


def max_length(column: Column[Any]) -> int | None:
    """The column's length limit in characters (None for unlimited text and non-text columns)."""
    return getattr(column.type, "length", None) if isinstance(column.type, String) else None


def check_lengths(model: Any, values: dict[str, str | None], labels: dict[str, str]) -> None:
    """Raise ValidationError for the first value longer than its column allows."""
    columns = model.__table__.columns
    for name, value in values.items():
        if value is None:
            continue
        limit = max_length(columns[name])
        if limit and len(value) > limit:
            raise ValidationError(
                f"“{labels.get(name, name)}”过长（{len(value)} 字），最多 {limit} 字。请精简后再保存。", name)


# what a record is called in a message (the column keys are English)
TABLE_LABELS = {
    "unit": "单位", "cadre": "干部信息", "family_member": "家庭成员", "annual_assessment": "年度考核",
    "commendation": "表彰奖励", "handling": "处理处分", "restriction": "影响期限制", "review": "复审复核",
    "task": "待办事项", "expiry_assessment": "影响期满考核", "visit_plan": "回访计划", "visit": "回访记录",
    "accusation": "举报", "accusation_subject": "被举报人", "inquiry": "函询", "clarification": "澄清正名",
    "audit_event": "审计记录", "document_number": "文号", "setting": "设置", "app_user": "账号",
    "unit_event": "单位沿革", "guard_refusal": "函询前检查记录", "import_batch": "导入批次", "import_item": "导入记录",
    "import_mapping": "导入列对应",
}


def refuse_bad_text(session: Any, _flush_context: Any, _instances: Any) -> None:
    """before_flush, one place for every service and import that writes through the ORM:
    - no text value may hold a NUL character (PostgreSQL cannot store one, and no officer types one: it comes from
      a broken file or an attack);
    - no text may be longer than its column (SQLite would store it silently, PostgreSQL fail with a driver error).
    The services check their own fields with field names first; this is the net under all of them."""
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            value = getattr(obj, column.key, None)
            if not isinstance(value, str):
                continue
            record = TABLE_LABELS.get(table.name, "记录")
            if "\x00" in value:
                raise ValidationError(f"{record}中有一项文字含有不可见的控制字符（NUL），无法保存。"
                                      "请删除该字符后重新输入或导入。", column.key)
            limit = max_length(column)
            if limit and len(value) > limit:
                raise ValidationError(f"{record}中有一项文字过长（{len(value)} 字，最多 {limit} 字），无法保存。"
                                      "请精简后再保存。", column.key)
