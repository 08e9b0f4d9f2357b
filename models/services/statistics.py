"""统计分析 (issue 20): the figures an office reports, as plain tables, each number with the list behind it.

`compute(session, actor, StatsQuery)` returns Statistics: sections of StatTable, each row a label and numbers, each
number with a Drill (None where no list lies behind it). `list_behind` / `count_behind` give the rows behind a
Drill from the very conditions that counted it (one WHERE builder per figure, used by the GROUP BY and by the
list), and where a list service already holds the rule (rosters, 工作台 "assessed", the grassroots rule of the
commendations) the figure calls that service. Reads require the "read" permission.

What is counted (the period is StatsQuery.date_from … date_to, both days included; the unit is the chosen unit and
all its sub-units; records and cadres withdrawn are never counted):
- 处理处分: decisions whose effective date lies in the period, as decided (the kind on the decision; a decision
  changed or revoked on review is still a decision made — the review table counts those); 四种形态 by the data
  table resources/statistics/four_forms.json, with every 函询 sent in the period in the first form.
- 复审复核: of the decisions made in the period, those whose status is now changed or revoked, by organ and kind,
  with their share of that organ's (kind's) decisions.
- 影响期: in a period today and coming off in each of the next 12 months (models.services.roster); came off in
  the period and assessed by the 工作台 rule (dashboard.assessed_since_off); assessments dated in the period by
  outcome and by the actual use recorded afterwards (use_kind, else the recommendation when a use is recorded).
- 回访教育: plans due in the period (not cancelled): done by the due day, done later, not done and past due,
  not yet due.
- 举报: received in the period, by outcome; 函询 sent in the period, replied late or unanswered past due, by
  reply outcome; clarifications done in the period with the days from the accusation's conclusion; 函询 the guard
  refused on a day in the period that never got a 函询 (prevented) or got one with a written reason (overridden).
- 表彰: commendations awarded in the period (neither revoked nor withdrawn) by kind and the cadre's 职务层次;
  the grassroots share of the 百佳公务员 per year against the target set in 设置 (statistics.grassroots_target).
"""
from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import String, and_, case, exists, extract, func, or_, select
from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.entities import (
    Accusation, AccusationSubject, Cadre, Clarification, Commendation, ExpiryAssessment, GuardRefusal, Handling,
    Inquiry, Unit, Visit, VisitPlan,
)
from models.reference import codes
from models.reference.four_forms import table as four_forms
from models.rules import rule_table as rt
from models.services import dashboard, roster
from models.services.accusations import CLARIFYING_OUTCOMES, FALSE_ACCUSATION, OUTCOMES
from models.services.assessments import USE_KINDS
from models.services.commendations import is_grassroots, is_honour
from models.services.handling.register import STATUS_LABELS
from models.services.inquiries import REPLY_OUTCOMES

TARGET_KEY = "statistics.grassroots_target"  # percent of the 百佳公务员 who should be grassroots cadres
MAX_YEARS = 20
ORGAN_ROWS = 15  # the review table lists the organs with changed or revoked decisions, then the busiest up to this
NONE = "__none__"  # a drill filter meaning "not filled in" (a 函询: not answered)
BLANK = "__blank__"  # a 函询 answered without its outcome filled in
NO_UNIT = 0  # the bucket of cadres without a unit
UNCHANGED = "未调整"
TALK = "谈话提醒"  # the 函询 reply outcome the first form names beside 函询
OTHER_USE = "其他任用（未说明方式）"
DAY_BUCKETS = ((0, 7, "7天以内"), (8, 30, "8至30天"), (31, 90, "31至90天"), (91, None, "90天以上"))

_c, _u, _h = Cadre.__table__, Unit.__table__, Handling.__table__
_i, _acc, _subj = Inquiry.__table__, Accusation.__table__, AccusationSubject.__table__
_k, _g, _a = Clarification.__table__, GuardRefusal.__table__, ExpiryAssessment.__table__
_p, _v, _m = VisitPlan.__table__, Visit.__table__, Commendation.__table__


# ----------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class StatsQuery:
    date_from: date
    date_to: date
    today: date
    unit_id: int | None = None  # the unit and all its sub-units; None = every unit

    def title(self) -> str:
        return f"{self.date_from.isoformat()} 至 {self.date_to.isoformat()}"


@dataclass(frozen=True)
class Drill:
    """What lies behind a number: a figure family and its filters (hashable, so the GUI can keep it on a cell)."""

    figure: str
    filters: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.filters).get(key, default)


def drill(figure: str, **filters: Any) -> Drill:
    return Drill(figure, tuple(sorted((k, v) for k, v in filters.items() if v is not None)))


@dataclass(frozen=True)
class StatRow:
    """`part`: a breakdown of the row above it (其中…): listed in the table, left out of the chart and of totals."""

    label: str
    values: tuple[float | int | None, ...]
    drills: tuple[Drill | None, ...] = ()
    part: bool = False

    def drill_at(self, col: int) -> Drill | None:
        return self.drills[col] if col < len(self.drills) else None


@dataclass(frozen=True)
class StatTable:
    """A table with its chart: `chart` bar (grouped vertical bars), hbar (horizontal, for long labels) or line, of
    the value columns in `plotted`; `shares` are columns holding a share 0…1 (shown as %; the list behind a share is
    the list of its numerator); `target` a share drawn as a line across the chart."""

    key: str
    title: str
    label_header: str
    columns: tuple[str, ...]
    rows: tuple[StatRow, ...]
    chart: str = "bar"
    plotted: tuple[int, ...] = (0,)
    shares: tuple[int, ...] = ()
    note: str = ""
    target: float | None = None

    def total(self, col: int = 0) -> float:
        return sum(r.values[col] or 0 for r in self.rows if not r.part)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[StatTable, ...]


@dataclass(frozen=True)
class Statistics:
    query: StatsQuery
    unit_name: str
    sections: tuple[Section, ...]

    def table(self, key: str) -> StatTable:
        for s in self.sections:
            for t in s.tables:
                if t.key == key:
                    return t
        raise KeyError(key)


@dataclass(slots=True)
class DetailRow:
    """One row of the list behind a number. ref_type/ref_id: the record (handling, inquiry, accusation,
    clarification, visit_plan, assessment, commendation, cadre)."""

    cadre_id: int | None
    name: str
    unit_name: str
    when: date | None
    detail: str
    ref_type: str
    ref_id: int | None


# ----------------------------------------------------------------------------------------------- scope


@dataclass
class _Scope:
    unit_ids: list[int] | None  # SQL filter on Cadre.unit_id; None = no filter
    unit_name: str
    buckets: list[tuple[int, str]] = field(default_factory=list)  # (key, label) in display order
    bucket_of: dict[int | None, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)

    def where(self, stmt):
        return stmt if self.unit_ids is None else stmt.where(_c.c.unit_id.in_(self.unit_ids))

    def bucket_condition(self, key: int):
        if key == NO_UNIT:
            return _c.c.unit_id.is_(None)
        return _c.c.unit_id.in_(self.members.get(key, [-1]))

    def roll_up(self, by_unit: dict[int | None, Any], add: Callable[[Any, Any], Any], zero: Callable[[], Any]):
        out = {key: zero() for key, _label in self.buckets}
        for unit_id, value in by_unit.items():
            key = self.bucket_of.get(unit_id)
            if key is not None:
                out[key] = add(out[key], value)
        return out


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p.isdigit()]


