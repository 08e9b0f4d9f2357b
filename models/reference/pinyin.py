"""Pinyin search keys of a name: full pinyin and initials, lower case, no tones, no spaces.

pypinyin reads many surnames with their common-word reading (单 dan, 曾 ceng, 解 jie …); the table below gives the
surname reading. Compound surnames (尉迟, 万俟, 澹台 …) are looked up first. Names padded for alignment (张　三)
and minority names with a middle dot (买买提·艾力) are normalised before conversion.
"""
from __future__ import annotations

from dataclasses import dataclass


# Compound surnames whose reading pypinyin gets wrong, or that must be taken as one unit.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "澹台": ("tan", "tai"), "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"), "令狐": ("ling", "hu"), "欧阳": ("ou", "yang"), "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"), "司马": ("si", "ma"), "皇甫": ("huang", "fu"), "宇文": ("yu", "wen"),
    "公孙": ("gong", "sun"), "慕容": ("mu", "rong"), "司徒": ("si", "tu"), "司空": ("si", "kong"),
    "夏侯": ("xia", "hou"), "东方": ("dong", "fang"), "闻人": ("wen", "ren"), "赫连": ("he", "lian"),
    "鲜于": ("xian", "yu"), "闾丘": ("lv", "qiu"), "呼延": ("hu", "yan"), "亓官": ("qi", "guan"),
    "端木": ("duan", "mu"), "南宫": ("nan", "gong"), "西门": ("xi", "men"), "百里": ("bai", "li"),
    "东郭": ("dong", "guo"), "申屠": ("shen", "tu"), "公羊": ("gong", "yang"), "太史": ("tai", "shi"),
    "钟离": ("zhong", "li"), "宗政": ("zong", "zheng"), "濮阳": ("pu", "yang"), "淳于": ("chun", "yu"),
    "仲孙": ("zhong", "sun"), "轩辕": ("xuan", "yuan"), "拓跋": ("tuo", "ba"), "完颜": ("wan", "yan"),
}

# Single-character surnames read differently from the common word.
SURNAMES: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao", "盖": "ge",
    "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "种": "chong", "员": "yun", "秘": "bi", "黑": "he",
    "柏": "bai", "句": "gou", "召": "shao", "阚": "kan", "冼": "xian", "洗": "xian", "能": "nai", "郇": "xun",
    "隗": "wei", "宓": "mi", "眭": "sui", "厍": "she", "繁": "po", "重": "chong", "适": "kuo", "薄": "bo",
    "佴": "nai", "祭": "zhai", "啜": "chuai", "褚": "chu", "迮": "ze", "乜": "nie", "莘": "shen", "折": "she",
    "谌": "chen", "禚": "zhuo", "么": "yao", "尉": "wei", "朝": "chao", "长": "chang", "沈": "shen",
    "华": "hua", "费": "fei", "任": "ren", "过": "guo", "蕃": "pi", "父": "fu", "那": "na", "纪": "ji",
    "相": "xiang", "率": "shuai", "圈": "juan", "阿": "a", "哈": "ha", "藏": "zang", "卜": "bu", "瞿": "qu",
}

_SEPARATORS = {" ", "\u3000", "\u00a0", "\t", "·", "•", "・", "．", ".", "-", "‧"}


def normalise_name(name: str | None) -> str:
    """A name as stored: spaces used for alignment removed (张　三 → 张三), the middle dot kept as "·"."""
    if not name:
        return ""
    s = str(name).strip().replace("\u3000", " ").replace("\u00a0", " ")
    for dot in ("•", "・", "．", "‧"):
        s = s.replace(dot, "·")
    parts = s.split()
    return "".join(parts)


def _syllables(name: str, words: dict[str, list[str]] | None = None) -> list[str]:
    """Lower-case syllables of a normalised name (separators dropped, Latin letters and digits kept). With
    `words` (SearchKeys), pypinyin's reading of each word of its own segmentation is remembered."""
    name = "".join(ch for ch in name if ch not in _SEPARATORS)
    if not name:
        return []
    head: list[str] = []
    rest = name
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        head = list(COMPOUND_SURNAMES[name[:2]])
        rest = name[2:]
    elif name[0] in SURNAMES and len(name) > 1:
        head = [SURNAMES[name[0]]]
        rest = name[1:]
    from pypinyin import Style, lazy_pinyin  # 1.5 s to import: only when a name is actually converted

    if words is None:
        tail = lazy_pinyin(rest, style=Style.NORMAL, errors=_as_is, v_to_u=False)
    else:
        # lazy_pinyin reads the words of its segmentation one by one, and a word of it segments as itself: the
        # same syllables, each word converted once (the few hundred characters of a 台账's given names)
        from pypinyin.seg.simpleseg import seg

        tail = []
        for word in seg(rest):
            known = words.get(word)
            if known is None:
                known = lazy_pinyin(word, style=Style.NORMAL, errors=_as_is, v_to_u=False)
                if len(words) < SearchKeys.LIMIT:
                    words[word] = known
            tail.extend(known)
    return [p.lower() for p in head + tail if p.strip()]


def _as_is(text: str) -> list[str]:
    """pypinyin's `errors`: characters without a reading (Latin letters, digits) kept one by one."""
    return list(text)


@dataclass(frozen=True)
class NameKeys:
    name: str  # normalised name
    pinyin: str  # "shantianfang"
    initials: str  # "stf"


def keys(name: str | None) -> NameKeys:
    n = normalise_name(name)
    syl = _syllables(n)
    return NameKeys(n, "".join(syl), "".join(s[0] for s in syl if s))


def full_pinyin(name: str | None) -> str:
    return keys(name).pinyin


def initials(name: str | None) -> str:
    return keys(name).initials


def name_search_keys(name: str | None) -> tuple[str, str]:
    """(full pinyin, initials) for the search columns Cadre.name_pinyin / Cadre.name_initials."""
    k = keys(name)
    return k.pinyin, k.initials


class SearchKeys:
    """`name_search_keys` for the many names of one import, the same keys found with less work: each distinct
    name converted once, and each word of pypinyin's segmentation of a name (mostly single characters: a 台账's
    names share a few hundred) read once. At most LIMIT names and words are remembered."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self._names: dict[str, tuple[str, str]] = {}
        self._words: dict[str, list[str]] = {}

    def __call__(self, name: str | None) -> tuple[str, str]:
        key = name or ""
        hit = self._names.get(key)
        if hit is None:
            syl = _syllables(normalise_name(name), self._words)
            hit = "".join(syl), "".join(s[0] for s in syl if s)
            if len(self._names) < self.LIMIT:
                self._names[key] = hit
        return hit
