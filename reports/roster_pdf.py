"""The roster (名单) of who came off the impact period between two dates, or who is in one on a date, as a
landscape A4 form that holds at least 15 people a page: 序号/姓名/身份证号/单位 (full name)/现任职务/处理处分 (short
names: 党内警告, 政务记过 …)/生效日期/期满日期/备注, one line a person in 五号; a date later than the handling
alone would give (periods counted together, an extended probation, a date changed by hand) is marked 注n in
备注 and explained under the table. Page numbers, the total and the issuing organ after the table.

It takes plain rows (RosterRow) so that any query can feed it; `python main.py export roster … --out X.pdf`
and the roster dialog's 预览/打印 go through reports.roster_export. The wording is the editable template "roster".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from models.services import templates
from models.core.errors import ValidationError
from models.rules.period_math import cn_date
from reports.fonts import FontSet, resolve
from reports import geometry as g
from reports.form import Column, Form, build_form

CAME_OFF, IN_PERIOD = "came_off", "in_period"

COLUMNS = [
    Column("序号", 11, "center"),
    Column("姓名", 16, shrink=True),
    Column("身份证号", 41),
    Column("单位", 60, shrink=True),
    Column("现任职务", 34, shrink=True),
    Column("处理处分", 26, shrink=True),
    Column("生效日期", 22, "center"),
    Column("期满日期", 22, "center"),
    Column("备注", 11, "center"),
]  # 243 mm: A4 landscape between the 28 mm binding margin and 26 mm on the right
CELL_SIZE = 10.5  # 五号: one line a person


@dataclass(frozen=True)
class RosterRow:
    """One person on the roster.

    Attributes:
        name: 姓名.
        id_number: 身份证号 (already masked for roles that may not see it).
        unit: 单位, by its full name.
        handling: 处理处分 by the short names, e.g. 党内警告 or 党内警告；政务记过.
        last_day: the last day of the impact period (影响期止).
        off_date: the day the impact period is over (期满日).
        post: 现任职务.
        effective_on: the handling's effective date.
        note: why the off date is later than the handling alone would give ("" when it is not).
    """

    name: str
    id_number: str
    unit: str
    handling: str
    last_day: date | None
    off_date: date | None
    post: str = ""
    effective_on: date | None = None
    note: str = ""


def short_date(d: date | None) -> str:
    """2026.3.5: a table date, no leading zeros (one line in a narrow column)."""
    return f"{d.year}.{d.month}.{d.day}" if d else ""


@dataclass(frozen=True)
class RosterTitle:
    """What the roster lists: kind CAME_OFF with date_from/date_to, or IN_PERIOD with on_date."""

    kind: str
    date_from: date | None = None
    date_to: date | None = None
    on_date: date | None = None
    org_name: str = ""

    def validate(self) -> None:
        if self.kind == CAME_OFF:
            if not self.date_from or not self.date_to:
                raise ValidationError("期满名单需要起始日期和截止日期（--from 和 --to）。", "date_from")
            if self.date_from > self.date_to:
                raise ValidationError(
                    f"起始日期 {self.date_from.isoformat()} 晚于截止日期 {self.date_to.isoformat()}。请对调两个日期。", "date_from")
        elif self.kind == IN_PERIOD:
            if not self.on_date:
                raise ValidationError("影响期内名单需要一个日期。", "on_date")
        else:
            raise ValidationError(f"名单种类“{self.kind}”无效，应为 came_off 或 in_period。", "kind")


def roster_form(rows: Sequence[RosterRow], title_info: RosterTitle) -> Form:
    title_info.validate()
    values = {
        "起始日期": cn_date(title_info.date_from), "截止日期": cn_date(title_info.date_to),
        "日期": cn_date(title_info.on_date), "人数": len(rows), "机关名称": title_info.org_name,
    }
    words = templates.render("roster", values)
    if title_info.kind == CAME_OFF:
        title, scope = words["期满名单标题"], words["期满名单范围"]
    else:
        title, scope = words["影响期内名单标题"], words["影响期内名单范围"]
    body, notes = [], []
    for i, r in enumerate(rows, start=1):
        mark = ""
        if r.note:
            mark = f"注{len(notes) + 1}"
            notes.append(f"{mark}：{r.name}，{r.note}")
        body.append([str(i), r.name, r.id_number, r.unit, r.post, r.handling, short_date(r.effective_on),
                     short_date(r.off_date), mark])
    after = notes + [words["合计"]]
    if title_info.org_name and words.get("制表"):
        after.append(words["制表"])
    return Form(title=title, columns=COLUMNS, rows=body, lines_under_title=[scope], lines_after=after,
                landscape=True, author=title_info.org_name, cell_size=CELL_SIZE, title_size=g.SIZE["小二"])


def build_roster_pdf(rows: Sequence[RosterRow], title_info: RosterTitle, fonts: FontSet | None = None) -> bytes:
    return build_form(roster_form(rows, title_info), fonts or resolve())


def build_roster_docx(rows: Sequence[RosterRow], title_info: RosterTitle, fonts: FontSet | None = None) -> bytes:
    """The same roster as an editable Word file (reports.form_docx)."""
    from reports.form_docx import build_form_docx

    return build_form_docx(roster_form(rows, title_info), fonts or resolve())


def write_roster_pdf(rows: Sequence[RosterRow], title_info: RosterTitle, path: str | Path,
                     fonts: FontSet | None = None) -> Path:
    """Write the roster PDF (complete or not at all). AppError for a missing character or an unwritable file."""
    from reports.output import write_bytes

    return write_bytes(build_roster_pdf(rows, title_info, fonts), path)