def _scope(session: Session, unit_id: int | None) -> _Scope:
    """The scope of a unit, built once per session (one user action: the page, or the lists opened in it)."""
    cache = session.info.setdefault("statistics.scope", {})
    if unit_id not in cache:
        cache[unit_id] = _build_scope(session, unit_id)
    return cache[unit_id]


def _build_scope(session: Session, unit_id: int | None) -> _Scope:
    """The units counted and the rows of the by-unit tables: the direct sub-units of the chosen unit (each with
    its own sub-units rolled up) and the chosen unit itself (本级); without a choice, the top units (or, when there
    is one top unit, its sub-units)."""
    units = session.execute(select(_u.c.id, _u.c.name, _u.c.path, _u.c.sort_order)).all()
    by_id = {u.id: u for u in units}
    ordered = sorted(units, key=lambda u: (_ids(u.path), u.sort_order))
    if unit_id is not None:
        root = by_id.get(unit_id)
        if root is None:
            raise ValidationError("找不到所选单位，请重新选择。", "unit_id")
        scope = _Scope(unit_ids=[], unit_name=root.name)
    else:
        tops = [u for u in ordered if len(_ids(u.path)) <= 1]
        root = tops[0] if len(tops) == 1 else None
        scope = _Scope(unit_ids=None, unit_name="全部单位")
    labels: dict[int, str] = {}
    for u in ordered:
        chain = _ids(u.path) or [u.id]
        if root is not None:
            if root.id not in chain:
                continue
            rest = chain[chain.index(root.id) + 1:]
            key = rest[0] if rest else root.id
        else:
            key = chain[0]
        if key not in labels:
            labels[key] = f"{root.name}（本级）" if root is not None and key == root.id else by_id[key].name
        scope.bucket_of[u.id] = key
        scope.members.setdefault(key, []).append(u.id)
        if scope.unit_ids is not None:
            scope.unit_ids.append(u.id)
    # 本级 last: the sub-units first, as offices read their tables
    keys = [k for k in labels if root is None or k != root.id] + ([root.id] if root is not None and root.id in labels
                                                                   else [])
    scope.buckets = [(k, labels[k]) for k in keys]
    if scope.unit_ids is None:
        scope.bucket_of[None] = NO_UNIT
        scope.buckets.append((NO_UNIT, "（未填单位）"))
    return scope


# ----------------------------------------------------------------------------------------------- helpers


def check_query(q: StatsQuery) -> None:
    if not isinstance(q.date_from, date) or not isinstance(q.date_to, date):
        raise ValidationError("请填写统计的起止日期。", "date_from")
    if q.date_from > q.date_to:
        raise ValidationError(f"开始日期 {q.date_from.isoformat()} 晚于结束日期 {q.date_to.isoformat()}，请调换或改正。",
                              "date_from")
    if q.date_to.year - q.date_from.year >= MAX_YEARS:
        raise ValidationError(f"统计期间最长 {MAX_YEARS} 年，请缩短起止日期。", "date_to")


def grassroots_target(session: Session) -> float:
    """The office's target share of grassroots cadres among the 百佳公务员 (设置 → 工作台与考核), 0…1."""
    value = settings_store.get(session, TARGET_KEY)
    try:
        return max(0.0, min(100.0, float(value))) / 100
    except (TypeError, ValueError):
        return float(settings_store.DEFAULTS[TARGET_KEY]) / 100


def _years(q: StatsQuery) -> list[int]:
    return list(range(q.date_from.year, q.date_to.year + 1))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[tuple[date, date]]:
    """(first day, last day) of each calendar month touching first … last, clipped to it."""
    out, m = [], _month_start(first)
    while m <= last:
        nxt = _next_month(m)
        out.append((max(m, first), min(nxt - timedelta(days=1), last)))
        m = nxt
    return out


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _in_period(col, q: StatsQuery):
    return and_(col >= q.date_from, col <= q.date_to)


def _live(q: StatsQuery, scope: _Scope, day, *conds) -> list:
    """The conditions every figure shares: `day` in the period, the cadre not withdrawn and in the chosen units,
    and the record's own conditions."""
    out = [*conds, _c.c.withdrawn_at.is_(None), _in_period(day, q)]
    if scope.unit_ids is not None:
        out.append(_c.c.unit_id.in_(scope.unit_ids))
    return out


def _kind_label(regime: str, kind: str) -> str:
    try:
        return rt.full_label(regime, kind)
    except KeyError:
        return f"{regime}·{kind}"


def _regime_order() -> list[str]:
    return list(rt.REGIME_LABELS)


def _form_condition(form: int):
    pairs = four_forms().kinds_in(form)
    if not pairs:
        return _h.c.id.is_(None)
    return or_(*[and_(_h.c.regime == r, _h.c.kind == k) for r, k in pairs])


def _month_key(col):
    """'YYYY-MM' of a date column on SQLite and PostgreSQL."""
    return func.substr(func.cast(col, String()), 1, 7)


def _count_by(conn, from_, where: Iterable, *keys) -> list:
    """Rows of (key…, count). The keys are computed in a subquery and grouped by its columns: PostgreSQL does not
    take two renderings of an expression with bound values (a CASE, a substring) as the same GROUP BY expression."""
    inner = select(*[k.label(f"k{i}") for i, k in enumerate(keys)]).select_from(from_).where(*where).subquery()
    cols = [inner.c[f"k{i}"] for i in range(len(keys))]
    return conn.execute(select(*cols, func.count()).group_by(*cols)).all()



# ----------------------------------------------------------------------------------------------- 处理处分


def _handling_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _h.c.effective_on, _h.c.withdrawn_at.is_(None))
    if f is None:
        return conds
    if f.get("year") is not None:
        conds.append(extract("year", _h.c.effective_on) == f.get("year"))
    if f.get("regime"):
        conds.append(_h.c.regime == f.get("regime"))
    if f.get("kind"):
        conds.append(_h.c.kind == f.get("kind"))
    if f.get("bucket") is not None:
        conds.append(scope.bucket_condition(f.get("bucket")))
    if f.get("form") is not None:
        conds.append(_form_condition(f.get("form")))
    if f.get("reviewed"):
        wanted = ("changed", "revoked") if f.get("reviewed") == "any" else (f.get("reviewed"),)
        conds.append(_h.c.status.in_(wanted))
    if f.get("organ") is not None:
        conds.append(_h.c.organ.is_(None) if f.get("organ") == NONE else _h.c.organ == f.get("organ"))
    if f.get("other_than") is not None:
        names = [o for o in f.get("other_than") if o != NONE]
        other = _h.c.organ.not_in(names) if names else _h.c.organ.is_not(None)
        conds.append(other if NONE in f.get("other_than") else or_(_h.c.organ.is_(None), other))
    return conds


def _handling_from():
    return _h.join(_c, _c.c.id == _h.c.cadre_id)


def _inquiry_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _i.c.sent_on, _i.c.withdrawn_at.is_(None))
    if f is None:
        return conds
    if f.get("year") is not None:
        conds.append(extract("year", _i.c.sent_on) == f.get("year"))
    if f.get("month"):
        conds.append(_month_key(_i.c.sent_on) == f.get("month"))
    outcome = f.get("outcome")
    if outcome == NONE:
        conds.append(_i.c.replied_on.is_(None))
    elif outcome == BLANK:
        conds.append(and_(_i.c.replied_on.is_not(None), _i.c.outcome.is_(None)))
    elif outcome:
        conds.append(and_(_i.c.replied_on.is_not(None), _i.c.outcome == outcome))
    late = f.get("late")
    if late == "replied":
        conds.append(and_(_i.c.replied_on.is_not(None), _i.c.replied_on > _i.c.due_on))
    elif late == "unanswered":
        conds.append(and_(_i.c.replied_on.is_(None), _i.c.due_on < q.today))
    return conds


