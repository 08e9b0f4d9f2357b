"""Date arithmetic of impact periods (domain §7.2): pure functions, no clock.

C1: the effective date E is day 1 of the period.
C2 (default): T = the day with E's day number n months later; last day L = T - 1 and off date O = T when T
exists, otherwise L = the last day of the target month and O = L + 1.
ALT_A: clamp T to the target month's end (what dateutil.relativedelta does), then L = T - 1, O = T; this ends
one day earlier than C2 exactly when E's day number does not exist in the target month.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

MONTH_END_MODES = ("C2", "ALT_A")

_ONE_DAY = timedelta(days=1)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def period_end(start: date, months: int, month_end: str = "C2") -> tuple[date, date]:
    """(last_day, off_date) of a period of `months` months whose first day is `start`."""
    if months < 0:
        raise ValueError(f"months must be >= 0, got {months}")
    if months == 0:
        return start - _ONE_DAY, start
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    dim = days_in_month(year, month)
    if start.day <= dim:
        off = date(year, month, start.day)
        return off - _ONE_DAY, off
    if month_end == "C2":
        last = date(year, month, dim)
        return last, last + _ONE_DAY
    if month_end == "ALT_A":
        off = date(year, month, dim)
        return off - _ONE_DAY, off
    raise ValueError(f"unknown month_end mode {month_end!r}")


@lru_cache(maxsize=1 << 16)
def cn_date(d: date | None) -> str:
    """2024-04-01 -> '2024年4月1日' (公文 style, no leading zeros); None -> ''. Cached: the engine calls it a lot."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Small non-negative integers in Chinese: 6 -> 六, 12 -> 十二, 24 -> 二十四, 48 -> 四十八, 100+ -> digits."""
    if 0 <= n < 100:
        return _CN_NUMBERS[n]
    return str(n)


def _cn_number(n: int) -> str:
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


_CN_NUMBERS = tuple(_cn_number(i) for i in range(100))
