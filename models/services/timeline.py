"""A person's timeline (the cadre page's 时间线): each restriction as a bar from its start to its off date, the
decisions, reviews, visits and expiry assessments as marks, in plain words that need no knowledge of the rules.

Plain rows out; the restrictions are the stored ones (derived by the engine on every write, overrides included),
so the bars show exactly the dates the handling tab and the rosters show. Withdrawn records are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.core.errors import NotFoundError
from models.entities import Cadre, ExpiryAssessment, Handling, Restriction, Review, Visit, VisitPlan
from models.rules import rule_table as rt
from models.services.handling.register import STATUS_LABELS, short_label

DECISION, REVIEW, VISIT, PLANNED_VISIT, ASSESSMENT = "decision", "review", "visit", "planned_visit", "assessment"
REVIEW_WORDS = {"upheld": "维持原决定", "revoked": "撤销原决定", "changed": "变更原决定"}


@dataclass(frozen=True)
class TimelineBar:
    """One restriction: `start` … `end` (the off date, the first free day; None = no end: permanent)."""

    handling_id: int
    decision: str  # 政务记过（某监〔2024〕3号）
    short: str  # 政务记过
    kind: str  # NO_PROMOTION …
    what: str  # 不得提拔/晋升
    start: date
    end: date | None
    last_day: date | None
    status: str  # of the decision: in_force / changed / revoked …
    overridden: bool

    def running(self, today: date) -> bool:
        return self.start <= today and (self.end is None or today < self.end)

    def text(self, today: date) -> str:
        """The bar in words: what, from when to when, and where it stands today."""
        until = f"至 {self.last_day.isoformat()}（{self.end.isoformat()} 起不再受限）" if self.end and self.last_day \
            else "，长期"
        if self.start > today:
            state = "尚未开始"
        elif self.running(today):
            state = f"今天仍在限制期内，还有 {(self.end - today).days} 天" if self.end else "今天仍在限制期内"
        else:
            state = "已结束"
        extra = "" if self.status == "in_force" else f"；原决定{STATUS_LABELS.get(self.status, self.status)}"
        return f"{self.what}（{self.decision}）：{self.start.isoformat()} 起{until}，{state}{extra}" + \
            ("；最后一日经人工修改" if self.overridden else "")


@dataclass(frozen=True)
class TimelineMark:
    on: date
    kind: str  # DECISION / REVIEW / VISIT / PLANNED_VISIT / ASSESSMENT
    text: str
    handling_id: int | None


@dataclass(frozen=True)
class TimelineDecision:
    handling_id: int
    short: str  # 政务记过
    effective_on: date
    status: str
    status_label: str


@dataclass(frozen=True)
class Timeline:
    cadre_id: int
    today: date
    bars: tuple[TimelineBar, ...]
    marks: tuple[TimelineMark, ...]
    decisions: tuple[TimelineDecision, ...] = ()

    @property
    def span(self) -> tuple[date, date] | None:
        """The first and last day worth drawing (today included); None when there is nothing to draw."""
        days = [b.start for b in self.bars] + [b.end for b in self.bars if b.end] + [m.on for m in self.marks]
        if not days:
            return None
        return min(days + [self.today]), max(days + [self.today])


def person_timeline(session: Session, actor: Actor, cadre_id: int, today: date) -> Timeline:
    actor.require("read")
    if session.get(Cadre, cadre_id) is None:
        raise NotFoundError(f"找不到第{cadre_id}号干部。")
    h, r = Handling.__table__, Restriction.__table__
    decisions = session.execute(
        select(h.c.id, h.c.regime, h.c.kind, h.c.effective_on, h.c.doc_number, h.c.status, h.c.organ)
        .where(h.c.cadre_id == cadre_id, h.c.withdrawn_at.is_(None)).order_by(h.c.effective_on, h.c.id)).all()
    shorts = {d.id: short_label(d.regime, d.kind) for d in decisions}
    names = {d.id: shorts[d.id] + (f"（{d.doc_number}）" if d.doc_number else "") for d in decisions}
    status = {d.id: d.status for d in decisions}
    bars = [
        TimelineBar(handling_id=x.handling_id, decision=names[x.handling_id], short=shorts[x.handling_id], kind=x.kind,
                    what=rt.restriction_label(x.kind), start=x.start, end=x.off_date, last_day=x.last_day,
                    status=status[x.handling_id], overridden=x.override_last_day is not None)
        for x in session.execute(
            select(r.c.handling_id, r.c.kind, r.c.start, r.c.off_date, r.c.last_day, r.c.override_last_day)
            .where(r.c.cadre_id == cadre_id, r.c.handling_id.in_(list(names)))
            .order_by(r.c.start, r.c.handling_id, r.c.id)).all()
    ]
    marks = [TimelineMark(d.effective_on, DECISION, f"{names[d.id]}生效" + (f"（{d.organ}）" if d.organ else ""), d.id)
             for d in decisions]
    v, p, a, rv = Review.__table__, VisitPlan.__table__, ExpiryAssessment.__table__, Visit.__table__
    for x in session.execute(select(v.c.handling_id, v.c.track, v.c.decided_on, v.c.outcome, v.c.new_kind)
                             .where(v.c.handling_id.in_(list(names)), v.c.withdrawn_at.is_(None))).all():
        new = ""
        if x.outcome == "changed" and x.new_kind:
            regime = next(d.regime for d in decisions if d.id == x.handling_id)
            new = f"为{short_label(regime, x.new_kind)}"
        marks.append(TimelineMark(x.decided_on, REVIEW, f"{x.track}：{REVIEW_WORDS.get(x.outcome, x.outcome)}{new}"
                                  f"（{names[x.handling_id]}）", x.handling_id))
    for x in session.execute(select(rv.c.handling_id, rv.c.visited_on, rv.c.form, rv.c.seq)
                             .where(rv.c.cadre_id == cadre_id, rv.c.withdrawn_at.is_(None))).all():
        marks.append(TimelineMark(x.visited_on, VISIT, f"第{x.seq or '?'}次回访（{x.form}）", x.handling_id))
    for x in session.execute(select(p.c.handling_id, p.c.due_by, p.c.seq, p.c.purpose)
                             .where(p.c.cadre_id == cadre_id, p.c.status == "planned", p.c.due_by >= today)).all():
        if x.handling_id in names:
            marks.append(TimelineMark(x.due_by, PLANNED_VISIT, f"计划第{x.seq}次回访（{x.purpose}），应于此日前完成",
                                      x.handling_id))
    for x in session.execute(select(a.c.handling_id, a.c.assessed_on, a.c.outcome, a.c.used_on, a.c.used_post)
                             .where(a.c.cadre_id == cadre_id, a.c.withdrawn_at.is_(None))).all():
        marks.append(TimelineMark(x.assessed_on, ASSESSMENT, f"影响期满考核：{x.outcome}", x.handling_id))
        if x.used_on:
            marks.append(TimelineMark(x.used_on, ASSESSMENT, f"考核后任用：{x.used_post or ''}", x.handling_id))
    marks.sort(key=lambda m: (m.on, m.kind))
    kept = tuple(TimelineDecision(d.id, shorts[d.id], d.effective_on, d.status, STATUS_LABELS.get(d.status, d.status))
                 for d in decisions)
    return Timeline(cadre_id, today, tuple(bars), tuple(marks), kept)
