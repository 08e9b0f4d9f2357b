"""Exporting a roster (名单) to .xlsx or .pdf: the query of models.services.roster, the A4 form of reports.roster_pdf.

Here rather than in models/ because reports depend on models, never the reverse.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.rules.period_math import cn_date
from models.exchange.roster_xlsx import write_xlsx
from models.services.roster import MODE_CAME_OFF, RosterQuery, RosterRow, rows
from reports import fonts as report_fonts
from reports import roster_pdf


_TOGETHER = re.compile(r"与记录\s*(\d+)\s*的未执行期间合并计算")


def details(session: Session, cadre_ids: list[int]) -> dict[int, dict]:
    """cadre id → post, unit (full name), handling (short names) and note (why the off date is later) for the
    roster: the handlings whose off date is the cadre's (the ones that govern), read in chunks."""
    from sqlalchemy import select

    from models.entities import Cadre, Handling, Restriction
    from models.services.unit_names import full_names
    from reports.kind_names import short_name

    out: dict[int, dict] = {}
    units = full_names(session)
    for k in range(0, len(cadre_ids), 500):
        chunk = cadre_ids[k:k + 500]
        cadres = {c.id: c for c in session.execute(select(Cadre).where(Cadre.id.in_(chunk))).scalars()}
        hs = session.execute(select(Handling).where(Handling.cadre_id.in_(chunk), Handling.withdrawn_at.is_(None))
                             .order_by(Handling.effective_on, Handling.id)).scalars().all()
        by_id = {h.id: h for h in hs}
        overrides = {r.handling_id: r for r in session.execute(
            select(Restriction).where(Restriction.cadre_id.in_(chunk), Restriction.override_last_day.is_not(None)))
            .scalars()}
        for cid in chunk:
            c = cadres.get(cid)
            if c is None:
                continue
            governing = [h for h in hs if h.cadre_id == cid and h.off_date is not None and h.off_date == c.off_date]
            notes = []
            for h in governing:
                o = overrides.get(h.id)
                if o is not None:
                    notes.append("期满日期经人工修改" + (f"（{o.override_reason}）" if o.override_reason else ""))
                m = _TOGETHER.search(h.explanation or "")
                if m:
                    other = by_id.get(int(m.group(1))) or session.get(Handling, int(m.group(1)))
                    what = f"{cn_date(other.effective_on)}{short_name(other.regime, other.kind)}" if other else "另一处分"
                    notes.append(f"与{what}的未执行期间合并计算，期满日期相应推后")
                if h.probation_extended:
                    notes.append("留党察看期延长一年")
            unit = units.get(c.unit_id, "") if c.unit_id else ""
            post = (c.current_post or "").strip()
            for prefix in sorted({unit, *(u for u in [_own_name(session, c.unit_id)] if u)}, key=len, reverse=True):
                if prefix and post.startswith(prefix) and len(post) > len(prefix):
                    post = post[len(prefix):]
                    break
            out[cid] = {"unit": unit, "post": post, "note": "；".join(dict.fromkeys(notes)),
                        "handling": "；".join(short_name(h.regime, h.kind) for h in governing)}
    return out


def _own_name(session: Session, unit_id: int | None) -> str:
    from models.entities import Unit

    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def pdf_rows(session: Session, rows_: list[RosterRow]) -> list[roster_pdf.RosterRow]:
    """The query's rows with the unit's full name, the post, the short kinds and the reason for a later date."""
    more = details(session, [r.cadre_id for r in rows_])
    out = []
    for r in rows_:
        d = more.get(r.cadre_id, {})
        out.append(roster_pdf.RosterRow(
            name=r.name, id_number=r.id_number, unit=d.get("unit") or r.unit_name,
            handling=d.get("handling") or re.sub(r"（[^）]*〔[^）]*）", "", r.handling),
            last_day=r.off_date - timedelta(days=1) if r.off_date else None, off_date=r.off_date,
            post=d.get("post", ""), effective_on=r.effective_on, note=d.get("note", ""),
        ))
    return out