def _inquiry_from():
    return _i.join(_c, _c.c.id == _i.c.cadre_id)


def _handling_counts(session: Session, q: StatsQuery, scope: _Scope) -> list[tuple]:
    """(year, regime, kind, status, organ, unit id, count) of the decisions in the period: one pass over the
    handling table feeds every handling and review table (four GROUP BYs over the same rows cost 4×)."""
    year = extract("year", _h.c.effective_on)
    cols = (year, _h.c.regime, _h.c.kind, _h.c.status, _h.c.organ, _c.c.unit_id)
    return [tuple(r) for r in session.connection().execute(
        select(*cols, func.count()).select_from(_handling_from()).where(*_handling_where(q, scope))
        .group_by(*cols)).all()]


def _handling_section(session: Session, q: StatsQuery, scope: _Scope, counts: list[tuple]) -> Section:
    conn = session.connection()
    grouped = [(y, regime, kind, n) for y, regime, kind, _st, _o, _unit, n in counts]
    by_unit_rows = [(unit, regime, n) for _y, regime, _k, _st, _o, unit, n in counts]
    iyear = extract("year", _i.c.sent_on)
    inquiries_by_year: dict[int, int] = defaultdict(int)
    talks_by_year: dict[int, int] = defaultdict(int)  # 函询 closed with 谈话提醒
    for y, talk, n in _count_by(conn, _inquiry_from(), _inquiry_where(q, scope), iyear,
                                case((and_(_i.c.replied_on.is_not(None), _i.c.outcome == TALK), 1), else_=0)):
        inquiries_by_year[int(y)] += n
        talks_by_year[int(y)] += n if talk else 0
    years, regimes = _years(q), _regime_order()

    # by year and regime
    cells: dict[tuple[int, str], int] = defaultdict(int)
    kinds: dict[tuple[str, str], int] = defaultdict(int)
    forms: dict[tuple[int, int], int] = defaultdict(int)
    ff = four_forms()
    for y, regime, kind, n in grouped:
        y = int(y)
        cells[(y, regime)] += n
        kinds[(regime, kind)] += n
        form = ff.form_of(regime, kind)
        if form is not None:
            forms[(form, y)] += n
    for y, n in inquiries_by_year.items():
        forms[(ff.inquiry_form, int(y))] += n
    kinds_by_year: dict[tuple[str, str, int], int] = defaultdict(int)
    for y, regime, kind, n in grouped:
        kinds_by_year[(regime, kind, int(y))] += n
    columns = tuple(rt.REGIME_LABELS[r] for r in regimes) + ("合计",)
    rows = []
    for y in years:
        values = tuple(cells[(y, r)] for r in regimes)
        rows.append(StatRow(f"{y}年", values + (sum(values),),
                            tuple(drill("handling", year=y, regime=r) for r in regimes) + (drill("handling", year=y),)))
    by_year = StatTable("handling_by_year", "处理处分·按年度和类别", "年度", columns, tuple(rows), chart="bar",
                        plotted=tuple(range(len(regimes))),
                        note="按决定生效日期计；含此后经复审复核变更、撤销的决定（另表统计）。")

    # by unit, rolled up
    unit_cells: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, regime, n in by_unit_rows:
        unit_cells[unit_id][regime] += n

    def add(acc: dict, value: dict) -> dict:
        for r, n in value.items():
            acc[r] = acc.get(r, 0) + n
        return acc

    rolled = scope.roll_up(unit_cells, add, dict)
    rows = []
    for key, label in scope.buckets:
        counts = rolled[key]
        values = tuple(counts.get(r, 0) for r in regimes)
        if key == NO_UNIT and not sum(values):
            continue
        rows.append(StatRow(label, (sum(values),) + values,
                            (drill("handling", bucket=key),) + tuple(drill("handling", bucket=key, regime=r)
                                                                     for r in regimes)))
    by_unit = StatTable("handling_by_unit", "处理处分·按单位（含下级单位）", "单位", ("合计",) + columns[:-1],
                        tuple(rows), chart="hbar", plotted=(0,), note="各单位的数字包括其全部下级单位。")

    # by kind
    total = sum(kinds.values())
    rows = []
    for regime in regimes:
        for kind in rt.kinds_of(regime):
            n = kinds.get((regime, kind), 0)
            if n:
                behind = drill("handling", regime=regime, kind=kind)
                rows.append(StatRow(_kind_label(regime, kind), (n, _share(n, total)), (behind, behind)))
    by_kind = StatTable("handling_by_kind", "处理处分·按种类", "种类", ("件数", "占比"), tuple(rows), chart="hbar",
                        plotted=(0,), shares=(1,))

    # 四种形态
    rows = []
    counted_total = sum(forms.values())
    for form in ff.forms:
        if form.not_counted:
            rows.append(StatRow(form.label, tuple(None for _ in years) + (None, None)))
            continue
        values = tuple(forms.get((form.form, y), 0) for y in years)
        dr = tuple(drill("form", form=form.form, year=y) for y in years)
        rows.append(StatRow(form.label, values + (sum(values), _share(sum(values), counted_total)),
                            dr + (drill("form", form=form.form),) * 2))
        if form.form == ff.inquiry_form:
            rows.extend(_first_form_parts(ff, form.form, years, forms_by_kind=kinds_by_year,
                                          inquiries=inquiries_by_year, talks=talks_by_year))
    notes = [ff.inquiry_note] + [f"{f.label}：{f.not_counted}" for f in ff.forms if f.not_counted]
    four = StatTable("four_forms", "监督执纪“四种形态”", "形态", tuple(f"{y}年" for y in years) + ("合计", "占比"),
                     tuple(rows), chart="bar", plotted=(len(years),), shares=(len(years) + 1,),
                     note="；".join(n.rstrip("。") for n in notes)
                     + "。对应关系及其依据见数据表 resources/statistics/four_forms.json。")
    return Section("handling", "处理处分", (by_year, by_unit, by_kind, four))


def _first_form_parts(ff, form: int, years: list[int], *, forms_by_kind: dict, inquiries: dict,
                      talks: dict) -> list[StatRow]:
    """The first form's breakdown: the decisions of its kinds (诫勉), the 函询 sent and, of those, the ones closed
    with 谈话提醒 — so that the page shows that 函询 and 谈话提醒 count in the first form, and each has its list."""
    kinds = ff.kinds_in(form)
    decided = tuple(sum(forms_by_kind.get((r, k, y), 0) for r, k in kinds) for y in years)
    names = "、".join(_kind_label(r, k).split("·")[-1] for r, k in kinds) or "处理处分"
    rows = [
        StatRow(f"其中：{names}", decided + (sum(decided), None),
                tuple(drill("handling", form=form, year=y) for y in years) + (drill("handling", form=form), None),
                part=True),
    ]
    sent = tuple(inquiries.get(y, 0) for y in years)
    rows.append(StatRow("其中：函询", sent + (sum(sent), None),
                        tuple(drill("inquiry", year=y) for y in years) + (drill("inquiry"), None), part=True))
    talked = tuple(talks.get(y, 0) for y in years)
    rows.append(StatRow(f"　其中：函询后{TALK}", talked + (sum(talked), None),
                        tuple(drill("inquiry", year=y, outcome=TALK) for y in years)
                        + (drill("inquiry", outcome=TALK), None), part=True))
    return rows


