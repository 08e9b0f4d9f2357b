"""Working days with the official holiday and 调休 calendar (domain §7.2 C9): pure, no storage.

A year's schedule is {"year", "source", "holidays": [{"name", "from", "to"}], "workdays": ["YYYY-MM-DD", …]}.
A weekday is a working day unless it falls in a holiday; a weekend day is a rest day unless it is a make-up working
day (调休上班).

Working-day limits (15 working days for a 函询 reply) are counted from the next working day after the day of
receipt: that day is working day 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


from models.core.errors import ValidationError


MAX_WORKING_DAYS = 366


@dataclass(frozen=True)
class Calendar:
    """Rest days and make-up working days, and the years whose official schedule is known."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def knows(self, year: int) -> bool:
        return year in self.years


def add_working_days(start: date, n: int, calendar: Calendar) -> date:
    """The n-th working day after `start` (the day of receipt is not counted; C9)."""
    if n < 1 or n > MAX_WORKING_DAYS:
        raise ValidationError(f"工作日数应在1到{MAX_WORKING_DAYS}之间，现为{n}。", "n")
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        if calendar.is_working_day(d):
            counted += 1
    return d


def working_days_between(start: date, end: date, calendar: Calendar) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if calendar.is_working_day(d):
            count += 1
    return count


def calendar_from(schedules_by_year: dict[int, dict[str, Any]]) -> Calendar:
    holidays: set[date] = set()
    workdays: set[date] = set()
    for sched in schedules_by_year.values():
        for h in sched.get("holidays", []):
            d, last = date.fromisoformat(h["from"]), date.fromisoformat(h["to"])
            while d <= last:
                holidays.add(d)
                d += timedelta(days=1)
        workdays.update(date.fromisoformat(w) for w in sched.get("workdays", []))
    return Calendar(frozenset(holidays), frozenset(workdays), frozenset(schedules_by_year))


def validate_schedule(year: int, value: Any) -> dict[str, Any]:
    """Check an edited schedule: dates inside (or next to) the year, ranges in order, make-up days on weekends."""
    if not isinstance(value, dict):
        raise ValidationError(f"{year}年的节假日安排格式不对。", "holidays")
    clean_h: list[dict[str, Any]] = []
    for i, h in enumerate(value.get("holidays", []), 1):
        name = str(h.get("name", "")).strip()
        if not name:
            raise ValidationError(f"{year}年第{i}个假期没有名称。请填写，如“春节”。", "holidays")
        try:
            a, b = date.fromisoformat(str(h["from"])), date.fromisoformat(str(h["to"]))
        except (KeyError, ValueError):
            raise ValidationError(f"{year}年“{name}”的起止日期不是有效日期，应写成2024-02-10。", "holidays") from None
        if b < a:
            raise ValidationError(f"{year}年“{name}”的结束日期早于开始日期。请改正。", "holidays")
        if (b - a).days > 15:
            raise ValidationError(f"{year}年“{name}”超过16天，请核对起止日期。", "holidays")
        if abs(a.year - year) > 1 or abs(b.year - year) > 1:
            raise ValidationError(f"“{name}”的日期不在{year}年前后。请核对年份。", "holidays")
        clean_h.append({"name": name, "from": a.isoformat(), "to": b.isoformat()})
    clean_w: list[str] = []
    for w in value.get("workdays", []):
        try:
            d = date.fromisoformat(str(w))
        except ValueError:
            raise ValidationError(f"调休上班日“{w}”不是有效日期，应写成2024-02-04。", "workdays") from None
        if d.weekday() < 5:
            raise ValidationError(
                f"{d.isoformat()}是星期{'一二三四五'[d.weekday()]}，本来就是工作日，不是调休上班日。请核对。", "workdays")
        if abs(d.year - year) > 1:
            raise ValidationError(f"调休上班日{d.isoformat()}不在{year}年前后。请核对年份。", "workdays")
        if d.isoformat() not in clean_w:
            clean_w.append(d.isoformat())
    return {"year": year, "source": str(value.get("source", "") or "本单位修改"),
            "holidays": clean_h, "workdays": sorted(clean_w)}
