"""设置 → 回访规则: the local visit rule, the 回访评价 and 意见建议 lists."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.rules.visit_plan import rule_from_json
from models.derived.visit_plans import sync_all


def evaluations(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "visits.evaluations") or []] or ["好", "一般", "较差"]


def recommendations(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "visits.recommendations") or []]


def save_settings(session: Session, actor: Actor, rule: dict, evaluation_list: Sequence[str],
                  recommendation_list: Sequence[str], today: date, progress=None) -> int:
    """设置 → 回访规则: validate and store, then refresh every cadre's plans. Returns the cadres refreshed."""
    actor.require("admin")
    parsed = rule_from_json(rule)
    evals = _clean_list(evaluation_list, "回访评价")
    recs = _clean_list(recommendation_list, "意见建议", allow_empty=True)
    settings_store.put(session, actor, "visits.rule", parsed.to_json())
    settings_store.put(session, actor, "visits.evaluations", evals)
    settings_store.put(session, actor, "visits.recommendations", recs)
    return sync_all(session, today, progress)


def _clean_list(values: Sequence[str], label: str, allow_empty: bool = False) -> list[str]:
    out: list[str] = []
    for v in values:
        text = (v or "").strip()
        if text and text not in out:
            if len(text) > 20:
                raise ValidationError(f"“{label}”中的“{text}”太长（最多 20 个字）。请改短。", label)
            out.append(text)
    if not out and not allow_empty:
        raise ValidationError(f"“{label}”至少要有一项，例如“好”“一般”“较差”。", label)
    return out
