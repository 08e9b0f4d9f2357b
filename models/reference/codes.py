"""Code lists of domain §5.2. Fixed lists are constants here; the lists an office adapts (local honours,
education, the 专业技术类 ranks …) are settings "codes.<list>" with these as defaults, edited in 设置 → 代码表.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import ValidationError

# 公务员法 Art 53: the statutory commendation kinds.
STATUTORY_COMMENDATIONS = ("嘉奖", "记三等功", "记二等功", "记一等功", "授予称号")
ASSESSMENT_GRADES_CIVIL = ("优秀", "称职", "基本称职", "不称职", "不定等次")
ASSESSMENT_GRADES_INSTITUTION = ("优秀", "合格", "基本合格", "不合格", "不定等次")
POST_LEVELS = (
    "国家级正职", "国家级副职", "省部级正职", "省部级副职", "厅局级正职", "厅局级副职",
    "县处级正职", "县处级副职", "乡科级正职", "乡科级副职",
)
RANKS_GENERAL = (
    "一级巡视员", "二级巡视员", "一级调研员", "二级调研员", "三级调研员", "四级调研员",
    "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员",
)
GRADES = tuple(f"{n}级" for n in (
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
    "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七"))
POLITICAL_STATUS = (
    "中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员",
    "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众",
)
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
GENDERS = ("男", "女")
CADRE_STATUSES = ("在职", "退休", "调离", "去世", "其他")
HEALTH = ("健康", "一般", "较弱")
MANAGEMENT_AUTHORITY = ("市管", "区管", "其他")

# Lists an office edits: key → (Chinese title, defaults).
EDITABLE: dict[str, str] = {
    "local_honours": "本地荣誉（表彰种类）",
    "identity_categories": "身份类别",
    "ranks_other": "其他职级序列（专业技术类、行政执法类）",
    "education": "学历",
    "degrees": "学位",
    "accusation_categories": "举报问题类别",
    "accusation_channels": "举报渠道",
}
# Lists kept under another area's setting key (the accusation lists belong to the accusations area).
_KEYS = {"accusation_categories": "accusations.categories", "accusation_channels": "accusations.channels"}


def default_values(name: str) -> list[str]:
    return list(settings_store.DEFAULTS[setting_key(name)])


# The name of the honour that counts for the grassroots share (Wuhan 百佳公务员, domain §6).
BAIJIA = "百佳公务员"


def setting_key(name: str) -> str:
    return _KEYS.get(name, f"codes.{name}")


def editable(session: Session, name: str) -> list[str]:
    if name not in EDITABLE:
        raise KeyError(name)
    value = settings_store.get(session, setting_key(name))
    if not value:
        return default_values(name)
    return [str(v) for v in value]


def save_editable(session: Session, actor: Actor, name: str, values: list[str]) -> list[str]:
    """Save an edited list: trimmed, blanks and duplicates dropped, at least one value."""
    if name not in EDITABLE:
        raise ValidationError(f"没有名为“{name}”的代码表。", "name")
    clean: list[str] = []
    for v in values:
        v = str(v).strip()
        if not v:
            continue
        if len(v) > 40:
            raise ValidationError(f"“{v[:20]}…”太长：每项不超过40个字。", "values")
        if v not in clean:
            clean.append(v)
    if not clean:
        raise ValidationError(f"“{EDITABLE[name]}”至少要有一项。", "values")
    settings_store.put(session, actor, setting_key(name), clean)
    return clean


def commendation_kinds(session: Session) -> list[str]:
    """Statutory kinds (公务员法 Art 53) followed by the office's local honours."""
    return list(STATUTORY_COMMENDATIONS) + [h for h in editable(session, "local_honours")
                                             if h not in STATUTORY_COMMENDATIONS]


def identity_categories(session: Session) -> list[str]:
    return editable(session, "identity_categories")


def all_ranks(session: Session) -> list[str]:
    return list(RANKS_GENERAL) + editable(session, "ranks_other")
