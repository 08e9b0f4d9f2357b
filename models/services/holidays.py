"""The holiday and 调休 schedules (domain §7.2 C9): stored settings and the shipped State Council schedules.

A year's schedule is the setting "holidays.<year>" and, when an office has not edited it, the State Council
schedule shipped in resources/holidays/<year>.json. The calendar arithmetic is models/rules/calendar.py.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.entities import Setting
from models.core.errors import ValidationError
from models.core.paths import RESOURCES_DIR
from models.rules.calendar import Calendar, calendar_from, validate_schedule


HOLIDAYS_DIR: Path = RESOURCES_DIR / "holidays"
SETTING_PREFIX = "holidays."


@lru_cache(maxsize=None)
def _shipped(year: int) -> str | None:
    path = HOLIDAYS_DIR / f"{year}.json"
    return path.read_text(encoding="utf-8") if path.exists() else None


def shipped_years() -> list[int]:
    return sorted(int(p.stem) for p in HOLIDAYS_DIR.glob("*.json") if p.stem.isdigit())


def shipped_schedule(year: int) -> dict | None:
    """The State Council schedule shipped with the program, or None for a year we do not have."""
    text = _shipped(year)
    return None if text is None else json.loads(text)


def setting_key(year: int) -> str:
    return f"{SETTING_PREFIX}{year}"


def schedules(session: Session) -> dict[int, dict]:
    """Every known year: the office's edited schedule where there is one, else the shipped one."""
    result: dict[int, dict] = {}
    for year in shipped_years():
        sched = shipped_schedule(year)
        if sched is not None:
            result[year] = sched
    for row in session.execute(select(Setting).where(Setting.key.startswith(SETTING_PREFIX))).scalars():
        suffix = row.key[len(SETTING_PREFIX):]
        if suffix.isdigit() and isinstance(row.value, dict):
            result[int(suffix)] = row.value
    return result


def load_calendar(session: Session) -> Calendar:
    return calendar_from(schedules(session))


def save_schedule(session: Session, actor: Actor, year: int, value: dict) -> dict:
    """Save an office's schedule for one year (administrators), audited."""
    actor.require("admin")
    if year < 2000 or year > 2100:
        raise ValidationError(f"年份{year}不在2000至2100之间。", "year")
    clean = validate_schedule(year, value)
    key = setting_key(year)
    row = session.get(Setting, key)
    before = None if row is None else row.value
    if row is None:
        row = Setting(key=key)
        session.add(row)
    row.value = clean
    row.updated_by = actor.username
    session.flush()
    audit.record(session, actor, "setting", "setting", key, before={"value": before}, after={"value": clean},
                 summary=f"修改{year}年节假日与调休安排")
    return clean


def reset_schedule(session: Session, actor: Actor, year: int) -> dict | None:
    """Drop the office's edit so that the shipped schedule applies again (returns it)."""
    actor.require("admin")
    row = session.get(Setting, setting_key(year))
    if row is not None:
        before = row.value
        session.delete(row)  # a setting override, not a record: removing it restores the default
        session.flush()
        audit.record(session, actor, "setting", "setting", setting_key(year), before={"value": before},
                     after={"value": None}, summary=f"{year}年节假日安排恢复为国务院公布的安排")
    return shipped_schedule(year)
