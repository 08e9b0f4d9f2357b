"""Cell values as officers' real 台账 hold them → clean Python values, or a ValidationError saying what to fix.

Shared by every Excel importer (cadres, commendations, handling). Each parser takes the raw cell value as
openpyxl returns it (str, int, float, datetime, date, None) and a Chinese field label for the message.

Dates: 1975.03, 1975.3, 1975年3月, 1975年3月15日, 197503, 19750315, 1975-03-15, 1975/3/15, 1975-03, 1975.03.15,
real date cells, Excel serial numbers (27468 = 1975-03-15), and numeric cells that hold 1975.03 or 197503. A
month without a day is the 1st of that month (the 任免表 writes months only). A number cell 1975.1 is refused:
Excel stores both 1975.1 and 1975.10 as 1975.1, so the month cannot be known.

ID numbers: spaces (also full-width), lower-case x and full-width digits are accepted. A number that Excel has
turned into a number (a numeric cell, "1.10101E+17" text, or 18 digits ending in 000 that fail the check) has
lost its last digits: it is rejected as such, never "repaired".
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from models.reference import id_number as idn
from models.reference import pinyin
from models.core.errors import ValidationError

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug accounted for from March 1900)
MIN_YEAR, MAX_YEAR = 1900, 2100
ID_AS_NUMBER_MESSAGE = "身份证号被Excel转成了数字，已丢失末几位，请把该列设为文本后重新填写"

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／：", "0123456789.-/:")
_SCI = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")
# zero-width characters, bidirectional controls, soft hyphen, BOM: invisible, they make two equal names differ
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def _character_name(ch: str) -> str:
    return unicodedata.name(ch, f"U+{ord(ch):04X}")


def check_plain_digits(text: str, label: str, field: str | None) -> None:
    """Full-width digits are translated before this; any other digit that is not 0–9 (superscripts, Arabic-Indic,
    circled …) or, in an ID number, any other non-ASCII character is refused, naming the character and where."""
    if text.isascii():  # the common case: nothing to refuse
        return
    for n, ch in enumerate(text, 1):
        if ch.isascii():
            continue
        if ch.isdigit() or unicodedata.category(ch) in ("Nd", "No"):
            raise ValidationError(
                f"“{label}”第{n}个字符“{ch}”（{_character_name(ch)}，U+{ord(ch):04X}）不是普通数字0–9，"
                "可能是从网页或其他软件复制来的。请删去后用键盘重新输入。", field or label)
        if field == "id_number" and ch not in "年月日":
            raise ValidationError(
                f"“{label}”第{n}个字符“{ch}”（U+{ord(ch):04X}）不应出现在身份证号中，请删去后用键盘重新输入。",
                field or label)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def clean_text(value: Any, label: str = "", max_len: int | None = None, field: str | None = None) -> str | None:
    """Text of a cell, trimmed; None when blank. Whole numbers read as 3.0 become "3"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).strip().replace("\r\n", "\n")
    if max_len is not None and len(text) > max_len:
        raise ValidationError(f"“{label}”最多{max_len}个字，现有{len(text)}个字，请精简。", field or label)
    return text


def clean_name(value: Any, label: str = "姓名", field: str = "name") -> str | None:
    """A person's name: alignment spaces removed (张　三 → 张三), the middle dot of minority names kept."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValidationError(f"“{label}”是一个数字（{value}），不像姓名，请核对。", field)
    name = pinyin.normalise_name(strip_invisible(str(value)))
    if len(name) > 40:
        raise ValidationError(f"“{label}”太长（最多40个字），请核对。", field)
    if re.search(r"[0-9]", name):
        raise ValidationError(f"“{label}”“{name}”中含有数字，请核对。", field)
    return name


def parse_bool(value: Any, label: str = "", field: str | None = None) -> bool | None:
    """是/否, √/×, Y/N, 1/0, true/false; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = _SPACES.sub("", str(value)).lower()
    if text in ("是", "√", "✓", "y", "yes", "1", "true", "有", "1.0"):
        return True
    if text in ("否", "×", "✗", "n", "no", "0", "false", "无", "0.0", "不是"):
        return False
    raise ValidationError(f"“{label}”应填“是”或“否”，现为“{value}”。", field or label)


