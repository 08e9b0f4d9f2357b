"""Export of cadres to .xlsx: one row per cadre in the import template's columns (so that an exported file can be
edited and imported again), with the unit as its full path "市委组织部/干部一科"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.reference import id_number as idn
from models.core.actor import Actor
from models.entities import Cadre, Unit
from models.exchange.cadre_import import COLUMNS, DATE_KEYS
from models.exchange.common import FileUnusable
from models.core.progress import Progress
from models.exchange.xlsx_text import append_row

_cadre = Cadre.__table__
_unit = Unit.__table__
CHUNK = 500


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int


def unit_paths(session: Session) -> dict[int, str]:
    """unit id → "上级/下级" names (units are few: one query)."""
    rows = session.execute(select(_unit.c.id, _unit.c.name, _unit.c.path)).all()
    names = {r.id: r.name for r in rows}
    out = {}
    for r in rows:
        ids = [int(p) for p in (r.path or "").strip("/").split("/") if p.isdigit()] or [r.id]
        out[r.id] = "/".join(names.get(i, "") for i in ids)
    return out


def _ids(session: Session, actor: Actor, filter_or_rows: Any) -> list[int] | None:
    """None: every cadre that is not withdrawn. A CadreFilter: the cadres it finds. A list: their ids."""
    if filter_or_rows is None:
        return None
    if isinstance(filter_or_rows, (list, tuple)):
        return [int(getattr(r, "id", r)) for r in filter_or_rows]
    from models.services.cadres import search as cadre_search

    return [r.id for r in cadre_search.search(session, actor, filter_or_rows, sort="name", limit=10_000_000)]


def check_output_file(path: str | Path, suffixes: Iterable[str] = (".xlsx",)) -> Path:
    """Refuse a target whose folder does not exist or whose name climbs out of it ("..")."""
    p = Path(path)
    if ".." in p.parts:
        raise FileUnusable(f"输出路径“{path}”中含有“..”，为安全起见不予使用。请写出完整的文件夹路径。")
    if not p.parent.exists() or not p.parent.is_dir():
        raise FileUnusable(f"输出文件夹“{p.parent}”不存在，请先建立该文件夹或换一个位置。")
    if p.is_dir():
        raise FileUnusable(f"“{p}”是一个文件夹，请写出要保存的文件名（如 干部名册.xlsx）。")
    if suffixes and p.suffix.lower() not in suffixes:
        raise FileUnusable(f"输出文件“{p.name}”的扩展名应为 {'、'.join(suffixes)}。")
    return p


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in DATE_KEYS and isinstance(value, date):
        return f"{value.year}.{value.month:02d}"  # the 任免表 month form; the import reads it back
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def export_cadres_xlsx(session: Session, actor: Actor, filter_or_rows: Any, path: str | Path, *,
                       progress: Progress | None = None) -> ExportResult:
    """Write the cadres (all, a CadreFilter's result, or the given rows) to `path`; returns how many."""
    import openpyxl

    actor.require("export")
    target = check_output_file(path)
    progress = progress or Progress()
    ids = _ids(session, actor, filter_or_rows)
    units = unit_paths(session)
    keys = [c.key for c in COLUMNS]
    cols = [_cadre.c.id] + [_cadre.c[k] for k in keys if k != "unit"] + [_cadre.c.unit_id]
    see_id = actor.can("see_id_number")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("干部名册")
    append_row(ws, ["序号"] + [c.label for c in COLUMNS])
    count = 0

    def write(rows) -> None:
        nonlocal count
        for r in rows:
            count += 1
            m = r._mapping
            line = [count]
            for k in keys:
                if k == "unit":
                    line.append(units.get(m["unit_id"]) if m["unit_id"] else None)
                elif k == "id_number":
                    line.append(m[k] if see_id else idn.mask(m[k]))
                elif k == "birth_date" and not see_id:  # with the masked number: the year only
                    line.append(idn.birth_text(None, m[k].year) if m[k] else None)
                else:
                    line.append(_cell(k, m[k]))
            append_row(ws, line)

    if ids is None:
        stmt = select(*cols).where(_cadre.c.withdrawn_at.is_(None)).order_by(_cadre.c.name_pinyin, _cadre.c.id)
        write(session.execute(stmt))
    else:
        order = {cid: n for n, cid in enumerate(ids)}
        for i in range(0, len(ids), CHUNK):
            progress.check()
            progress.update(i, len(ids), "正在导出…")
            chunk = session.execute(select(*cols).where(_cadre.c.id.in_(ids[i:i + CHUNK]))).all()
            write(sorted(chunk, key=lambda r: order[r.id]))
    try:
        wb.save(target)
    except PermissionError:
        raise FileUnusable(f"无法写入“{target}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
    audit.record(session, actor, "export", "cadre", None, summary=f"导出干部名册 {count} 人到“{target.name}”",
                 after={"file": target.name, "count": count})
    return ExportResult(target, count)
