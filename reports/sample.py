"""The sample notice of 设置 → 公文与字体 (font and layout preview), from the editable template sample_notice."""
from __future__ import annotations

from datetime import date

from models.services import templates
from models.services.document_numbers import format_number
from models.rules.period_math import cn_date
from reports.notice import Notice


def sample_notice(org_name: str, org_code: str, header: str, today: date, *, name: str = "张堃喆",
                  unit: str = "某某市某某局", preprinted_top_mm: float = 100.0) -> Notice:
    words = templates.render("sample_notice", {"机关名称": org_name, "姓名": name, "单位": unit, "日期": cn_date(today)})
    body = [p.strip() for p in words["正文"].split("\n") if p.strip()]
    return Notice(
        title=words["标题"], addressee=words["主送机关"], body=body, signature=words["署名"], date=today,
        doc_number=format_number(org_code, today.year, 1) if header != "plain" else "", header=header,
        org_mark=org_name, preprinted_top_mm=preprinted_top_mm,
    )
