"""The local 回访教育 plan rule (domain §2.2) and the pure function that turns one decision into planned visits.

No national regulation fixes the schedule, so the rule is a setting an administrator edits (设置 → 回访规则),
stored as JSON under "visits.rule". Defaults (the common local pattern of domain §2.2):

- a first 谈心谈话 within `first_talk_days` days after the decision takes effect (day 0 = the effective date);
- `mid_visits` visit(s) during the period, each in a window of ± `mid_window_days` days around an even split
  of the period (one visit: around its middle);
- for heavier kinds (`heavy_kinds`: 撤销党内职务 and above, 降级/撤职 and above …) `heavy_extra` more visits
  during the period, the split made finer;
- one visit in the last `final_months` month(s) before the off date (window: off date − 1 month … last day);
- 留党察看: one visit in the last month of the probation, before party rights are restored (沾益 practice), and
  the visits during the period are placed in the impact period after the restoration;
- which kinds are covered (`covered`, "regime.kind" codes): by default every party / government / institution
  sanction and every 组织处理 except 停职检查; 诫勉 is off by default (a first-form measure) and can be added.

`plan_for(facts, restrictions, rule)` is pure: the facts of one decision (its kind after any review, its status
and effective date) and its derived restrictions in, the planned visits out. `models/derived/visit_plans.py` stores
them and keeps them in step with the engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Protocol, Sequence, cast

from models.rules import rule_table as rt
from models.core.errors import ValidationError
from models.rules.period_math import days_in_month

ACTIVE_STATUSES = ("in_force", "changed")
PROBATION_KINDS = ("party.probation_1y", "party.probation_2y")

# plan codes, in the order they are shown when two plans fall due on the same day
CODE_ORDER = ("first", "restore", "mid1", "mid2", "mid3", "mid4", "mid5", "mid6", "mid7", "mid8", "mid9", "final")
PURPOSE_FIRST = "首次谈话"
PURPOSE_MID = "期中回访"
PURPOSE_RESTORE = "恢复党员权利前回访"
PURPOSE_FINAL = "期满前回访"

DEFAULT_HEAVY = (
    "party.removal_from_party_post", "party.probation_1y", "party.probation_2y", "party.expulsion",
    "gov.demotion", "gov.dismissal", "gov.expulsion", "inst.post_grade_lowered", "inst.dismissal", "inst.expulsion",
)
DEFAULT_COVERED = tuple(
    f"{r}.{k}" for r in ("party", "gov", "inst", "org") for k in rt.kinds_of(r) if (r, k) != ("org", "suspension")
)

LIMITS = {  # key → (min, max, Chinese label)
    "first_talk_days": (1, 365, "首次谈话期限（天）"),
    "mid_visits": (0, 6, "影响期内回访次数"),
    "mid_window_days": (0, 180, "期中回访时间窗（前后各多少天）"),
    "final_months": (1, 6, "期满前回访提前月数"),
    "heavy_extra": (0, 3, "较重处分增加的回访次数"),
}


def all_kind_codes() -> list[tuple[str, str]]:
    """("party.warning", "党纪处分·警告") for every kind of the rule table, in table order."""
    return [(f"{r}.{k}", rt.full_label(r, k)) for r in rt.REGIMES for k in rt.kinds_of(r)]


@dataclass(frozen=True)
class VisitRule:
    first_talk_days: int = 30
    mid_visits: int = 1
    mid_window_days: int = 30
    final_visit: bool = True
    final_months: int = 1
    before_restoration: bool = True
    heavy_extra: int = 1
    heavy_kinds: frozenset[str] = field(default_factory=lambda: frozenset(DEFAULT_HEAVY))
    covered: frozenset[str] = field(default_factory=lambda: frozenset(DEFAULT_COVERED))

    def to_json(self) -> dict[str, Any]:
        order = [c for c, _ in all_kind_codes()]
        return {
            "first_talk_days": self.first_talk_days, "mid_visits": self.mid_visits,
            "mid_window_days": self.mid_window_days, "final_visit": self.final_visit,
            "final_months": self.final_months, "before_restoration": self.before_restoration,
            "heavy_extra": self.heavy_extra,
            "heavy_kinds": [c for c in order if c in self.heavy_kinds],
            "covered": [c for c in order if c in self.covered],
        }

    def covers(self, regime: str, kind: str) -> bool:
        return f"{regime}.{kind}" in self.covered

    def is_heavy(self, regime: str, kind: str) -> bool:
        return f"{regime}.{kind}" in self.heavy_kinds


def rule_from_json(value: Any) -> VisitRule:
    """The stored JSON → a VisitRule; ValidationError naming the setting that is wrong. Missing keys: default."""
    if value is None:
        return VisitRule()
    if not isinstance(value, dict):
        raise ValidationError("回访规则的格式不对（应为 JSON 对象）。请在“设置 → 回访规则”中重新保存。", "visits.rule")
    base = VisitRule()
    values: dict[str, Any] = {}
    for key, (lo, hi, label) in LIMITS.items():
        raw = value.get(key, getattr(base, key))
        if isinstance(raw, bool) or not isinstance(raw, int) or not lo <= raw <= hi:
            raise ValidationError(f"“{label}”应为 {lo} 到 {hi} 之间的整数，现为“{raw}”。请改正后保存。", key)
        values[key] = raw
    for key, label in (("final_visit", "期满前回访"), ("before_restoration", "恢复党员权利前回访")):
        raw = value.get(key, getattr(base, key))
        if not isinstance(raw, bool):
            raise ValidationError(f"“{label}”应为是或否，现为“{raw}”。", key)
        values[key] = raw
    known = {c for c, _ in all_kind_codes()}
    for key, label in (("heavy_kinds", "较重处分的种类"), ("covered", "纳入回访的种类")):
        raw = value.get(key, sorted(getattr(base, key)))
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise ValidationError(f"“{label}”应为种类代码的列表。", key)
        unknown = [x for x in raw if x not in known]
        if unknown:
            raise ValidationError(f"“{label}”中有不认识的种类代码：{'、'.join(unknown)}。可用的代码见“设置 → 回访规则”。", key)
        values[key] = frozenset(raw)
    return VisitRule(**values)


# ----------------------------------------------------------------------------------------------- facts in


@dataclass(frozen=True)
class HandlingFacts:
    """One decision as the engine sees it now: `kind` is the kind in force (the new kind after a changed review)."""

    regime: str
    kind: str
    effective: date
    status: str = "in_force"
    withdrawn: bool = False

    @property
    def code(self) -> str:
        return f"{self.regime}.{self.kind}"


class RestrictionLike(Protocol):
    kind: str
    start: date
    last_day: date | None
    off_date: date | None


@dataclass(frozen=True)
class PlannedVisit:
    seq: int
    code: str
    purpose: str
    due_from: date | None
    due_by: date
    note: str = ""


# ----------------------------------------------------------------------------------------------- date helpers


def add_months(d: date, months: int) -> date:
    """The same day `months` months later (or earlier); clamped to the month's last day."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def period_off_date(restrictions: Iterable[RestrictionLike]) -> date | None:
    """The decision's off date: latest off date of its promotion-type restrictions, else of any restriction."""
    rs = list(restrictions)
    offs = [r.off_date for r in rs if r.kind in rt.OFF_DATE_KINDS and r.off_date is not None]
    if not offs:
        offs = [r.off_date for r in rs if r.off_date is not None]
    return max(offs) if offs else None