# ----------------------------------------------------------------------------------------------------------- dates

def _make(label: str, field: str | None, y: int, m: int, d: int, shown: Any) -> date:
    if not (MIN_YEAR <= y <= MAX_YEAR):
        raise ValidationError(f"“{label}”的年份{y}不合理（“{shown}”），请核对。", field or label)
    if not 1 <= m <= 12:
        raise ValidationError(f"“{label}”的月份{m}不存在（“{shown}”），请核对。", field or label)
    try:
        return date(y, m, d)
    except ValueError:
        raise ValidationError(f"“{label}”中的日期“{shown}”不存在（{y}年{m}月没有{d}日），请核对。", field or label) from None


def _from_serial(serial: float, label: str, field: str | None, shown: Any) -> date:
    days = int(serial)
    if days < 1:
        raise ValidationError(f"“{label}”的值“{shown}”不是日期，请核对。", field or label)
    if days < 61:  # Excel counts a non-existent 1900-02-29 (serial 60); before it the offset is one day less
        days += 1
    return EXCEL_EPOCH + timedelta(days=days)


_TEXT_FORMS = [
    # 1975年3月15日 / 1975年3月 / 1975年
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日?)?$"), "ymd"),
    # 1975-03-15, 1975/3/15, 1975.03.15, 1975-3, 1975/03, 1975.03, 1975.3 (optionally a time after a space)
    (re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),  # 19750315
    (re.compile(r"^(\d{4})(\d{2})$"), "ymd"),  # 197503
]


def parse_date(value: Any, label: str = "日期", field: str | None = None, *, today: date | None = None) -> date | None:
    """A date from any accepted form (see the module text); None when blank. Months without a day → the 1st."""
    return parse_date_and_precision(value, label, field, today=today)[0]


def parse_date_and_precision(value: Any, label: str = "日期", field: str | None = None, *,
                             today: date | None = None) -> tuple[date | None, bool]:
    """(the date, True when the cell gave the month only — 1975.03, 1975年3月, 197503 — and the day is the 1st
    put in its place). An import uses it so as not to replace a stored day of the same month."""
    if is_blank(value):
        return None, False
    month_only = False
    result: date
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, bool):
        raise ValidationError(f"“{label}”不是日期，请核对。", field or label)
    elif isinstance(value, (int, float)):
        result, month_only = _parse_number_date(value, label, field)
    else:
        result, month_only = _parse_text_date(str(value), label, field)
    if not (MIN_YEAR <= result.year <= MAX_YEAR):
        raise ValidationError(f"“{label}”的年份{result.year}不合理，请核对。", field or label)
    if today is not None and result > today:
        raise ValidationError(
            f"“{label}”{result.isoformat()}晚于今天，不能是将来的日期，请核对。", field or label)
    return result, month_only


