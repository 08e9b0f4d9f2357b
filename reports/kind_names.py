"""The short official names of handling kinds as documents print them: 政务警告, not "政务处分/公务员处分·警告".

The names are those of the handling register (models.services.handling.register.short_label: 党内警告, 政务记过,
开除公职, 事业单位记过, 免职, 诫勉); here they are also found back from a label made by rule_table.full_label.
"""
from __future__ import annotations

from models.rules import rule_table as rt
from models.services.handling.register import short_label


def short_name(regime: str, kind: str) -> str:
    """e.g. ("gov", "warning") → 政务警告."""
    return short_label(regime, kind)


_BY_FULL_LABEL = {rt.full_label(r, k): short_label(r, k) for (r, k) in rt.KIND_LABELS}


def short_of_label(label: str) -> str:
    """The short name of a label made by rule_table.full_label ("政务处分/公务员处分·警告" → 政务警告); other text
    is returned as it is. Several labels joined by "、" or "；" are converted one by one."""
    for sep in ("；", "、"):
        if sep in label:
            return sep.join(short_of_label(part) for part in label.split(sep))
    return _BY_FULL_LABEL.get(label.strip(), label)