def restoration_date(restrictions: Iterable[RestrictionLike]) -> date | None:
    """留党察看: the day party rights are restored = the off date of NO_VOTE_ELECT."""
    offs = [r.off_date for r in restrictions if r.kind == "NO_VOTE_ELECT" and r.off_date is not None]
    return max(offs) if offs else None


# ----------------------------------------------------------------------------------------------- the rule


def why_no_plans(facts: HandlingFacts, rule: VisitRule) -> str | None:
    """A Chinese sentence when the decision gets no visits at all (the note of a cancelled plan); else None."""
    if facts.withdrawn:
        return "该处理处分记录已撤回，回访计划取消。"
    if facts.status == "revoked":
        return "处分决定已撤销，回访计划取消。"
    if facts.status == "not_executed":
        return "该处分与其他处分合并处理、不单独执行，由执行的处分安排回访。"
    if facts.status == "superseded":
        return "该处分已被开除党籍取代，回访计划取消。"
    if facts.status not in ACTIVE_STATUSES:
        return f"处分状态为“{facts.status}”，不安排回访。"
    if not rule.covers(facts.regime, facts.kind):
        return f"“{rt.full_label(facts.regime, facts.kind)}”不在回访范围内（设置 → 回访规则）。"
    return None


def plan_for(facts: HandlingFacts, restrictions: Sequence[RestrictionLike], rule: VisitRule) -> list[PlannedVisit]:
    """The visits one decision needs under `rule`, numbered by due date. [] when why_no_plans() says so."""
    if why_no_plans(facts, rule) is not None:
        return []
    e = facts.effective
    off = period_off_date(restrictions)
    last = off - timedelta(days=1) if off is not None else None
    label = rt.full_label(facts.regime, facts.kind)
    items: list[tuple[str, str, date, date, str]] = []  # code, purpose, from, by, note

    first_by = e + timedelta(days=rule.first_talk_days)
    if last is not None and first_by > last:
        first_by = last
    items.append(("first", PURPOSE_FIRST, e, first_by,
                  f"决定生效后 {rule.first_talk_days} 天内进行首次谈心谈话。"))
    floor = first_by  # later windows start after this day

    mid_start = e
    restore = restoration_date(restrictions) if facts.code in PROBATION_KINDS else None
    if restore is not None and rule.before_restoration and restore > floor + timedelta(days=1):
        r_by = restore - timedelta(days=1)
        r_from = max(add_months(restore, -1), floor + timedelta(days=1))
        items.append(("restore", PURPOSE_RESTORE, r_from, r_by,
                      "留党察看期满、恢复党员权利前一个月内回访，听取所在单位意见。"))
        floor = r_by
        mid_start = restore

    final_from: date | None = None
    if off is not None and rule.final_visit and cast(date, last) > floor:  # with an off date there is a last day
        final_from = max(add_months(off, -rule.final_months), floor + timedelta(days=1))
        items.append(("final", PURPOSE_FINAL, final_from, cast(date, last),
                      f"影响期（处分期）满前 {rule.final_months} 个月内回访，了解期间表现。"))

    heavy = rule.is_heavy(facts.regime, facts.kind)
    count = rule.mid_visits + (rule.heavy_extra if heavy else 0)
    if off is not None and count > 0:
        ceiling = (final_from - timedelta(days=1)) if final_from is not None else cast(date, last)
        span = (off - mid_start).days
        window = timedelta(days=rule.mid_window_days)
        lo = floor + timedelta(days=1)
        n = 0
        for j in range(1, count + 1):
            centre = mid_start + timedelta(days=round(span * j / (count + 1)))
            w_from, w_by = max(centre - window, lo), min(centre + window, ceiling)
            if w_from > w_by:
                continue
            n += 1
            note = "影响期（处分期）内回访。"
            if heavy and rule.heavy_extra:
                note = f"“{label}”属较重的处分，影响期内增加 {rule.heavy_extra} 次回访。"
            items.append((f"mid{n}", PURPOSE_MID, w_from, w_by, note))
            lo = w_by + timedelta(days=1)

    items.sort(key=lambda it: (it[3], CODE_ORDER.index(it[0])))
    return [PlannedVisit(seq=i, code=c, purpose=p, due_from=f, due_by=b, note=nt)
            for i, (c, p, f, b, nt) in enumerate(items, 1)]