def title_of(q: RosterQuery, org_name: str = "") -> roster_pdf.RosterTitle:
    return roster_pdf.RosterTitle(
        kind=roster_pdf.CAME_OFF if q.mode == MODE_CAME_OFF else roster_pdf.IN_PERIOD,
        date_from=q.date_from, date_to=q.date_to, on_date=q.on, org_name=org_name,
    )


def build_pdf(session: Session, actor: Actor, q: RosterQuery, fmt: str = "pdf") -> tuple[bytes, int, str]:
    """The roster of a query (the dialog's 预览/打印) as PDF or (fmt "docx") Word: (bytes, number of people,
    title); the ID numbers as this actor may see them."""
    actor.require("print")
    found = rows(session, actor, q)
    org = settings_store.get(session, "org.name") or ""
    build = roster_pdf.build_roster_docx if fmt == "docx" else roster_pdf.build_roster_pdf
    data = build(pdf_rows(session, found), title_of(q, org), report_fonts.for_session(session))
    return data, len(found), q.title()


def export(session: Session, actor: Actor, q: RosterQuery, path: str | Path) -> tuple[Path, int]:
    """Write the roster to .xlsx or .pdf by the file's extension; returns (path, number of rows)."""
    actor.require("export")
    path = Path(path)
    found = rows(session, actor, q)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(found, q.title(), path)
    elif suffix == ".pdf":
        org = settings_store.get(session, "org.name") or ""
        roster_pdf.write_roster_pdf(pdf_rows(session, found), title_of(q, org), path, report_fonts.for_session(session))
    else:
        raise ValidationError("名单只能导出为 .xlsx 或 .pdf 文件，请改正文件名。", "out")
    return path, len(found)


def export_cli(session: Session, actor, args) -> str:
    """`main.py export roster --from DATE --to DATE --out FILE.xlsx|.pdf` (one row per cadre who came off)."""
    from models.core import audit
    from models.exchange import excel_values as ev
    from models.exchange.cadre_export import check_output_file

    actor.require("export")
    if not args.date_from or not args.date_to:
        raise ValidationError("导出名单需要 --from 和 --to 两个日期（影响期满日期在此范围内，含首尾两天），例如 --from 2025-01-01 --to 2025-03-31。", "from")
    q = RosterQuery(mode=MODE_CAME_OFF, date_from=ev.parse_date(args.date_from, "--from", "from"),
                    date_to=ev.parse_date(args.date_to, "--to", "to"))
    out = check_output_file(args.out, (".xlsx", ".pdf"))
    path, n = export(session, actor, q, out)
    audit.record(session, actor, "export", "roster", None, after={"file": str(path), "rows": n},
                 summary=f"导出名单：{q.title()}（{n} 人）")
    return f"已导出 {q.title()}：{n} 人，文件 {path}"


def load_period(session: Session, actor, date_from: str | None, date_to: str | None, today, *, on=None,
                fmt: str = "pdf"):
    """`python main.py pdf roster --from DATE --to DATE` (who came off) or `--on DATE` (who is in a period)."""
    from models.exchange import excel_values as ev
    from models.services.roster import MODE_IN_PERIOD
    from reports.document import DocumentPdf

    actor.require("print")
    if on:
        q = RosterQuery(mode=MODE_IN_PERIOD, on=ev.parse_date(on, "--on", "on"))
    else:
        if not date_from or not date_to:
            raise ValidationError("名单需要 --from 和 --to 两个日期（影响期满日期在此范围内，含首尾两天），"
                                  "或用 --on 给出一天（列出这一天仍处于影响期内的人员）。", "from")
        q = RosterQuery(mode=MODE_CAME_OFF, date_from=ev.parse_date(date_from, "--from", "from"),
                        date_to=ev.parse_date(date_to, "--to", "to"))
    data, n, title = build_pdf(session, actor, q, fmt)
    return DocumentPdf(data, f"{title}（{n}人）")
