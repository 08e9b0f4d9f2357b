"""The texts of the 任免表 built from the records: 奖惩情况 (commendations and handling in force) and 年度考核结果."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import Commendation, Handling


def _ym(d: date) -> str:
    return f"{d.year}年{d.month}月"


def _commendation_phrase(kind: str, honour: str | None, organ: str | None) -> str:
    by = f"被{organ}" if organ else "被"
    if kind == "授予称号":
        return f"{by}授予“{honour or '荣誉'}”称号"
    if kind in ("嘉奖", "记三等功", "记二等功", "记一等功"):
        return f"{by}{kind}" if organ else f"获{kind}" if kind == "嘉奖" else kind
    if kind == "通报表扬":
        return f"受到{organ}通报表扬" if organ else "受到通报表扬"
    title = honour or kind
    return f"{by}评为“{title}”"


def _handling_phrase(regime: str, kind: str, organ: str | None) -> str:
    from models.rules import rule_table

    label = rule_table.kind_label(regime, kind)
    by = organ or ""
    if regime == "party":
        text = f"党内{label}处分" if label in ("警告", "严重警告") else f"{label}处分"
        return f"受到{by}{text}"
    if regime == "gov":
        return f"受到{by}政务{label}处分"
    if regime == "inst":
        return f"受到{by}{label}处分"
    if regime == "admonish":
        return f"被{by}诫勉" if by else "被诫勉"
    return f"受到{by}{label}组织处理" if not label.endswith("辞职") else f"被{by}{label}"


def rewards_and_sanctions_text(session: Session, cadre_id: int) -> str:
    """The 奖惩情况 of the 任免表 from the records: commendations (not revoked, not withdrawn) and handling in
    force (as changed by a review; revoked or withdrawn ones left out), in date order; "无" when none."""
    items: list[tuple[date, int, str]] = []
    for r in session.execute(
        select(Commendation.awarded_on, Commendation.kind, Commendation.honour, Commendation.organ, Commendation.id)
        .where(Commendation.cadre_id == cadre_id, Commendation.withdrawn_at.is_(None), Commendation.revoked_on.is_(None))
    ):
        items.append((r.awarded_on, r.id, f"{_ym(r.awarded_on)}{_commendation_phrase(r.kind, r.honour, r.organ)}"))
    from models.derived.restrictions import effective_review

    for h in session.execute(
        select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None))
    ).scalars():
        if h.status in ("revoked", "not_executed"):
            continue
        rev = effective_review(h.reviews)
        if rev is not None and rev.outcome == "revoked":
            continue
        kind = rev.kind if rev is not None and rev.outcome == "changed" and rev.kind else h.kind
        items.append((h.effective_on, 1_000_000 + h.id, f"{_ym(h.effective_on)}{_handling_phrase(h.regime, kind, h.organ)}"))
    if not items:
        return "无"
    items.sort()
    return "；".join(t for _d, _i, t in items) + "。"


def annual_assessment_text(assessments: Sequence[tuple[int, str]]) -> str:
    """年度考核结果 of the 任免表: the last three years, e.g. "2022年度、2023年度考核称职，2024年度考核优秀"."""
    last = sorted(assessments)[-3:]
    if not last:
        return ""
    groups: list[tuple[list[int], str]] = []
    for year, grade in last:
        if groups and groups[-1][1] == grade:
            groups[-1][0].append(year)
        else:
            groups.append(([year], grade))
    parts = []
    for years, grade in groups:
        ys = "、".join(f"{y}年度" for y in years)
        parts.append(f"{ys}{'考核' + grade if grade != '不定等次' else '考核不定等次'}")
    return "，".join(parts)