def _quality_section(counts: list[tuple]) -> Section:
    organ_cells: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    kind_cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for _y, regime, kind, status, organ, _unit, n in counts:
        for cell in (organ_cells[organ], kind_cells[(regime, kind)]):
            cell[0] += n
            cell[1] += n if status == "changed" else 0
            cell[2] += n if status == "revoked" else 0
    by_organ = [(organ, *v) for organ, v in organ_cells.items()]
    by_kind = [(regime, kind, *v) for (regime, kind), v in kind_cells.items()]
    columns = ("决定数", "变更", "撤销", "变更撤销占比")

    def row(label: str, total: int, changed: int, revoked: int, **f) -> StatRow:
        changed, revoked = int(changed or 0), int(revoked or 0)
        return StatRow(label, (total, changed, revoked, _share(changed + revoked, total)),
                       (drill("handling", **f), drill("handling", reviewed="changed", **f),
                        drill("handling", reviewed="revoked", **f), drill("handling", reviewed="any", **f)))

    # organs with changed or revoked decisions first, then the busiest; the rest in one row
    organ_rows = sorted(by_organ, key=lambda r: (-(r[2] or 0) - (r[3] or 0), -r[1], r[0] or ""))
    shown = [r for r in organ_rows if r[2] or r[3]]
    shown += [r for r in organ_rows if not (r[2] or r[3])][:max(0, ORGAN_ROWS - len(shown))]
    rest = organ_rows[len(shown):]
    rows = [row(organ or "（未填决定机关）", n, ch, rv, organ=organ or NONE) for organ, n, ch, rv in shown]
    if rest:
        rows.append(row(f"其他决定机关（{len(rest)}个）", sum(r[1] for r in rest), sum(r[2] for r in rest),
                        sum(r[3] for r in rest), other_than=tuple(sorted(r[0] or NONE for r in shown))))
    total = sum(r[1] for r in by_organ)
    changed = sum(int(r[2] or 0) for r in by_organ)
    revoked = sum(int(r[3] or 0) for r in by_organ)
    rows.append(row("合计", total, changed, revoked))
    organ_table = StatTable("review_by_organ", "复审复核后变更、撤销的决定·按决定机关（问责质量）", "决定机关", columns,
                            tuple(rows), chart="hbar", plotted=(1, 2), shares=(3,),
                            note="期间内生效的决定中，至今经复审、复核、申诉或复查变更或撤销的件数及占该机关决定数的比例。")
    order = {r: i for i, r in enumerate(_regime_order())}
    kind_rows = sorted(by_kind, key=lambda r: (order.get(r[0], 99), rt.kinds_of(r[0]).index(r[1])
                                               if r[1] in rt.kinds_of(r[0]) else 99))
    rows = [row(_kind_label(regime, kind), n, ch, rv, regime=regime, kind=kind) for regime, kind, n, ch, rv in kind_rows]
    rows.append(row("合计", total, changed, revoked))
    kind_table = StatTable("review_by_kind", "复审复核后变更、撤销的决定·按种类", "种类", columns, tuple(rows),
                           chart="hbar", plotted=(1, 2), shares=(3,))
    return Section("quality", "问责质量（复审复核）", (organ_table, kind_table))


# ----------------------------------------------------------------------------------------------- 影响期


def _came_off_where(q: StatsQuery, scope: _Scope) -> list:
    return _live(q, scope, _c.c.off_date)


def _assessment_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _a.c.assessed_on, _a.c.withdrawn_at.is_(None))
    if f is None:
        return conds
    if f.get("outcome"):
        conds.append(_a.c.outcome == f.get("outcome"))
    use = f.get("use")
    if use == UNCHANGED:
        conds.append(_a.c.used_on.is_(None))
    elif use:
        conds.append(and_(_a.c.used_on.is_not(None), _use_kind() == use))
    return conds


def _use_kind():
    """How a cadre was used after the assessment: the recorded kind, else the recommendation when it names a use."""
    recommended = case((_a.c.recommendation.in_(USE_KINDS), _a.c.recommendation), else_=OTHER_USE)
    return func.coalesce(_a.c.use_kind, recommended)


def _roster_query(q: StatsQuery, **kw) -> roster.RosterQuery:
    return roster.RosterQuery(unit_id=q.unit_id, include_subunits=True, **kw)


def _pipeline_section(session: Session, actor: Actor, q: StatsQuery, scope: _Scope) -> Section:
    conn = session.connection()
    in_period = roster.count(session, actor, _roster_query(q, mode=roster.MODE_IN_PERIOD, on=q.today))
    came_off = roster.count(session, actor, _roster_query(q, mode=roster.MODE_CAME_OFF, date_from=q.date_from,
                                                   date_to=q.date_to))
    assessed = conn.execute(
        select(func.count()).select_from(_c).where(*_came_off_where(q, scope),
                                                   dashboard.assessed_since_off(session.get_bind().dialect.name)),
        {"early": dashboard.early_param(session)}).scalar_one()
    summary = StatTable("pipeline", "影响期“在途”情况", "项目", ("人数",), (
        StatRow(f"{q.today.isoformat()} 正处于影响期", (in_period,), (drill("roster", mode="in_period"),)),
        StatRow("期间内影响期满", (came_off,), (drill("roster", mode="came_off"),)),
        StatRow("其中：已进行期满考核", (assessed,), (drill("came_off", assessed=True),)),
        StatRow("其中：尚未考核", (came_off - assessed,), (drill("came_off", assessed=False),)),
    ), chart="hbar", note="“已进行期满考核”与工作台“期满待考核”同一口径：期满前设定天数内或期满后的考核均算。")

    rows = []
    first = q.today + timedelta(days=1)
    last = _month_start(first).replace(year=first.year + 1) - timedelta(days=1)  # the 12th month's last day
    for start, end in _months(first, last):
        n = roster.count(session, actor, _roster_query(q, mode=roster.MODE_CAME_OFF, date_from=start, date_to=end))
        rows.append(StatRow(start.strftime("%Y-%m"), (n,), (drill("roster", mode="came_off", date_from=start,
                                                                  date_to=end),)))
    coming = StatTable("coming_off", "今后12个月每月影响期满人数", "月份", ("人数",), tuple(rows), chart="line",
                       note=f"从 {first.isoformat()} 起；按干部整体的影响期满日期（最后一项限制结束的次日）计。")

    outcome_rows = conn.execute(
        select(_a.c.outcome, func.count(), func.sum(case((_a.c.used_on.is_not(None), 1), else_=0)))
        .select_from(_a.join(_c, _c.c.id == _a.c.cadre_id)).where(*_assessment_where(q, scope))
        .group_by(_a.c.outcome)).all()
    known = list(settings_store.get(session, "assessment.outcomes") or [])
    found = {o: (n, int(u or 0)) for o, n, u in outcome_rows}
    rows = [StatRow(o, (found[o][0], found[o][1]), (drill("assessment", outcome=o),
                                                    drill("assessment", outcome=o, used=True)))
            for o in known + sorted(set(found) - set(known)) if o in found]
    outcomes = StatTable("assessment_outcomes", "期满考核结果", "考核结果", ("考核人数", "其后已任用"), tuple(rows),
                         chart="bar", plotted=(0, 1), note="期间内进行的影响期满考核。")

    use = _use_kind()
    use_rows = dict(_count_by(conn, _a.join(_c, _c.c.id == _a.c.cadre_id), _assessment_where(q, scope),
                              case((_a.c.used_on.is_(None), UNCHANGED), else_=use)))
    total = sum(use_rows.values())
    labels = list(USE_KINDS) + [OTHER_USE, UNCHANGED]
    rows = [StatRow(label, (use_rows.get(label, 0), _share(use_rows.get(label, 0), total)),
                    (drill("assessment", use=label),) * 2)
            for label in labels if label != OTHER_USE or use_rows.get(label)]
    used = StatTable("use_after", "期满考核后的实际使用（“大胆使用”）", "使用情况", ("人数", "占比"),
                     tuple(rows), chart="bar", plotted=(0,), shares=(1,),
                     note="按考核后登记的实际任用；未登记任用的计为“未调整”。")
    return Section("pipeline", "影响期与期满考核", (summary, coming, outcomes, used))


