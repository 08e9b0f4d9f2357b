"""CASE (domain §8.1) → engine input, and engine output → RESULT (§8.3).

    records, settings = parse_case(text_or_dict)
    result_to_dict(evaluate(records, settings))

Every problem raises models.core.errors.ValidationError with ONE Chinese line that names the record and says what
to fix, e.g. `记录 r2：effective 日期 "2024-02-30" 不存在，请按 YYYY-MM-DD 填写实际日期`.
Unknown keys are not errors (case files may carry notes); they are ignored and listed under "warnings".
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, NoReturn, cast

from models.rules import rule_table as rt
from models.core.errors import ValidationError
from models.rules.engine import (
    DATE_MAX,
    DATE_MIN,
    OVERLAP_MODES,
    REVIEW_OUTCOMES,
    RULES_VERSIONS,
    EvalResult,
    RecordInput,
    Review,
    RuleSettings,
    evaluate,
    validate,
)
from models.rules.period_math import MONTH_END_MODES

RECORD_KEYS = (
    "id", "regime", "kind", "effective", "months", "in_lieu_of_revocation", "rules_version",
    "probation_extended", "restored_on", "together_with", "review",
)
REVIEW_KEYS = ("on", "outcome", "kind")
SETTINGS_KEYS = ("month_end", "party_overlap_before_2024")
TOP_KEYS = ("settings", "records")

# ASCII digits only (no full-width or other scripts' digits), nothing around it, not even a trailing newline
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
MAX_INT_DIGITS = 12  # a month count or any number in a CASE; a 5,000-digit integer is refused before int()
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def shown(text: str) -> str:
    """`text` safe for a one-line message: control, bidi and zero-width characters and lone surrogates escaped."""
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff else f"\\x{ord(m.group()):02x}",
                        str(text))


def _q(value: Any) -> str:
    """A value as the user wrote it in JSON: "abc", 12, true, null (control characters escaped)."""
    try:
        return shown(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        return shown(repr(value))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValidationError(f"CASE 中同一个对象里出现了重复的键 {_q(key)}，请只保留一个")
        _no_surrogate(key)
        if isinstance(value, str):
            _no_surrogate(value)
        out[key] = value
    return out


def _no_surrogate(text: str) -> None:
    """A lone surrogate ("\\ud800") is valid JSON but no text: it can be neither shown nor written as UTF-8."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValidationError(f"CASE 中的文字 {_q(text)[:60]} 含有无效的 Unicode 字符（单独的代理项），请改正")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValidationError(f"CASE 中的数字 {digits[:20]}… 有 {len(digits.lstrip('-'))} 位，过大（最多 {MAX_INT_DIGITS} 位）")
    return int(digits)


def _reject_constant(name: str) -> NoReturn:
    raise ValidationError(f"CASE 不是有效的 JSON：不允许使用 {name}")