def _parse_number_date(value: float, label: str, field: str | None) -> tuple[date, bool]:
    """(date, month only)."""
    if isinstance(value, float) and not value.is_integer():
        whole = int(value)
        if MIN_YEAR <= whole <= MAX_YEAR:  # 1975.03 typed into a number cell
            hundredths = round((value - whole) * 100)
            if abs((value - whole) * 100 - hundredths) > 1e-6:
                raise ValidationError(f"“{label}”的值“{value}”不是日期，请写成 1975.03 或 1975-03-15。", field or label)
            if hundredths == 10 and abs(value - whole - 0.1) < 1e-9:
                raise ValidationError(
                    f"“{label}”为数字{value}：Excel 把 {whole}.10 和 {whole}.1 都存成了 {value}，无法判断是1月还是10月。"
                    f"请把该列设为文本后填写 {whole}.01 或 {whole}.10。", field or label)
            return _make(label, field, whole, hundredths, 1, value), True
        return _from_serial(value, label, field, value), False
    n = int(value)
    text = str(n)
    if len(text) == 6 and MIN_YEAR <= n // 100 <= MAX_YEAR:  # 197503
        return _make(label, field, n // 100, n % 100, 1, value), True
    if len(text) == 8 and MIN_YEAR <= n // 10000 <= MAX_YEAR:  # 19750315
        return _make(label, field, n // 10000, n // 100 % 100, n % 100, value), False
    if len(text) == 4 and MIN_YEAR <= n <= MAX_YEAR:
        raise ValidationError(f"“{label}”只有年份{n}，请写明月份，例如 {n}.01。", field or label)
    if 1 <= n <= 73415:  # Excel serial numbers up to 2100-12-31
        return _from_serial(n, label, field, value), False
    raise ValidationError(f"“{label}”的值“{value}”不是日期，请写成 1975.03 或 1975-03-15。", field or label)


def _parse_text_date(raw: str, label: str, field: str | None) -> tuple[date, bool]:
    """(date, month only)."""
    text = _SPACES.sub(" ", strip_invisible(raw).translate(_FULLWIDTH)).strip()
    check_plain_digits(text, label, field)
    text = text.replace(" 年", "年").replace("年 ", "年").replace(" 月", "月").replace("月 ", "月")
    text = text.replace("．", ".").replace("。", ".")
    for pattern, _kind in _TEXT_FORMS:
        m = pattern.match(text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            day_given = bool(m.lastindex and m.lastindex >= 3 and m.group(3))
            return _make(label, field, y, mo, int(m.group(3)) if day_given else 1, raw.strip()), not day_given
    if re.fullmatch(r"\d{4}年?", text):
        raise ValidationError(f"“{label}”只有年份“{raw.strip()}”，请写明月份，例如 {text[:4]}.01。", field or label)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a serial number kept as text
        return _from_serial(float(text), label, field, raw.strip()), False
    raise ValidationError(
        f"“{label}”无法识别为日期：“{raw.strip()}”。请写成 1975.03、1975年3月、197503 或 1975-03-15。", field or label)


def format_ym(d: date | None) -> str:
    """1975.03 as the 任免表 writes months (blank for None)."""
    return "" if d is None else f"{d.year}.{d.month:02d}"


# ------------------------------------------------------------------------------------------------------ ID numbers

def id_lost_digits(value: Any) -> bool:
    """True when the cell shows that Excel turned the ID number into a number (digits lost)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = idn.normalise(str(value).translate(_FULLWIDTH))
    if _SCI.match(text):
        return True
    if re.fullmatch(r"\d{15,18}\.0+", text):
        return True
    if re.fullmatch(r"\d{18}", text) and text.endswith("000") and idn.check_char(text[:17]) != text[17]:
        return True  # 15 significant digits kept by Excel, the rest turned into zeros
    return False


_PLAIN_ID = re.compile(r"[0-9]{17}[0-9Xx]")


def parse_id_number(value: Any, label: str = "身份证号", field: str = "id_number", *,
                    today: date | None = None) -> str:
    """The normalised 18-character number, or ValidationError. Excel-mangled numbers are rejected as such."""
    if isinstance(value, str) and _PLAIN_ID.fullmatch(value) and not value.endswith("000"):
        # the common cell: 18 plain characters, nothing to strip, widen or suspect of lost digits
        return idn.validate(value, field, today)
    if is_blank(value):
        raise ValidationError(f"“{label}”不能为空，导入时按身份证号识别干部，请填写18位公民身份号码。", field)
    if isinstance(value, str):
        value = strip_invisible(value).translate(_FULLWIDTH)
        check_plain_digits(_SPACES.sub("", value), label, field)
    if idn.fifteen_digit_number(value) is not None:  # a number cell keeps 15 digits: an old ID, nothing lost
        raise ValidationError(idn.OLD_ID_MESSAGE, field)
    if id_lost_digits(value):
        shown = value if not isinstance(value, float) else f"{value:.6G}"
        raise ValidationError(f"{ID_AS_NUMBER_MESSAGE}（表中为“{shown}”）。", field)
    return idn.validate(str(value), field, today)