# ----------------------------------------------------------------------------------------------- 回访教育

PLAN_STATES = (("on_time", "按期完成"), ("late", "逾期完成"), ("missed", "逾期未回访"), ("pending", "尚未到期"))


def _plan_state(today: date):
    visited = _v.c.visited_on
    return case(
        (and_(_p.c.status == "done", visited <= _p.c.due_by), "on_time"),
        (_p.c.status == "done", "late"),
        (_p.c.due_by < today, "missed"),
        else_="pending",
    )


def _plan_from():
    return _p.join(_c, _c.c.id == _p.c.cadre_id).outerjoin(_v, _v.c.id == _p.c.visit_id)


def _plan_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _p.c.due_by, _p.c.status.in_(("planned", "done")))
    if f is None:
        return conds
    if f.get("bucket") is not None:
        conds.append(scope.bucket_condition(f.get("bucket")))
    if f.get("state"):
        conds.append(_plan_state(q.today) == f.get("state"))
    return conds


def _visits_section(session: Session, q: StatsQuery, scope: _Scope) -> Section:
    state = _plan_state(q.today)
    found = _count_by(session.connection(), _plan_from(), _plan_where(q, scope), _c.c.unit_id, state)
    by_unit: dict[int | None, dict[str, int]] = defaultdict(dict)
    for unit_id, st, n in found:
        by_unit[unit_id][st] = by_unit[unit_id].get(st, 0) + n

    def add(acc: dict, value: dict) -> dict:
        for k, n in value.items():
            acc[k] = acc.get(k, 0) + n
        return acc

    rolled = scope.roll_up(by_unit, add, dict)
    keys = [k for k, _l in PLAN_STATES]
    rows = []
    totals: dict[str, int] = {}
    for bucket, label in scope.buckets:
        counts = rolled[bucket]
        add(totals, counts)
        if not counts and bucket == NO_UNIT:
            continue
        values = tuple(counts.get(k, 0) for k in keys)
        rows.append(StatRow(label, (sum(values),) + values,
                            (drill("visit_plan", bucket=bucket),) + tuple(drill("visit_plan", bucket=bucket, state=k)
                                                                          for k in keys)))
    values = tuple(totals.get(k, 0) for k in keys)
    rows.append(StatRow("合计", (sum(values),) + values,
                        (drill("visit_plan"),) + tuple(drill("visit_plan", state=k) for k in keys)))
    done = values[0] + values[1]
    due = values[0] + values[1] + values[2]
    table = StatTable("visits_by_unit", "回访教育·按单位（含下级单位）", "单位",
                      ("应回访",) + tuple(label for _k, label in PLAN_STATES), tuple(rows), chart="hbar",
                      plotted=(1, 2, 3),
                      note=f"期间内到期的回访计划（已取消的不计）。已到期 {due} 项，完成 {done} 项"
                           + (f"（{done / due:.0%}），其中按期完成 {values[0]} 项" if due else "") + "。")
    return Section("visits", "回访教育", (table,))


# ----------------------------------------------------------------------------------------------- 举报、函询、澄清


def _accusation_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = [_acc.c.withdrawn_at.is_(None), _in_period(_acc.c.received_on, q)]
    if scope.unit_ids is not None:
        # an alias: the list joins the first subject's cadre, which must not narrow "any subject in these units"
        subject = _c.alias("subject_cadre")
        conds.append(exists().where(_subj.c.accusation_id == _acc.c.id, _subj.c.cadre_id == subject.c.id,
                                    subject.c.unit_id.in_(scope.unit_ids)))
    if f is None:
        return conds
    outcome = f.get("outcome")
    if outcome == NONE:
        conds.append(_acc.c.outcome.is_(None))
    elif outcome == "false":
        conds.append(_acc.c.outcome.in_(CLARIFYING_OUTCOMES))
    elif outcome:
        conds.append(_acc.c.outcome == outcome)
    if f.get("month"):
        conds.append(_month_key(_acc.c.received_on) == f.get("month"))
    return conds


def _clarification_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    return _live(q, scope, _k.c.done_on, _k.c.withdrawn_at.is_(None), _k.c.status == "done")


def _clarification_from():
    return _k.join(_c, _c.c.id == _k.c.cadre_id).join(_acc, _acc.c.id == _k.c.accusation_id)


def _has_inquiry():
    return exists().where(_i.c.accusation_id == _g.c.accusation_id, _i.c.cadre_id == _g.c.cadre_id,
                          _i.c.withdrawn_at.is_(None))


def _guard_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _g.c.first_on)
    if f is not None and f.get("result") == "prevented":
        conds.append(~_has_inquiry())
    elif f is not None and f.get("result") == "overridden":
        conds.append(_has_inquiry())
    return conds


def _guard_from():
    return _g.join(_c, _c.c.id == _g.c.cadre_id)


