"""Cell values as real 台账 hold them: every date form, names padded with spaces, ID numbers in their forms."""
from datetime import date, datetime

import pytest

from models.reference import id_number as idn
from models.core.errors import ValidationError
from models.exchange.excel_values import (
    ID_AS_NUMBER_MESSAGE, clean_name, clean_text, id_lost_digits, parse_bool, parse_date, parse_date_and_precision,
    parse_id_number,
)

NUMBER = next(n for n in (idn.generate(date(1975, 3, 15), "男", seq=s) for s in range(100))
              if n[17].isdigit() and idn.check_char(n[:15] + "00") != "0")


@pytest.mark.parametrize("value, expected", [
    ("1975.03", date(1975, 3, 1)), ("1975.3", date(1975, 3, 1)), ("1975年3月", date(1975, 3, 1)),
    ("197503", date(1975, 3, 1)), ("1975-03-15", date(1975, 3, 15)), ("1975/3/15", date(1975, 3, 15)),
    ("1975.10", date(1975, 10, 1)), ("1975年3月15日", date(1975, 3, 15)), ("19750315", date(1975, 3, 15)),
    ("１９７５．０３", date(1975, 3, 1)), (" 1975 年 3 月 ", date(1975, 3, 1)), ("1975-03", date(1975, 3, 1)),
    ("2024-03-15 00:00:00", date(2024, 3, 15)),
    (datetime(1975, 3, 15), date(1975, 3, 15)), (date(1975, 3, 15), date(1975, 3, 15)),
    (27468, date(1975, 3, 15)), (27468.0, date(1975, 3, 15)), (27468.75, date(1975, 3, 15)),
    (1, date(1900, 1, 1)), (61, date(1900, 3, 1)),
    (1975.03, date(1975, 3, 1)), (1975.12, date(1975, 12, 1)), (197503, date(1975, 3, 1)),
    (19750315, date(1975, 3, 15)),
])
def test_every_date_form(value, expected):
    assert parse_date(value, "出生年月") == expected


@pytest.mark.parametrize("value, words", [
    (1975.1, "无法判断是1月还是10月"), ("1975.13", "月份13不存在"), ("1975-02-30", "不存在"),
    ("1975", "只有年份"), ("明年", "无法识别为日期"), (1975, "只有年份"), ("1850.01", "年份1850不合理"),
])
def test_bad_dates_are_refused_with_the_reason(value, words):
    with pytest.raises(ValidationError) as exc:
        parse_date(value, "出生年月", "birth_date")
    assert words in exc.value.message
    assert "出生年月" in exc.value.message
    assert exc.value.field == "birth_date"


def test_future_date_refused_when_today_given():
    assert parse_date("2030.01", "任职时间") == date(2030, 1, 1)
    with pytest.raises(ValidationError, match="将来"):
        parse_date("2030.01", "任职时间", today=date(2026, 1, 1))


def test_blank_values():
    assert parse_date(None) is None and parse_date("  \u3000") is None
    assert clean_text(" ") is None and clean_name(None) is None and parse_bool("") is None


def test_names_padded_for_alignment():
    assert clean_name("张　三") == "张三"
    assert clean_name(" 李 四 ") == "李四"
    assert clean_name("买买提・艾力") == "买买提·艾力"
    with pytest.raises(ValidationError):
        clean_name(12345)


def test_text_and_bools():
    assert clean_text(3.0) == "3"
    assert clean_text(" 科员 ") == "科员"
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("√") is True
    with pytest.raises(ValidationError, match="是.*否"):
        parse_bool("也许", "是否基层")
    with pytest.raises(ValidationError, match="最多5个字"):
        clean_text("一二三四五六", "职级", 5)


@pytest.mark.parametrize("form", [
    NUMBER, f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}", f" {NUMBER}\u3000",
    "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in NUMBER),
])
def test_id_number_forms(form):
    assert parse_id_number(form) == NUMBER


def test_lower_case_x():
    born = date(1980, 1, 1)
    number = next(n for n in (idn.generate(born, seq=s) for s in range(100)) if n.endswith("X"))
    assert parse_id_number(number.lower()) == number


@pytest.mark.parametrize("mangled", [
    float(NUMBER[:17] + "0"), int(NUMBER[:15] + "000"), "1.10101E+17", "1.10101197503151E+17",
    NUMBER[:15] + "000", NUMBER + ".0",
])
def test_id_numbers_turned_into_numbers_are_rejected_not_repaired(mangled):
    assert id_lost_digits(mangled)
    with pytest.raises(ValidationError) as exc:
        parse_id_number(mangled)
    assert ID_AS_NUMBER_MESSAGE in exc.value.message
    assert exc.value.field == "id_number"


def test_wrong_check_digit_is_a_plain_error():
    wrong = NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2")
    assert not id_lost_digits(wrong)
    with pytest.raises(ValidationError, match="校验位"):
        parse_id_number(wrong)
    with pytest.raises(ValidationError, match="不能为空"):
        parse_id_number("  ")


@pytest.mark.parametrize("cell, month_only", [
    ("1975.03", True), ("1975.3", True), ("1975年3月", True), (" 1975 年 3 月 ", True), ("197503", True),
    (197503, True), (1975.03, True), ("1975-03", True),
    ("1975-03-15", False), ("1975/3/15", False), ("1975年3月15日", False), (19750315, False), (27468, False),
    (date(1975, 3, 15), False), (datetime(1975, 3, 15, 8, 0), False),
])
def test_the_parser_says_when_a_cell_gave_the_month_only(cell, month_only):
    parsed, only = parse_date_and_precision(cell)
    assert (parsed.year, parsed.month) == (1975, 3) and only is month_only
    assert parse_date(cell) == parsed
