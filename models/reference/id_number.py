"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, check, read birth date and gender, generate.

`normalise` accepts what officers paste: spaces (also full-width and no-break), full-width digits and letters,
a lower-case x. `validate` returns the normalised 18-character number or raises ValidationError with a Chinese
message that says what is wrong and what to do. A number that Excel has turned into a float has lost its last
digits: it is refused (never "repaired").
"""
from __future__ import annotations

import random
import re
from operator import mul
from dataclasses import dataclass
from datetime import date

from models.core.errors import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18  # every stored number (15-digit ones are refused, see OLD_ID_MESSAGE)

_SPACES = {" ", "\u3000", "\u00a0", "\t", "\r", "\n", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"}


def normalise(text: object) -> str:
    """Strip every kind of space, turn full-width digits/letters into ASCII and a lower-case x into X."""
    if text is None:
        return ""
    s = str(text)
    if s.isascii() and s.isalnum():  # the common case (plain digits): nothing to strip or widen
        return s.replace("x", "X")
    out = []
    for ch in s:
        if ch in _SPACES:
            continue
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19:  # full-width digits ０-９
            ch = chr(code - 0xFF10 + ord("0"))
        elif ch in ("ｘ", "Ｘ", "×"):
            ch = "X"
        elif ch == "x":
            ch = "X"
        out.append(ch)
    return "".join(out)


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(map(mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def _birth(first17: str) -> date | None:
    try:
        return date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return None


OLD_ID_MESSAGE = "这是15位的旧版身份证号，请录入换发后的18位号码（可在第二代身份证上查到）。"


def fifteen_digit_number(value: object) -> str | None:
    """The digits of an old 15-digit number that a spreadsheet stored as a number (110101800101123, 1.10101800101123E+14):
    a number keeps 15 significant digits, so nothing of such a number was lost — it is an old ID, not a mangled one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().upper()
        if not re.fullmatch(r"[0-9]\.[0-9]{14}E\+?14", text):
            return None
        value = float(text)
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and 10 ** 14 <= value < 10 ** 15:
        return str(value)
    return None


def validate(text: object, field: str = "id_number", today: date | None = None) -> str:
    """Return the normalised 18-character number, or raise ValidationError(message, field)."""
    raw = "" if text is None else str(text)
    s = normalise(raw)
    if not s:
        raise ValidationError("身份证号不能为空，请填写18位公民身份号码。", field)
    if fifteen_digit_number(text) is not None:
        raise ValidationError(OLD_ID_MESSAGE, field)
    if isinstance(text, float) or (isinstance(text, int) and not isinstance(text, bool) and len(s) >= 15) or "E+" in s.upper() or ("." in s and s.replace(".", "").isdigit()):
        raise ValidationError(
            f"身份证号“{raw.strip()}”已被表格软件转成数字，末尾几位已丢失，无法恢复："
            "请把该列设为“文本”格式后重新录入原件上的号码。", field)
    if len(s) == 15 and s.isdigit():
        raise ValidationError(OLD_ID_MESSAGE, field)
    if len(s) != 18:
        raise ValidationError(f"身份证号应为18位，现为{len(s)}位，请核对原件。", field)
    if not s[:17].isdigit():
        raise ValidationError("身份证号前17位只能是数字，请核对原件。", field)
    if not (s[17].isdigit() or s[17] == "X"):
        raise ValidationError("身份证号第18位只能是数字或X，请核对原件。", field)
    born = _birth(s[:17])
    if born is None:
        raise ValidationError(f"身份证号第7至14位“{s[6:14]}”不是有效的出生日期，请核对原件。", field)
    if born.year < 1900 or (today is not None and born > today):
        raise ValidationError(f"身份证号中的出生日期{born.isoformat()}不合理，请核对原件。", field)
    expected = check_char(s[:17])
    if s[17] != expected:
        # the message never names the character that would pass: that would invite "fixing" a mistyped digit
        # elsewhere in the number by changing the last one
        raise ValidationError("身份证号校验位不符：第18位与前17位对不上，号码中至少有一位录错。"
                              "请对照身份证原件逐位核对。", field)
    return s


def is_valid(text: object) -> bool:
    try:
        validate(text)
        return True
    except ValidationError:
        return False


def birth_date(number: str) -> date:
    """Birth date from a valid number (normalised first)."""
    s = normalise(number)
    born = _birth(s[:17])
    if born is None:
        raise ValidationError("身份证号中的出生日期无效，请核对原件。", "id_number")
    return born


def gender(number: str) -> str:
    """'男' when the 17th digit is odd, '女' when even."""
    s = normalise(number)
    return "男" if int(s[16]) % 2 == 1 else "女"


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    gender: str


def parse(text: object, field: str = "id_number", today: date | None = None) -> IdInfo:
    s = validate(text, field, today)
    return IdInfo(s, birth_date(s), gender(s))


MASK_TAIL = 4  # digits a role without "see_id_number" sees


def mask(number: str | None) -> str:
    """Masked for roles without "see_id_number": only the last 4 kept (**************123X). The region and the
    birth date stay hidden, and the same screens show the birth year only (`birth_text`), so that the number
    cannot be rebuilt from what one screen shows (kept: first 6 + last 4 left only the 8 date digits to find)."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return "*" * (len(number) - MASK_TAIL) + number[-MASK_TAIL:]


def birth_text(born: date | None, year: int | None = None) -> str:
    """出生年月 as shown: "1975.03"; "1975年" where a role without "see_id_number" gets the year only."""
    if born is not None:
        return f"{born.year}.{born.month:02d}"
    return f"{year}年" if year else ""


def generate(born: date, gender_: str = "男", region: str = "110101", seq: int | None = None,
             rng: random.Random | None = None) -> str:
    """A valid 18-digit number for the demo and tests. `seq` 0–99 picks digits 15–16; the 17th follows gender."""
    rng = rng or random.Random()
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be 6 digits")
    if seq is None:
        seq = rng.randrange(100)
    odd = gender_ == "男"
    digit17 = rng.choice((1, 3, 5, 7, 9) if odd else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{seq % 100:02d}{digit17}"
    return first17 + check_char(first17)


def make_id_number(region: str, born: date, seq: int, gender_: str) -> str:
    """A valid number from a 6-digit region code, a birth date and a 3-digit sequence (0–999) whose last digit
    is bent to the gender's parity (odd 男, even 女). Deterministic: the demo generator uses it."""
    seq = seq % 1000
    last = seq % 10
    if (last % 2 == 1) != (gender_ == "男"):
        last = (last + 1) % 10
    first17 = f"{region}{born:%Y%m%d}{seq // 10:02d}{last}"
    return first17 + check_char(first17)
