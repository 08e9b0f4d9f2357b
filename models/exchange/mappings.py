"""Column mappings the user chose (file header → field, or ignored), remembered for files with the same header
(its signature) and optionally named, so that next month's 台账 from the same office maps itself and the command
line can use `--mapping NAME`. Also the parsing of `--map "文件列=字段"`."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.entities import ImportMapping
from models.exchange.headers import IGNORE, normalise_header

IGNORE_WORDS = ("忽略", "不导入", "ignore", "-")


def columns_of(kind: str):
    if kind == "cadres":
        from models.exchange.cadre_import import COLUMNS
    elif kind == "commendations":
        from models.exchange.commendation_import import COLUMNS
    elif kind == "handling":
        from models.exchange.handling_import import COLUMNS
    else:
        raise ValidationError(f"“{kind}”的导入没有列可对应（任免审批表按固定的元素读取）。", "kind")
    return COLUMNS


def field_for(kind: str, text: str) -> str:
    """A field key from what the user wrote: the field's label (出生年月), its key (birth_date) or 忽略."""
    t = text.strip()
    if t.lower() in IGNORE_WORDS:
        return IGNORE
    cols = columns_of(kind)
    for c in cols:
        if t == c.key or normalise_header(t) == normalise_header(c.label):
            return c.key
    raise ValidationError(f"没有叫“{t}”的字段。可用的字段：{'、'.join(c.label for c in cols)}，或“忽略”。", "map")


def parse_map_options(kind: str, options: Iterable[str]) -> dict[str, str]:
    """["处理处分种类=处分种类", "备注=忽略"] → {"处理处分种类": "kind", "备注": "ignore"}."""
    out: dict[str, str] = {}
    for opt in options:
        if "=" not in opt:
            raise ValidationError(f"--map “{opt}”的写法不对，应写成 --map \"文件中的列名=字段\"，如 --map \"处理处分种类=处分种类\"。",
                                  "map")
        column, field = opt.rsplit("=", 1)
        if not column.strip():
            raise ValidationError(f"--map “{opt}”缺少文件中的列名。", "map")
        out[column.strip()] = field_for(kind, field)
    return out


def find(session: Session, kind: str, *, signature: str | None = None, name: str | None = None) -> ImportMapping | None:
    q = select(ImportMapping).where(ImportMapping.kind == kind)
    if name is not None:
        q = q.where(ImportMapping.name == name.strip())
    if signature is not None:
        q = q.where(ImportMapping.signature == signature)
    return session.execute(q.order_by(ImportMapping.saved_at.desc()).limit(1)).scalar()


def by_name(session: Session, kind: str, name: str) -> dict[str, str | None]:
    m = find(session, kind, name=name)
    if m is None:
        names = [n for n in list_names(session, kind)]
        raise ValidationError(f"没有名为“{name}”的列对应方案。" + (f"已保存的方案：{'、'.join(names)}。" if names else
                                                              "还没有保存过方案：可在导入窗口中保存，或用 --save-mapping 名称。"),
                              "mapping")
    return dict(m.mapping)


def list_names(session: Session, kind: str) -> list[str]:
    return [n for n in session.execute(select(ImportMapping.name).where(
        ImportMapping.kind == kind, ImportMapping.name.is_not(None)).order_by(ImportMapping.name)).scalars()]


def save(session: Session, actor: Actor, kind: str, signature: str, headers: Sequence[str],
         mapping: dict[str, str | None], name: str | None = None) -> ImportMapping:
    """Remember `mapping` for files with this header; a name makes it usable for other headers too."""
    actor.require("write")
    name = (name or "").strip() or None
    if name is not None and len(name) > 60:
        raise ValidationError("方案名称最多60个字。", "name")
    stored = {k: (v or IGNORE) for k, v in mapping.items()}
    m = find(session, kind, signature=signature)
    if name is not None:
        for other in session.execute(select(ImportMapping).where(ImportMapping.kind == kind,
                                                                 ImportMapping.name == name)).scalars():
            if other is not m:
                other.name = None  # one name, one mapping: the newest takes it
    if m is None:
        m = ImportMapping(kind=kind, signature=signature)
        session.add(m)
    m.mapping, m.headers, m.saved_by, m.saved_at = stored, list(headers), actor.username, datetime.now().replace(microsecond=0)
    if name is not None:
        m.name = name
    session.flush()
    audit.record(session, actor, "update", "import_mapping", m.id, after={"kind": kind, "name": name, "mapping": stored},
                 summary=f"保存导入列对应方案{('“' + name + '”') if name else ''}")
    return m


def remembered(session: Session, actor: Actor, kind: str, signature: str) -> dict | None:
    """The mapping last saved for files with this header (for the import dialog), as plain values, or None."""
    actor.require("read")
    m = find(session, kind, signature=signature)
    if m is None:
        return None
    return {"mapping": dict(m.mapping), "name": m.name, "saved_by": m.saved_by, "saved_at": m.saved_at}


def saved_names(session: Session, actor: Actor, kind: str) -> list[str]:
    actor.require("read")
    return list_names(session, kind)


def named(session: Session, actor: Actor, kind: str, name: str) -> dict[str, str | None]:
    actor.require("read")
    return by_name(session, kind, name)