def _accusations_section(session: Session, q: StatsQuery, scope: _Scope) -> Section:
    conn = session.connection()
    outcomes = dict(conn.execute(select(_acc.c.outcome, func.count()).select_from(_acc)
                                 .where(*_accusation_where(q, scope)).group_by(_acc.c.outcome)).all())
    received = sum(outcomes.values())
    inquiry_rows = conn.execute(
        select(_i.c.replied_on.is_(None), _i.c.outcome,
               func.sum(case((and_(_i.c.replied_on.is_not(None), _i.c.replied_on > _i.c.due_on), 1), else_=0)),
               func.sum(case((and_(_i.c.replied_on.is_(None), _i.c.due_on < q.today), 1), else_=0)), func.count())
        .select_from(_inquiry_from()).where(*_inquiry_where(q, scope))
        .group_by(_i.c.replied_on.is_(None), _i.c.outcome)).all()
    sent = sum(r[4] for r in inquiry_rows)
    replied_late = sum(int(r[2] or 0) for r in inquiry_rows)
    unanswered_late = sum(int(r[3] or 0) for r in inquiry_rows)
    by_reply: dict[str, int] = defaultdict(int)
    for unanswered, outcome, _l, _u2, n in inquiry_rows:
        by_reply[NONE if unanswered else (outcome or BLANK)] += n
    guard = conn.execute(
        select(func.sum(case((_has_inquiry(), 0), else_=1)), func.sum(case((_has_inquiry(), 1), else_=0)))
        .select_from(_guard_from()).where(*_guard_where(q, scope))).one()
    prevented, overridden = int(guard[0] or 0), int(guard[1] or 0)
    days_rows = conn.execute(
        select(_k.c.id, _k.c.done_on, _acc.c.outcome_on).select_from(_clarification_from())
        .where(*_clarification_where(q, scope))).all()
    days = [(_as_date(done) - _as_date(concluded)).days for _id, done, concluded in days_rows
            if done is not None and concluded is not None]
    false_found = sum(n for o, n in outcomes.items() if o in CLARIFYING_OUTCOMES)
    summary = StatTable("accusations", "举报、函询与澄清正名", "项目", ("件数",), (
        StatRow("收到举报", (received,), (drill("accusation"),)),
        StatRow("发出函询", (sent,), (drill("inquiry"),)),
        StatRow("函询逾期回复", (replied_late,), (drill("inquiry", late="replied"),)),
        StatRow("函询逾期未回复", (unanswered_late,), (drill("inquiry", late="unanswered"),)),
        StatRow("查结为不实（不属实、诬告陷害、错告）", (false_found,), (drill("accusation", outcome="false"),)),
        StatRow("其中：诬告陷害", (outcomes.get(FALSE_ACCUSATION, 0),),
                (drill("accusation", outcome=FALSE_ACCUSATION),)),
        StatRow("完成澄清正名", (len(days_rows),), (drill("clarification"),)),
        StatRow("函询前检查拦下的函询", (prevented,), (drill("guard", result="prevented"),)),
        StatRow("检查未通过、写明理由后仍函询", (overridden,), (drill("guard", result="overridden"),)),
    ), chart="hbar",
        note="举报按收到日期、函询按发函日期、澄清正名按完成日期计入期间；“拦下”指函询前检查未通过、此后也没有登记函询。")

    rows = [StatRow(o, (outcomes.get(o, 0), _share(outcomes.get(o, 0), received)),
                    (drill("accusation", outcome=o),) * 2) for o in OUTCOMES]
    rows.append(StatRow("尚未查结", (outcomes.get(None, 0), _share(outcomes.get(None, 0), received)),
                        (drill("accusation", outcome=NONE),) * 2))
    outcome_table = StatTable("accusation_outcomes", "举报·查核结论", "结论", ("件数", "占比"), tuple(rows),
                              chart="bar", plotted=(0,), shares=(1,), note="期间内收到的举报，按至今的查核结论。")

    rows = [StatRow(o, (by_reply.get(o, 0),), (drill("inquiry", outcome=o),)) for o in REPLY_OUTCOMES]
    if by_reply.get(BLANK):
        rows.append(StatRow("已回复、未填办理结果", (by_reply[BLANK],), (drill("inquiry", outcome=BLANK),)))
    rows.append(StatRow("尚未回复", (by_reply.get(NONE, 0),), (drill("inquiry", outcome=NONE),)))
    reply_table = StatTable("inquiry_outcomes", "函询·办理结果", "办理结果", ("件数",), tuple(rows), chart="hbar")

    months = _months(q.date_from, q.date_to)
    if len(months) <= 36:
        acc_months = dict(_count_by(conn, _acc, _accusation_where(q, scope), _month_key(_acc.c.received_on)))
        inq_months = dict(_count_by(conn, _inquiry_from(), _inquiry_where(q, scope), _month_key(_i.c.sent_on)))
        rows = []
        for start, _end in months:
            key = start.strftime("%Y-%m")
            rows.append(StatRow(key, (acc_months.get(key, 0), inq_months.get(key, 0)),
                                (drill("accusation", month=key), drill("inquiry", month=key))))
        trend = StatTable("accusations_by_month", "举报与函询·按月", "月份", ("收到举报", "发出函询"), tuple(rows),
                          chart="line", plotted=(0, 1))
    else:
        trend = None

    rows = []
    for low, high, label in DAY_BUCKETS:
        n = sum(1 for d in days if d >= low and (high is None or d <= high))
        rows.append(StatRow(label, (n,), (drill("clarification", days_from=low, days_to=high),)))
    note = "从举报查结（结论日期）到澄清正名完成的天数。"
    if days:
        note += f"共 {len(days)} 件，平均 {sum(days) / len(days):.1f} 天，中位 {pystats.median(days):g} 天，最长 {max(days)} 天。"
    if len(days) < len(days_rows):
        note += f"另有 {len(days_rows) - len(days)} 件举报未填结论日期，不计天数。"
    clar = StatTable("clarification_days", "澄清正名·从查结到澄清的天数", "天数", ("件数",), tuple(rows), chart="bar",
                     note=note)
    tables = (summary, outcome_table, reply_table) + ((trend,) if trend else ()) + (clar,)
    return Section("accusations", "举报、函询与澄清正名", tables)


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ----------------------------------------------------------------------------------------------- 表彰


def _commendation_from(with_unit: bool = True):
    """Commendations and their cadres (and units: the grassroots filter and the lists need them, the counts not)."""
    stmt = _m.join(_c, _c.c.id == _m.c.cadre_id)
    return stmt.outerjoin(_u, _u.c.id == _c.c.unit_id) if with_unit else stmt


def _commendation_where(q: StatsQuery, scope: _Scope, f: Drill | None = None) -> list:
    conds = _live(q, scope, _m.c.awarded_on, _m.c.withdrawn_at.is_(None), _m.c.revoked_on.is_(None))
    if f is None:
        return conds
    if f.get("kind"):
        conds.append(_m.c.kind == f.get("kind"))
    level = f.get("level")
    if level == NONE:
        conds.append(func.coalesce(_c.c.post_level, "") == "")
    elif level:
        conds.append(_c.c.post_level == level)
    if f.get("year") is not None:
        conds.append(extract("year", _m.c.awarded_on) == f.get("year"))
    if f.get("honour"):
        conds.append(is_honour(f.get("honour")))
    if f.get("grassroots"):
        conds.append(is_grassroots())
    if f.get("urgent"):
        conds.append(_m.c.urgent_task.is_(True))
    if f.get("double"):
        conds.append(_m.c.double_victory.is_(True))
    return conds


def _commendations_section(session: Session, actor: Actor, q: StatsQuery, scope: _Scope) -> Section:
    from models.services.commendations import grassroots_share

    conn = session.connection()
    level = func.coalesce(_c.c.post_level, "")
    found = _count_by(conn, _commendation_from(False), _commendation_where(q, scope), _m.c.kind, level)
    kinds_order = codes.commendation_kinds(session)
    levels_found = {lv for _k2, lv, _n in found}
    levels = [lv for lv in codes.POST_LEVELS if lv in levels_found] + sorted(
        lv for lv in levels_found if lv and lv not in codes.POST_LEVELS)
    has_blank = "" in levels_found
    cells = {(k, lv): n for k, lv, n in found}
    kinds = [k for k in kinds_order if any((k, lv) in cells for lv in levels_found)] + sorted(
        {k for k, _lv, _n in found} - set(kinds_order))
    columns = tuple(levels) + (("未填职务层次",) if has_blank else ()) + ("合计",)
    rows = []
    for kind in kinds:
        values = [cells.get((kind, lv), 0) for lv in levels]
        drills = [drill("commendation", kind=kind, level=lv) for lv in levels]
        if has_blank:
            values.append(cells.get((kind, ""), 0))
            drills.append(drill("commendation", kind=kind, level=NONE))
        rows.append(StatRow(kind, tuple(values) + (sum(values),), tuple(drills) + (drill("commendation", kind=kind),)))
    by_kind = StatTable("commendations_by_kind", "表彰奖励·按种类和职务层次", "奖励种类", columns, tuple(rows),
                        chart="hbar", plotted=(len(columns) - 1,),
                        note="期间内的奖励（已撤销、已撤回的不计）；职务层次为干部现在的职务层次。")

    target = grassroots_target(session)
    shares = {s.year: s for s in grassroots_share(session, actor, date_from=q.date_from, date_to=q.date_to,
                                                  unit_ids=scope.unit_ids)}
    rows = []
    for y in _years(q):
        s = shares.get(y)
        total, grass = (s.total, s.grassroots) if s else (0, 0)
        rows.append(StatRow(f"{y}年", (total, grass, _share(grass, total), target),
                            (drill("commendation", honour=codes.BAIJIA, year=y),
                             drill("commendation", honour=codes.BAIJIA, year=y, grassroots=True),
                             drill("commendation", honour=codes.BAIJIA, year=y, grassroots=True), None)))
    share_table = StatTable("grassroots_share", f"{codes.BAIJIA}中基层干部的占比", "年度",
                            ("获评人数", "其中基层干部", "基层占比", "目标"), tuple(rows), chart="line", plotted=(2,),
                            shares=(2, 3), target=target,
                            note=f"目标 {target:.0%} 在“设置 → 工作台与考核”中设定；基层干部指本人或所在单位标为基层。")

    flags = conn.execute(
        select(func.sum(case((_m.c.urgent_task.is_(True), 1), else_=0)),
               func.count(func.distinct(case((_m.c.urgent_task.is_(True), _m.c.cadre_id), else_=None))),
               func.sum(case((_m.c.double_victory.is_(True), 1), else_=0)),
               func.count(func.distinct(case((_m.c.double_victory.is_(True), _m.c.cadre_id), else_=None))))
        .select_from(_commendation_from(False)).where(*_commendation_where(q, scope))).one()
    flag_table = StatTable("urgent_double", "急难险重与“双胜利”表彰", "类别", ("表彰次数", "人数"), (
        StatRow("参与急难险重任务", (int(flags[0] or 0), int(flags[1] or 0)),
                (drill("commendation", urgent=True), drill("commendation", urgent=True))),
        StatRow("“双胜利”表现突出", (int(flags[2] or 0), int(flags[3] or 0)),
                (drill("commendation", double=True), drill("commendation", double=True))),
    ), chart="bar", plotted=(0, 1))
    return Section("commendations", "表彰奖励", (by_kind, share_table, flag_table))


