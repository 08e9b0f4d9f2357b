"""Exporting a roster (名单) to .xlsx or .pdf: the query of models.services.roster, the A4 form of reports.roster_pdf.

Here rather than in models/ because reports depend on models, never the reverse.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.errors import ValidationError
from models.rules.period_math import cn_date
from models.services.roster import MODE_CAME_OFF, RosterQuery, RosterRow, rows, write_xlsx
from reports import fonts as report_fonts
from reports import roster_pdf


def write_pdf(rows_: list[RosterRow], q: RosterQuery, path: str | Path, org_name: str = "",
              fonts=None) -> Path:
    """The A4 roster of the documents issue (reports.roster_pdf): plain rows in, a PDF file out."""
    title = roster_pdf.RosterTitle(
        kind=roster_pdf.CAME_OFF if q.mode == MODE_CAME_OFF else roster_pdf.IN_PERIOD,
        date_from=q.date_from, date_to=q.date_to, on_date=q.on, org_name=org_name,
    )
    converted = [
        roster_pdf.RosterRow(
            name=r.name, id_number=r.id_number, unit=r.unit_name,
            handling=r.handling + (f"（{cn_date(r.effective_on)}）" if r.effective_on else ""),
            last_day=r.off_date - timedelta(days=1) if r.off_date else None, off_date=r.off_date,
        )
        for r in rows_
    ]
    return roster_pdf.write_roster_pdf(converted, title, Path(path), fonts)


def export(session: Session, q: RosterQuery, path: str | Path, *, show_id_number: bool = True) -> tuple[Path, int]:
    """Write the roster to .xlsx or .pdf by the file's extension; returns (path, number of rows)."""
    path = Path(path)
    found = rows(session, q, show_id_number=show_id_number)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(found, q.title(), path)
    elif suffix == ".pdf":
        write_pdf(found, q, path, settings_store.get(session, "org.name") or "",
                  report_fonts.for_session(session))
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
    path, n = export(session, q, out, show_id_number=actor.can("see_id_number"))
    audit.record(session, actor, "export", "roster", None, after={"file": str(path), "rows": n},
                 summary=f"导出名单：{q.title()}（{n} 人）")
    return f"已导出 {q.title()}：{n} 人，文件 {path}"
