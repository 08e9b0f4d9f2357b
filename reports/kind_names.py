"""The short official names of handling kinds as documents print them: 政务警告, not "政务处分/公务员处分·警告".

Party sanctions by their names in the 纪律处分条例 (党内警告 … 开除党籍), government sanctions with 政务 in front
(政务处分法 names them 警告, 记过 …; offices write 政务警告, 政务记过; 开除 is 开除公职), sanctions of public
institution staff with 处分 after the shorter ones, 组织处理 and 诫勉 by their own names.
"""
from __future__ import annotations

from models.rules import rule_table as rt

_SHORT = {
    ("party", "warning"): "党内警告", ("party", "serious_warning"): "党内严重警告",
    ("gov", "warning"): "政务警告", ("gov", "demerit"): "政务记过", ("gov", "major_demerit"): "政务记大过",
    ("gov", "demotion"): "政务降级", ("gov", "dismissal"): "政务撤职", ("gov", "expulsion"): "开除公职",
    ("inst", "warning"): "警告处分", ("inst", "demerit"): "记过处分", ("inst", "dismissal"): "撤职处分",
    ("inst", "expulsion"): "开除处分",
}


def short_name(regime: str, kind: str) -> str:
    """e.g. ("gov", "warning") → 政务警告; a kind without its own short name keeps its label (留党察看一年, 免职)."""
    return _SHORT.get((regime, kind)) or rt.kind_label(regime, kind)


_BY_FULL_LABEL = {rt.full_label(r, k): short_name(r, k) for (r, k) in rt.KIND_LABELS}


def short_of_label(label: str) -> str:
    """The short name of a label made by rule_table.full_label ("政务处分/公务员处分·警告" → 政务警告); other text
    is returned as it is. Several labels joined by "、" or "；" are converted one by one."""
    for sep in ("；", "、"):
        if sep in label:
            return sep.join(short_of_label(part) for part in label.split(sep))
    return _BY_FULL_LABEL.get(label.strip(), label)