# ----------------------------------------------------------------------------------------------- compute


def compute(session: Session, actor: Actor, q: StatsQuery) -> Statistics:
    """Every table of the 统计分析 page for this period and unit (see the module docstring for what is counted)."""
    actor.require("read")
    check_query(q)
    scope = _scope(session, q.unit_id)
    counts = _handling_counts(session, q, scope)
    sections = (
        _handling_section(session, q, scope, counts),
        _quality_section(counts),
        _pipeline_section(session, actor, q, scope),
        _visits_section(session, q, scope),
        _accusations_section(session, q, scope),
        _commendations_section(session, actor, q, scope),
    )
    return Statistics(q, scope.unit_name, sections)


# ----------------------------------------------------------------------------------------------- lists behind


def _handling_list(q, scope, f):
    stmt = (select(_h.c.id, _h.c.cadre_id, _h.c.effective_on, _h.c.regime, _h.c.kind, _h.c.doc_number, _h.c.status,
                   _h.c.organ, _c.c.name, _u.c.name)
            .select_from(_handling_from().outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_handling_where(q, scope, f)).order_by(_h.c.effective_on.desc(), _h.c.id.desc()))

    def make(r) -> DetailRow:
        hid, cid, on, regime, kind, doc, status, organ, name, unit = r
        extra = "".join(f"（{x}）" for x in (doc,) if x)
        state = "" if status == "in_force" else f"，{STATUS_LABELS.get(status, status)}"
        return DetailRow(cid, name, unit or "", on, f"{_kind_label(regime, kind)}{extra}{state}"
                         + (f"；{organ}" if organ else ""), "handling", hid)

    count = select(func.count()).select_from(_handling_from()).where(*_handling_where(q, scope, f))
    return count, stmt, make


def _inquiry_list(q, scope, f):
    stmt = (select(_i.c.id, _i.c.cadre_id, _i.c.sent_on, _i.c.due_on, _i.c.replied_on, _i.c.outcome, _c.c.name,
                   _u.c.name)
            .select_from(_inquiry_from().outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_inquiry_where(q, scope, f)).order_by(_i.c.sent_on.desc(), _i.c.id.desc()))

    def make(r) -> DetailRow:
        iid, cid, sent, due, replied, outcome, name, unit = r
        if replied is None:
            state = f"未回复（应于 {due.isoformat()} 前）"
        else:
            late = (replied - due).days
            state = f"{replied.isoformat()} 回复" + (f"，逾期 {late} 天" if late > 0 else "") + (f"；{outcome}" if outcome else "")
        return DetailRow(cid, name, unit or "", sent, f"函询：{state}", "inquiry", iid)

    count = select(func.count()).select_from(_inquiry_from()).where(*_inquiry_where(q, scope, f))
    return count, stmt, make


def _accusation_list(q, scope, f):
    # one row per accusation: the first subject (lowest id) named, the others counted
    first = (select(_subj.c.accusation_id.label("aid"), func.min(_subj.c.cadre_id).label("cid"),
                    func.count().label("n")).group_by(_subj.c.accusation_id).subquery("first_subject"))
    stmt = (select(_acc.c.id, first.c.cid, _acc.c.received_on, _acc.c.category, _acc.c.outcome, first.c.n,
                   _c.c.name, _u.c.name)
            .select_from(_acc.outerjoin(first, first.c.aid == _acc.c.id).outerjoin(_c, _c.c.id == first.c.cid)
                         .outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_accusation_where(q, scope, f)).order_by(_acc.c.received_on.desc(), _acc.c.id.desc()))

    def make(r) -> DetailRow:
        aid, cid, received, category, outcome, n, name, unit = r
        who = (name or "") + (f"等{n}人" if n and n > 1 else "")
        return DetailRow(cid, who, unit or "", received, f"举报（{category}）：{outcome or '尚未查结'}", "accusation", aid)

    count = select(func.count()).select_from(_acc).where(*_accusation_where(q, scope, f))
    return count, stmt, make


def _clarification_list(q, scope, f):
    stmt = (select(_k.c.id, _k.c.cadre_id, _k.c.done_on, _acc.c.outcome_on, _k.c.methods, _c.c.name, _u.c.name)
            .select_from(_clarification_from().outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_clarification_where(q, scope, f)).order_by(_k.c.done_on.desc(), _k.c.id.desc()))
    low, high = f.get("days_from"), f.get("days_to")

    def keep(r) -> bool:
        if low is None and high is None:
            return True
        if r[2] is None or r[3] is None:
            return False
        d = (_as_date(r[2]) - _as_date(r[3])).days
        return d >= (low or 0) and (high is None or d <= high)

    def make(r) -> DetailRow:
        kid, cid, done, concluded, methods, name, unit = r
        days = f"，查结后 {(_as_date(done) - _as_date(concluded)).days} 天" if done and concluded else ""
        return DetailRow(cid, name, unit or "", done, f"澄清正名完成（{methods or '方式未填'}）{days}", "clarification", kid)

    return None, stmt, make, keep


def _guard_list(q, scope, f):
    stmt = (select(_g.c.id, _g.c.cadre_id, _g.c.first_on, _g.c.accusation_id, _g.c.problems, _c.c.name, _u.c.name)
            .select_from(_guard_from().outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_guard_where(q, scope, f)).order_by(_g.c.first_on.desc(), _g.c.id.desc()))

    def make(r) -> DetailRow:
        gid, cid, on, aid, problems, name, unit = r
        return DetailRow(cid, name, unit or "", on, f"第{aid}号举报，函询前检查未通过：{problems}", "accusation", aid)

    count = select(func.count()).select_from(_guard_from()).where(*_guard_where(q, scope, f))
    return count, stmt, make


