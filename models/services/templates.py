"""Editable wording of documents (design §5): templates with {占位符} placeholders.

The originals live in resources/templates/<name>.txt; an officer's edited copy is kept in the data folder
(templates/<name>.txt) and overrides the original; "恢复原文" sets the edited copy aside and the original
applies again. A template is plain UTF-8 text in sections:

    【说明】           what the template is for, then one line per placeholder: {姓名}：干部姓名
    【标题】           any section name; the document module asks for sections by name
    关于对{姓名}同志…

The placeholders a template may use are the ones declared in the 说明 of the ORIGINAL (an officer cannot add
a placeholder no document fills in); a document fills them in with `render`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.core.errors import AppError, NotFoundError, ValidationError
from models.core.paths import RESOURCES_DIR, data_dir

ORIGINALS_DIR = RESOURCES_DIR / "templates"
HELP_SECTION = "说明"
_SECTION = re.compile(r"^【([^】]+)】\s*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DECLARED = re.compile(r"^\{([^{}]+)\}[：:]\s*(.*)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_CHARS = 20000


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    label: str  # first line of the 说明
    edited: bool
    placeholders: dict[str, str]  # placeholder → description
    sections: tuple[str, ...]


def edited_dir() -> Path:
    path = data_dir() / "templates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_name(name: str) -> str:
    if not _NAME.match(name or "") or not (ORIGINALS_DIR / f"{name}.txt").is_file():
        raise NotFoundError(f"没有名为“{name}”的文书模板。")
    return name


def original_text(name: str) -> str:
    return (ORIGINALS_DIR / f"{_check_name(name)}.txt").read_text(encoding="utf-8-sig")


def _edited_path(name: str) -> Path:
    return edited_dir() / f"{name}.txt"


def is_edited(name: str) -> bool:
    return _edited_path(_check_name(name)).is_file()


def current_text(name: str) -> str:
    """The officer's edited copy when there is one, else the original."""
    path = _edited_path(_check_name(name))
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise AppError(f"无法读取修改过的模板“{path}”（{exc}）。可在“设置 → 公文与字体”中恢复原文。") from exc
    return original_text(name)


def parse(text: str) -> dict[str, str]:
    """Sections of a template text, in order; text before the first 【…】 line is an error."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        m = _SECTION.match(raw.strip())
        if m:
            current = m.group(1).strip()
            if current in sections:
                raise ValidationError(f"模板中“【{current}】”出现了两次（第 {number} 行）。每一部分只能写一次。", "text")
            sections[current] = []
            continue
        if current is None:
            if raw.strip():
                raise ValidationError(f"模板第 {number} 行不属于任何部分。请在它前面加上部分名称，如“【标题】”。", "text")
            continue
        sections[current].append(raw)
    return {k: "\n".join(v).strip("\n") for k, v in sections.items()}


def _declared(sections: dict[str, str]) -> dict[str, str]:
    out = {}
    for line in sections.get(HELP_SECTION, "").splitlines():
        m = _DECLARED.match(line.strip())
        if m:
            out[m.group(1)] = m.group(2)
    return out


def info(name: str) -> TemplateInfo:
    original = parse(original_text(name))
    label = (original.get(HELP_SECTION, "").splitlines() or [name])[0].strip()
    return TemplateInfo(name, label, is_edited(name), _declared(original),
                        tuple(k for k in original if k != HELP_SECTION))


def list_templates() -> list[TemplateInfo]:
    return [info(p.stem) for p in sorted(ORIGINALS_DIR.glob("*.txt")) if _NAME.match(p.stem)]


def validate(name: str, text: str) -> dict[str, str]:
    """Check an edited text: same sections as the original, only declared placeholders, balanced braces."""
    if len(text) > MAX_CHARS:
        raise ValidationError(f"模板过长（超过 {MAX_CHARS} 字）。", "text")
    sections = parse(text)
    the_info = info(name)
    missing = [s for s in the_info.sections if s not in sections]
    if missing:
        raise ValidationError(f"模板缺少“【{missing[0]}】”部分。请补上，或点“恢复原文”。", "text")
    extra = [s for s in sections if s not in the_info.sections and s != HELP_SECTION]
    if extra:
        raise ValidationError(f"模板中的“【{extra[0]}】”不是这份文书的部分，文书不会用到它。请删去或改回原来的名称。", "text")
    for section, body in sections.items():
        if section == HELP_SECTION:
            continue
        if body.count("{") != body.count("}"):
            raise ValidationError(f"“【{section}】”中的花括号不成对。占位符的写法是 {{姓名}}。", "text")
        for ph in _PLACEHOLDER.findall(body):
            if ph not in the_info.placeholders:
                known = "、".join(f"{{{p}}}" for p in the_info.placeholders) or "（无）"
                raise ValidationError(f"“【{section}】”中的占位符 {{{ph}}} 不认识。可以用的占位符有：{known}。", "text")
    return sections


def load(name: str) -> dict[str, str]:
    """The sections of the template in force (edited copy or original)."""
    return parse(current_text(name))


def fill(text: str, values: dict[str, object]) -> str:
    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in values:
            raise AppError(f"模板占位符 {{{key}}} 没有可填入的内容。请检查模板或恢复原文。")
        return "" if values[key] is None else str(values[key])

    return _PLACEHOLDER.sub(sub, text)


def render(name: str, values: dict[str, object]) -> dict[str, str]:
    """Every section of the template in force with the placeholders filled in."""
    return {k: fill(v, values) for k, v in load(name).items() if k != HELP_SECTION}


def save(session: Session, actor: Actor, name: str, text: str) -> TemplateInfo:
    """Keep an edited copy in the data folder (audited in the caller's transaction)."""
    actor.require("admin")
    validate(name, text)
    before = current_text(name)
    audit.record(session, actor, "update", "template", name, before={"text": before}, after={"text": text},
                 summary=f"修改文书模板 {name}")
    path = _edited_path(name)
    tmp = path.with_suffix(".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise AppError(f"无法保存模板到“{path}”（{exc.strerror or exc}）。请检查数据文件夹的写权限。") from None
    return info(name)


def restore_original(session: Session, actor: Actor, name: str) -> TemplateInfo:
    """The original applies again; the edited copy is kept aside (templates/<name>.txt.<time>.bak)."""
    actor.require("admin")
    path = _edited_path(_check_name(name))
    if not path.is_file():
        return info(name)
    before = path.read_text(encoding="utf-8-sig")
    audit.record(session, actor, "update", "template", name, before={"text": before},
                 after={"text": original_text(name)}, summary=f"恢复文书模板 {name} 的原文")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        path.replace(path.with_name(f"{name}.txt.{stamp}.bak"))
    except OSError as exc:
        raise AppError(f"无法恢复原文：{exc.strerror or exc}。请检查数据文件夹的写权限。") from None
    return info(name)