def loads_case(text: str | bytes) -> dict[str, Any]:
    """Parse CASE text; not JSON / not an object → ValidationError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("CASE 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试") from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError("CASE 是空的：需要一个 JSON 对象，例如 {\"records\": [...]}")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant,
                          parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"CASE 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{_json_reason(exc.msg)}") from exc
    except RecursionError as exc:
        raise ValidationError("CASE 的 JSON 嵌套过深") from exc
    return cast("dict[str, Any]", data)  # not always a dict: parse_case checks it


def _json_reason(msg: str) -> str:
    table = {
        "Expecting value": "这里缺少一个值",
        "Expecting property name enclosed in double quotes": "键名必须用英文双引号括起来（或多了一个逗号）",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "JSON 结束后还有多余的内容",
        "Unterminated string starting at": "字符串没有结束的双引号",
        "Invalid control character at": "字符串中有不允许的控制字符",
        "Invalid \\escape": "字符串中有无效的转义符",
    }
    for key, text in table.items():
        if msg.startswith(key):
            return text
    return msg


def _parse_date(who: str, name: str, value: Any, required: bool) -> date | None:
    if value is None:
        if required:
            raise ValidationError(f"{who}：缺少 {name} 日期，请按 YYYY-MM-DD 填写（不能留空，程序不会猜测日期）", name)
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{who}：{name} 必须是 \"YYYY-MM-DD\" 格式的日期字符串，收到{_type_name(value)} {_q(value)}", name)
    m = _ISO_DATE.fullmatch(value)
    if not m:
        raise ValidationError(f"{who}：{name} 日期 {_q(value)} 格式不对，请按 YYYY-MM-DD 填写，例如 \"2024-03-15\"", name)
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValidationError(f"{who}：{name} 日期 {_q(value)} 不存在，请按 YYYY-MM-DD 填写实际日期", name) from exc
    if not DATE_MIN <= d <= DATE_MAX:
        raise ValidationError(f"{who}：{name} 日期 {_q(value)} 超出可处理范围（1900-01-01 至 2199-12-31）", name)
    return d


def _bool(who: str, name: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(f"{who}：{name} 必须是 true 或 false，收到{_type_name(value)} {_q(value)}", name)
    return value


def _parse_settings(raw: Any, warnings: list[str]) -> RuleSettings:
    if raw is None:
        return RuleSettings()
    if not isinstance(raw, dict):
        raise ValidationError(f"CASE 的 settings 必须是 JSON 对象，收到{_type_name(raw)}", "settings")
    for key in raw:
        if key not in SETTINGS_KEYS:
            warnings.append(f"settings 中的未知字段 \"{key}\" 已忽略")
    month_end = raw.get("month_end", "C2")
    if month_end is None:
        month_end = "C2"
    if month_end not in MONTH_END_MODES:
        raise ValidationError(f"settings.month_end 的值 {_q(month_end)} 无效，只能是 \"C2\" 或 \"ALT_A\"", "month_end")
    overlap = raw.get("party_overlap_before_2024", "separate")
    if overlap is None:
        overlap = "separate"
    if overlap not in OVERLAP_MODES:
        raise ValidationError(
            f"settings.party_overlap_before_2024 的值 {_q(overlap)} 无效，只能是 \"separate\" 或 \"sum\"",
            "party_overlap_before_2024",
        )
    return RuleSettings(month_end=month_end, party_overlap_before_2024=overlap)


def _parse_review(who: str, raw: Any, regime: str, warnings: list[str]) -> Review | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationError(
            f"{who}：review 必须是对象，例如 {{\"on\": \"2024-07-15\", \"outcome\": \"revoked\"}}，收到{_type_name(raw)}",
            "review",
        )
    for key in raw:
        if key not in REVIEW_KEYS:
            warnings.append(f"{who}：review 中的未知字段 \"{key}\" 已忽略")
    on = cast(date, _parse_date(who, "review.on", raw.get("on"), required=True))
    outcome = raw.get("outcome")
    if outcome is None:
        raise ValidationError(f"{who}：review 缺少 outcome，只能是 \"revoked\"（撤销）或 \"changed\"（变更）", "review.outcome")
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError(
            f"{who}：review.outcome 的值 {_q(outcome)} 未知，只能是 \"revoked\"（撤销）或 \"changed\"（变更）", "review.outcome"
        )
    kind = raw.get("kind")
    if outcome == "changed":
        if kind is None:
            raise ValidationError(f"{who}：review.outcome 为 \"changed\" 时必须用 review.kind 填写变更后的种类", "review.kind")
        if not isinstance(kind, str) or kind not in rt.TABLE.regimes[regime].kinds:
            raise ValidationError(
                f"{who}：变更后的种类 review.kind {_q(kind)} 不属于 {regime}（{rt.REGIME_LABELS[regime]}），"
                f"可选：{rt.choices_text(regime)}",
                "review.kind",
            )
    else:
        if kind is not None:
            warnings.append(f"{who}：review.outcome 为 \"revoked\" 时 review.kind 无意义，已忽略")
        kind = None
    return Review(on=on, outcome=outcome, kind=kind)


def _parse_record(pos: int, raw: Any, warnings: list[str]) -> RecordInput:
    who = f"第 {pos} 条记录"
    if not isinstance(raw, dict):
        got = "" if raw is None else " " + _q(raw)[:40]
        raise ValidationError(f"{who}必须是 JSON 对象，收到{_type_name(raw)}{got}")
    rid = raw.get("id")
    if rid is None:
        raise ValidationError(f"{who}：缺少 id（每条记录需要一个唯一的字符串 id）", "id")
    if not isinstance(rid, str):
        raise ValidationError(f"{who}：id 必须是字符串，收到{_type_name(rid)} {_q(rid)}", "id")
    if not rid.strip():
        raise ValidationError(f"{who}：id 不能为空", "id")
    who = f"记录 {shown(rid)}"
    for key in raw:
        if key not in RECORD_KEYS:
            warnings.append(f"{who}：未知字段 {_q(key)} 已忽略")
    regime = raw.get("regime")
    if regime is None:
        raise ValidationError(f"{who}：缺少 regime，可选：{rt.choices_text()}", "regime")
    if not isinstance(regime, str) or regime not in rt.TABLE.regimes:
        raise ValidationError(f"{who}：regime {_q(regime)} 未知，可选：{rt.choices_text()}", "regime")
    kind = raw.get("kind")
    if kind is None:
        raise ValidationError(f"{who}：缺少 kind，可选：{rt.choices_text(regime)}", "kind")
    if not isinstance(kind, str) or kind not in rt.TABLE.regimes[regime].kinds:
        others = [r for r, s in rt.TABLE.regimes.items() if isinstance(kind, str) and kind in s.kinds]
        hint = f"（{kind} 是 {'、'.join(others)} 的种类）" if others else ""
        raise ValidationError(
            f"{who}：kind {_q(kind)} 不属于 {regime}（{rt.REGIME_LABELS[regime]}）{hint}，可选：{rt.choices_text(regime)}",
            "kind",
        )
    effective = cast(date, _parse_date(who, "effective", raw.get("effective"), required=True))
    months = raw.get("months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months <= 0):
        raise ValidationError(f"{who}：months 必须是正整数（月数），收到{_type_name(months)} {_q(months)}", "months")
    rules_version = raw.get("rules_version")
    if rules_version is not None and rules_version not in RULES_VERSIONS:
        raise ValidationError(f"{who}：rules_version {_q(rules_version)} 无效，只能是 \"2003\" 或 \"2015+\"", "rules_version")
    together = raw.get("together_with")
    if together is None:
        together = ()
    elif not isinstance(together, list) or not all(isinstance(x, str) for x in together):
        raise ValidationError(
            f"{who}：together_with 必须是记录 id 字符串的数组，例如 [\"r1\"]，收到 {_q(together)}", "together_with"
        )
    return RecordInput(
        id=rid,
        regime=regime,
        kind=kind,
        effective=effective,
        months=months,
        in_lieu_of_revocation=_bool(who, "in_lieu_of_revocation", raw.get("in_lieu_of_revocation")),
        rules_version=rules_version,
        probation_extended=_bool(who, "probation_extended", raw.get("probation_extended")),
        restored_on=_parse_date(who, "restored_on", raw.get("restored_on"), required=False),
        together_with=tuple(together),
        review=_parse_review(who, raw.get("review"), regime, warnings),
    )


def parse_case(case: dict[str, Any] | str | bytes, warnings: list[str] | None = None) -> tuple[list[RecordInput], RuleSettings]:
    """CASE (dict or JSON text) → (records, settings), fully validated. Ignored keys go into `warnings`."""
    if warnings is None:
        warnings = []
    data = loads_case(case) if isinstance(case, (str, bytes)) else case
    if not isinstance(data, dict):
        raise ValidationError(
            f"CASE 必须是一个 JSON 对象（{{\"settings\": {{...}}, \"records\": [...]}}），收到{_type_name(data)}"
        )
    for key in data:
        if key not in TOP_KEYS:
            warnings.append(f"CASE 中的未知字段 \"{key}\" 已忽略")
    settings = _parse_settings(data.get("settings"), warnings)
    raw_records = data.get("records")
    if raw_records is None:
        raise ValidationError("CASE 缺少 records（记录数组）", "records")
    if not isinstance(raw_records, list):
        raise ValidationError(f"CASE 的 records 必须是数组，收到{_type_name(raw_records)}", "records")
    records = [_parse_record(pos, raw, warnings) for pos, raw in enumerate(raw_records, 1)]
    validate(records, settings)  # cross-record and semantic checks (duplicate ids, together_with, review dates…)
    return records, settings


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def result_to_dict(
    result: EvalResult, warnings: list[str] | None = None, settings: RuleSettings | None = None
) -> dict[str, Any]:
    """EvalResult → RESULT of domain §8.3 (required keys exactly so; basis/explanation etc. are extras)."""
    records = []
    for r in result.records:
        item: dict[str, Any] = {
            "id": r.id,
            "status": r.status,
            "restrictions": [
                {
                    "kind": x.kind,
                    "start": _d(x.start),
                    "last_day": _d(x.last_day),
                    "off_date": _d(x.off_date),
                    "label": rt.restriction_label(x.kind),
                    "basis": x.basis,
                    "explanation": x.explanation,
                }
                for x in r.restrictions
            ],
            "regime": r.regime,
            "kind": r.kind,
            "label": rt.full_label(r.regime, r.kind),
            "explanation": r.explanation,
        }
        if r.basis:
            item["basis"] = r.basis
        if r.kind != r.original_kind:
            item["original_kind"] = r.original_kind
        if r.restored_on is not None:
            item["restored_on"] = _d(r.restored_on)
            item["probation_start"] = _d(r.probation_start)
            item["probation_last_day"] = _d(r.probation_last_day)
            item["probation_off_date"] = _d(r.probation_off_date)
        if r.related_id is not None:
            item["related_id"] = r.related_id
        if r.added_to is not None:
            item["added_to"] = r.added_to
            item["capped"] = r.capped
        records.append(item)
    out: dict[str, Any] = {"records": records, "off_date": _d(result.off_date), "rule_table_version": rt.TABLE_VERSION}
    if settings is not None:
        out["settings"] = {"month_end": settings.month_end, "party_overlap_before_2024": settings.party_overlap_before_2024}
    if warnings:
        out["warnings"] = list(warnings)
    return out


def run_case(case: dict[str, Any] | str | bytes) -> dict[str, Any]:
    """CASE → RESULT dict in one call (what `main.py rules` prints)."""
    warnings: list[str] = []
    records, settings = parse_case(case, warnings)
    try:
        result = evaluate(records, settings)
    except OverflowError:  # a date past 9999-12-31 (domain §8.5 ruling 6): the case itself is invalid
        raise ValidationError("CASE 中的日期算出的结果超过了 9999-12-31，无法表示，请检查日期和月数") from None
    return result_to_dict(result, warnings, settings)