def _plan_list(q, scope, f):
    labels = dict(PLAN_STATES)
    state = _plan_state(q.today)
    stmt = (select(_p.c.id, _p.c.cadre_id, _p.c.due_by, _p.c.seq, _p.c.purpose, state, _v.c.visited_on, _c.c.name,
                   _u.c.name)
            .select_from(_plan_from().outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*_plan_where(q, scope, f)).order_by(_p.c.due_by, _p.c.id))

    def make(r) -> DetailRow:
        pid, cid, due, seq, purpose, st, visited, name, unit = r
        done = f"，{visited.isoformat()} 回访" if visited else ""
        return DetailRow(cid, name, unit or "", due, f"第{seq}次回访（{purpose}）应于 {due.isoformat()} 前完成："
                         f"{labels.get(st, st)}{done}", "visit_plan", pid)

    count = select(func.count()).select_from(_plan_from()).where(*_plan_where(q, scope, f))
    return count, stmt, make


def _assessment_list(q, scope, f):
    conds = _assessment_where(q, scope, f)
    if f.get("used"):
        conds.append(_a.c.used_on.is_not(None))
    stmt = (select(_a.c.id, _a.c.cadre_id, _a.c.assessed_on, _a.c.outcome, _a.c.recommendation, _a.c.used_on,
                   _a.c.use_kind, _a.c.used_post, _c.c.name, _u.c.name)
            .select_from(_a.join(_c, _c.c.id == _a.c.cadre_id).outerjoin(_u, _u.c.id == _c.c.unit_id))
            .where(*conds).order_by(_a.c.assessed_on.desc(), _a.c.id.desc()))

    def make(r) -> DetailRow:
        aid, cid, on, outcome, rec, used_on, use_kind, post, name, unit = r
        used = f"；{used_on.isoformat()} {use_kind or ''}任{post or ''}" if used_on else "；尚未登记任用"
        return DetailRow(cid, name, unit or "", on, f"期满考核：{outcome}" + (f"，建议{rec}" if rec else "") + used,
                         "assessment", aid)

    count = select(func.count()).select_from(_a.join(_c, _c.c.id == _a.c.cadre_id)).where(*conds)
    return count, stmt, make


def _came_off_list(session, q, scope, f):
    assessed = dashboard.assessed_since_off(session.get_bind().dialect.name)
    conds = _came_off_where(q, scope) + [assessed if f.get("assessed") else ~assessed]
    stmt = (select(_c.c.id, _c.c.off_date, _c.c.name, _u.c.name)
            .select_from(_c.outerjoin(_u, _u.c.id == _c.c.unit_id)).where(*conds).order_by(_c.c.off_date, _c.c.id))

    def make(r) -> DetailRow:
        cid, off, name, unit = r
        return DetailRow(cid, name, unit or "", off, "影响期满，" + ("已进行期满考核" if f.get("assessed") else "尚未考核"),
                         "cadre", cid)

    count = select(func.count()).select_from(_c).where(*conds)
    return count, stmt, make


def _commendation_list(q, scope, f):
    stmt = (select(_m.c.id, _m.c.cadre_id, _m.c.awarded_on, _m.c.kind, _m.c.honour, _m.c.urgent_task,
                   _m.c.double_victory, _c.c.name, _u.c.name)
            .select_from(_commendation_from()).where(*_commendation_where(q, scope, f))
            .order_by(_m.c.awarded_on.desc(), _m.c.id.desc()))

    def make(r) -> DetailRow:
        mid, cid, on, kind, honour, urgent, double, name, unit = r
        marks = "".join(m for m, flag in (("，急难险重", urgent), ("，双胜利", double)) if flag)
        return DetailRow(cid, name, unit or "", on, f"{kind}" + (f"（{honour}）" if honour and honour != kind else "")
                         + marks, "commendation", mid)

    count = select(func.count()).select_from(_commendation_from()).where(*_commendation_where(q, scope, f))
    return count, stmt, make


def _roster_rows(session: Session, actor: Actor, q: StatsQuery, f: Drill, limit: int | None,
                 offset: int) -> tuple[int, list[DetailRow]]:
    if f.get("mode") == "in_period":
        rq = _roster_query(q, mode=roster.MODE_IN_PERIOD, on=q.today)
    else:
        rq = _roster_query(q, mode=roster.MODE_CAME_OFF, date_from=f.get("date_from", q.date_from),
                           date_to=f.get("date_to", q.date_to))
    total = roster.count(session, actor, rq)
    found = roster.rows(session, actor, rq, limit=limit, offset=offset)
    return total, [DetailRow(r.cadre_id, r.name, r.unit_name, r.off_date, f"影响期满日期 {r.off_date.isoformat()}；"
                             f"{r.handling}" if r.off_date else r.handling, "cadre", r.cadre_id) for r in found]


_LISTS = {
    "handling": _handling_list, "inquiry": _inquiry_list, "accusation": _accusation_list, "guard": _guard_list,
    "visit_plan": _plan_list, "assessment": _assessment_list, "commendation": _commendation_list,
}


def _fetch(session: Session, q: StatsQuery, scope: _Scope, f: Drill, limit: int | None,
           offset: int) -> tuple[int, list[DetailRow]]:
    conn = session.connection()
    if f.figure == "came_off":
        built = _came_off_list(session, q, scope, f)
        params = {"early": dashboard.early_param(session)}
    elif f.figure == "clarification":
        _none, stmt, make, keep = _clarification_list(q, scope, f)
        rows = [make(r) for r in conn.execute(stmt).all() if keep(r)]
        return len(rows), rows[offset:None if limit is None else offset + limit]
    elif f.figure in _LISTS:
        built, params = _LISTS[f.figure](q, scope, f), {}
    else:
        raise ValidationError(f"没有名为“{f.figure}”的统计明细。", "figure")
    count, stmt, make = built
    total = conn.execute(count, params).scalar_one()
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return total, [make(r) for r in conn.execute(stmt, params).all()]


def list_behind(session: Session, actor: Actor, q: StatsQuery, which: Drill, *, limit: int | None = 500,
                offset: int = 0) -> tuple[int, list[DetailRow]]:
    """(how many, one page of rows) behind a number of `compute` — the same conditions that counted it."""
    actor.require("read")
    check_query(q)
    if which.figure == "roster":
        return _roster_rows(session, actor, q, which, limit, offset)
    scope = _scope(session, q.unit_id)
    if which.figure == "form":
        return _form_rows(session, q, scope, which, limit, offset)
    return _fetch(session, q, scope, which, limit, offset)


def _form_rows(session: Session, q: StatsQuery, scope: _Scope, f: Drill, limit: int | None,
               offset: int) -> tuple[int, list[DetailRow]]:
    """A 四种形态 number: the decisions of the kinds in that form and, for the first form, the 函询 sent."""
    year = f.get("year")
    parts = [drill("handling", form=f.get("form"), year=year)]
    if f.get("form") == four_forms().inquiry_form:
        parts.append(drill("inquiry", year=year))
    total, rows = 0, []
    for part in parts:
        n, found = _fetch(session, q, scope, part, None, 0)
        total += n
        rows.extend(found)
    rows.sort(key=lambda r: (r.when or date.min), reverse=True)
    return total, rows[offset:None if limit is None else offset + limit]


def count_behind(session: Session, actor: Actor, q: StatsQuery, which: Drill) -> int:
    return list_behind(session, actor, q, which, limit=0)[0]


def iter_cells(stats: Statistics) -> Iterable[tuple[StatTable, StatRow, int]]:
    """Every (table, row, column) that holds a number with a list behind it."""
    for s in stats.sections:
        for t in s.tables:
            for r in t.rows:
                for col, d in enumerate(r.drills):
                    if d is not None and r.values[col] is not None:
                        yield t, r, col
