"""Are two accusation texts about the same issue? Normalise the Chinese text, then fuzzy-match (rapidfuzz).

Normalising removes what two wordings of one accusation differ in but that says nothing about the issue:
full/half width (NFKC), case, punctuation and whitespace, Chinese numerals (二十万 → 20万), the framing that
every report shares (反映, 举报人称, 同志, 问题, 在担任……期间, 利用职务便利 …), the names of the persons concerned
and their unit and post (the caller passes them in `ignore`: every report about the same cadre names them, so
they must not make two different issues look alike), and a small table of near-synonyms of report language
(亲戚/小舅子 → 亲属, 收取 → 收受, 项目 → 工程 …).

The score is the larger of two measures on the normalised texts: rapidfuzz's `ratio` (edit distance, good for
light rewording) and the Dice coefficient of character bigrams (good when the same facts are told in another
order). Tuned on tests/models/test_similarity.py: rewordings of one accusation score 50–85, different issues
about the same person 0–15; the default threshold 45 is the setting "accusations.similarity_threshold".
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from rapidfuzz import fuzz

DEFAULT_THRESHOLD = 45

# Near-synonyms in report language → one form (longest first where they overlap).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("小舅子", "亲属"), ("亲戚", "亲属"), ("家属", "亲属"), ("家人", "亲属"), ("妻弟", "亲属"), ("内弟", "亲属"),
    ("配偶", "妻子"), ("老婆", "妻子"), ("爱人", "妻子"),
    ("孩子", "子女"), ("儿女", "子女"),
    ("职权", "职务"), ("职务之便", "职务便利"),
    ("收取", "收受"), ("收了", "收受"), ("索要", "收受"), ("接受", "收受"),
    ("好处费", "好处"), ("回扣", "好处"),
    ("承包", "承揽"), ("拿下", "承揽"), ("中标", "承揽"),
    ("项目", "工程"),
    ("公务用车", "公车"), ("单位车辆", "公车"), ("公家的车", "公车"),
    ("上学放学", "上下学"), ("上学和放学", "上下学"),
    ("吃喝", "宴请"), ("请客", "宴请"),
    ("喝酒", "饮酒"),
)

# Framing every report shares (regular expressions, applied after punctuation is gone).
FRAMING: tuple[str, ...] = (
    r"举报人(称|反映|说)?", r"据(群众)?反映", r"群众反映", r"据悉", r"反映", r"举报", r"来信称", r"来电称", r"网帖称",
    r"在?担任.{0,12}?期间", r"在.{0,12}?工作期间", r"在?任.{0,10}?(期间|时)",
    r"利用(其)?职务(便利|上的便利)?", r"涉嫌", r"存在", r"有关", r"问题", r"情况", r"同志",
    r"从中", r"多个", r"多次", r"自己", r"经常", r"长期",
)
# Single characters without meaning for the match (removed last).
FILLERS = "的了其该等之也都还就"

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千]+(?=[万千百元块余多个次人天年月])")


def _cn_to_int(text: str) -> int | None:
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _numerals_to_digits(text: str) -> str:
    def repl(m: re.Match) -> str:
        value = _cn_to_int(m.group(0))
        return m.group(0) if value is None else str(value)

    return _CN_NUMBER.sub(repl, text)


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_FRAMING = re.compile("|".join(f"(?:{p})" for p in FRAMING))


def normalise(text: str, ignore: Iterable[str] = ()) -> str:
    """The text reduced to what tells one issue from another (see the module docstring)."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    for word in sorted({unicodedata.normalize("NFKC", w).lower() for w in ignore if w and w.strip()},
                       key=len, reverse=True):
        s = s.replace(word.strip(), "")
    s = _PUNCT.sub("", s)
    s = _numerals_to_digits(s)
    for a, b in SYNONYMS:
        s = s.replace(a, b)
    s = _FRAMING.sub("", s)
    return s.translate({ord(c): None for c in FILLERS})


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} if len(s) > 1 else ({s} if s else set())


def score_normalised(a: str, b: str) -> int:
    if not a or not b:
        return 0
    ba, bb = _bigrams(a), _bigrams(b)
    dice = 200.0 * len(ba & bb) / (len(ba) + len(bb))
    return int(round(max(fuzz.ratio(a, b), dice)))


def similarity(a: str, b: str, ignore: Iterable[str] = ()) -> int:
    """0–100: how likely two accusation texts tell the same issue."""
    ignore = tuple(ignore)
    return score_normalised(normalise(a, ignore), normalise(b, ignore))


def is_similar(a: str, b: str, ignore: Iterable[str] = (), threshold: int = DEFAULT_THRESHOLD) -> bool:
    return similarity(a, b, ignore) >= threshold


def context_words(name: str | None, unit: str | None = None, post: str | None = None) -> list[str]:
    """Words to ignore for one cadre: the name, the unit (and its short forms), the post title."""
    words: list[str] = []
    if name:
        words.append(name)
        if len(name) >= 2:
            words.append(name[1:])  # 建国 for 张建国, as in 建国同志
    for w in (unit, post):
        if not w:
            continue
        words.append(w)
        for part in re.split(r"[、，,；;\s]+", w):
            if len(part) >= 2:
                words.append(part)
                # 区住建局 → 住建局 ; 市住房和城乡建设局局长 → 局长
                for prefix in ("省", "市", "区", "县", "镇", "乡", "街道"):
                    if part.startswith(prefix) and len(part) > len(prefix) + 1:
                        words.append(part[len(prefix):])
                for suffix in ("局长", "主任", "书记", "部长", "处长", "科长", "所长", "站长", "镇长", "乡长", "区长",
                               "县长", "市长", "院长", "校长", "厅长", "委员", "经理"):
                    if part.endswith(suffix):
                        words.append(suffix)
    return words
