"""The article an explanation cites is the one the sources give for that restriction (domain §1.3–§1.6), and none
where no source gave a number: 政务处分 cites Art 8 (the period) and Art 19 (the bar); 组织处理 and 诫勉 cite
干部任用条例 Art 24 (no 考察对象 while the impact period runs) for the bar on promotion only; 事业单位 cites none."""
from __future__ import annotations

from datetime import date

import pytest

from models.rules.engine import RecordInput, evaluate


def _restrictions(regime: str, kind: str, on: date = date(2024, 3, 1)) -> dict[str, tuple[str, str]]:
    record = evaluate([RecordInput("r1", regime, kind, on)]).records[0]
    return {r.kind: (r.basis, r.explanation) for r in record.restrictions}


@pytest.mark.parametrize("kind", ["post_adjustment", "ordered_resignation", "removal", "demotion"])
@pytest.mark.parametrize("on", [date(2020, 3, 1), date(2024, 3, 1)])  # the 2019 条例 alone, then with the 2021 规定
def test_organisational_handling_cites_article_24_for_the_bar_on_promotion(kind, on):
    got = _restrictions("org", kind, on)
    basis, text = got["NO_PROMOTION"]
    assert basis.endswith("《党政领导干部选拔任用工作条例》第二十四条") or basis.endswith("（2019年）第二十四条")
    assert text.startswith(f"依据{basis}：")
    if "NO_LEADERSHIP_POST" in got:  # the year without a leadership post: the sources give no article number
        assert "第" not in got["NO_LEADERSHIP_POST"][0]


def test_resignation_out_of_blame_and_suspension_cite_no_article():
    assert all("第" not in basis for basis, _t in _restrictions("org", "resignation_blame").values())
    assert _restrictions("org", "suspension") == {}


def test_admonishment_cites_the_accountability_rules_and_article_24_and_says_the_period_is_local():
    basis, text = _restrictions("admonish", "admonishment")["NO_PROMOTION"]
    assert basis == "《中国共产党问责条例》（2019年修订）第八条、《党政领导干部选拔任用工作条例》第二十四条及地方有关规定"
    assert text.startswith(f"依据{basis}：诫勉，影响期六个月")


@pytest.mark.parametrize("kind", ["warning", "demerit", "post_grade_lowered", "expulsion"])
def test_institution_sanctions_cite_no_article_the_sources_did_not_give(kind):
    for basis, _text in _restrictions("inst", kind).values():
        assert basis in ("《事业单位工作人员处分规定》", "《事业单位工作人员处分暂行规定》")


def test_government_sanctions_cite_the_period_and_the_bar():
    got = _restrictions("gov", "demerit")
    assert {b for b, _t in got.values()} == {"《公职人员政务处分法》第八条、第十九条"}
