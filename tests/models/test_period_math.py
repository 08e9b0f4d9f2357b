"""Date arithmetic of domain §7.2 (C2 and Alternative A) and the 公文 date format."""
from datetime import date

import pytest

from models.rules.period_math import cn_date, cn_number, days_in_month, period_end

D = date.fromisoformat

# (effective, months, C2 last, C2 off, ALT_A last, ALT_A off)
CASES = [
    ("2024-03-15", 12, "2025-03-14", "2025-03-15", "2025-03-14", "2025-03-15"),
    ("2024-03-15", 18, "2025-09-14", "2025-09-15", "2025-09-14", "2025-09-15"),
    ("2024-01-31", 6, "2024-07-30", "2024-07-31", "2024-07-30", "2024-07-31"),  # July has a 31st
    ("2023-08-31", 6, "2024-02-29", "2024-03-01", "2024-02-28", "2024-02-29"),  # leap February
    ("2022-08-31", 6, "2023-02-28", "2023-03-01", "2023-02-27", "2023-02-28"),  # common February
    ("2023-12-31", 6, "2024-06-30", "2024-07-01", "2024-06-29", "2024-06-30"),  # June has no 31st
    ("2024-01-31", 1, "2024-02-29", "2024-03-01", "2024-02-28", "2024-02-29"),
    ("2023-01-31", 1, "2023-02-28", "2023-03-01", "2023-02-27", "2023-02-28"),
    ("2024-01-30", 1, "2024-02-29", "2024-03-01", "2024-02-28", "2024-02-29"),
    ("2024-01-29", 1, "2024-02-28", "2024-02-29", "2024-02-28", "2024-02-29"),  # 29th exists in 2024
    ("2024-02-29", 12, "2025-02-28", "2025-03-01", "2025-02-27", "2025-02-28"),  # 02-29 -> no 29th in 2025
    ("2024-02-29", 48, "2028-02-28", "2028-02-29", "2028-02-28", "2028-02-29"),  # leap again
    ("2024-12-31", 2, "2025-02-28", "2025-03-01", "2025-02-27", "2025-02-28"),
    ("2024-05-31", 1, "2024-06-30", "2024-07-01", "2024-06-29", "2024-06-30"),
    ("2024-07-01", 12, "2025-06-30", "2025-07-01", "2025-06-30", "2025-07-01"),
    ("2022-05-10", 12, "2023-05-09", "2023-05-10", "2023-05-09", "2023-05-10"),
    ("2024-11-15", 2, "2025-01-14", "2025-01-15", "2025-01-14", "2025-01-15"),  # crosses the year
    ("2024-01-01", 60, "2028-12-31", "2029-01-01", "2028-12-31", "2029-01-01"),
]


@pytest.mark.parametrize("e, n, c2_last, c2_off, a_last, a_off", CASES)
def test_period_end_c2_and_alt_a(e, n, c2_last, c2_off, a_last, a_off):
    assert period_end(D(e), n, "C2") == (D(c2_last), D(c2_off))
    assert period_end(D(e), n, "ALT_A") == (D(a_last), D(a_off))


def test_default_is_c2():
    assert period_end(D("2023-08-31"), 6) == (D("2024-02-29"), D("2024-03-01"))


def test_zero_months_is_an_empty_period():
    assert period_end(D("2024-03-15"), 0) == (D("2024-03-14"), D("2024-03-15"))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        period_end(D("2024-01-31"), 1, "C3")
    with pytest.raises(ValueError):
        period_end(D("2024-01-31"), -1)


def test_days_in_month():
    assert [days_in_month(2024, m) for m in range(1, 13)] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert days_in_month(2023, 2) == 28
    assert days_in_month(1900, 2) == 28
    assert days_in_month(2000, 2) == 29


@pytest.mark.parametrize(
    "d, text",
    [("2024-04-01", "2024年4月1日"), ("2025-10-09", "2025年10月9日"), ("2024-12-31", "2024年12月31日"), ("2005-01-05", "2005年1月5日")],
)
def test_cn_date_has_no_leading_zeros(d, text):
    assert cn_date(D(d)) == text


def test_cn_date_none():
    assert cn_date(None) == ""


@pytest.mark.parametrize("n, text", [(0, "零"), (6, "六"), (10, "十"), (12, "十二"), (18, "十八"), (20, "二十"), (24, "二十四"), (48, "四十八"), (60, "六十"), (120, "120")])
def test_cn_number(n, text):
    assert cn_number(n) == text
