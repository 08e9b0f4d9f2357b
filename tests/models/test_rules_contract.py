"""The rules contract of domain §8: worked examples, every kind, every rule of §7–8, the edge-case checklist,
and every kind of invalid input. Cases go through the CASE parser and the engine (as `main.py rules` does)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.rules import rule_table as rt
from models.core.errors import ValidationError
from models.rules.engine import RecordInput, Review, RuleSettings, evaluate
from models.rules.case import parse_case, result_to_dict, run_case


def rec(rid, regime, kind, effective, **extra):
    return {"id": rid, "regime": regime, "kind": kind, "effective": effective, **extra}


def run(*records, **settings):
    case = {"records": list(records)}
    if settings:
        case["settings"] = settings
    return run_case(case)


def record(result, rid):
    [r] = [r for r in result["records"] if r["id"] == rid]
    return r


def restr(result, rid, kind):
    found = [x for x in record(result, rid)["restrictions"] if x["kind"] == kind]
    assert len(found) == 1, f"{rid} has {len(found)} restrictions of kind {kind}"
    return found[0]


def span(result, rid, kind):
    x = restr(result, rid, kind)
    return x["start"], x["last_day"], x["off_date"]


def kinds(result, rid):
    return sorted(x["kind"] for x in record(result, rid)["restrictions"])


# ------------------------------------------------------------------------------------------ §8.4 worked examples


def test_example_party_warning():
    r = run(rec("r1", "party", "warning", "2024-03-15"))
    assert span(r, "r1", "NO_PROMOTION") == ("2024-03-15", "2025-03-14", "2025-03-15")
    assert r["off_date"] == "2025-03-15"
    assert record(r, "r1")["status"] == "in_force"


def test_example_party_serious_warning_matches_the_result_sample_exactly():
    r = run(rec("r1", "party", "serious_warning", "2024-03-15"))
    assert r["records"][0]["id"] == "r1"
    assert r["records"][0]["status"] == "in_force"
    [x] = r["records"][0]["restrictions"]
    assert {k: x[k] for k in ("kind", "start", "last_day", "off_date")} == {
        "kind": "NO_PROMOTION", "start": "2024-03-15", "last_day": "2025-09-14", "off_date": "2025-09-15"}
    assert r["off_date"] == "2025-09-15"


def test_example_probation_1y():
    r = run(rec("r1", "party", "probation_1y", "2022-05-10"))
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2022-05-10", "2023-05-09", "2023-05-10")
    assert record(r, "r1")["restored_on"] == "2023-05-10"
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2023-05-10", "2025-05-09", "2025-05-10")
    assert span(r, "r1", "NO_PROMOTION") == ("2022-05-10", "2025-05-09", "2025-05-10")
    assert r["off_date"] == "2025-05-10"


def test_example_gov_warning_on_the_31st():
    r = run(rec("r1", "gov", "warning", "2024-01-31"))
    assert span(r, "r1", "NO_PROMOTION") == ("2024-01-31", "2024-07-30", "2024-07-31")


@pytest.mark.parametrize("mode, last, off", [("C2", "2024-02-29", "2024-03-01"), ("ALT_A", "2024-02-28", "2024-02-29")])
def test_example_gov_warning_31st_to_leap_february(mode, last, off):
    r = run(rec("r1", "gov", "warning", "2023-08-31"), month_end=mode)
    assert span(r, "r1", "NO_PROMOTION") == ("2023-08-31", last, off)
    assert r["off_date"] == off


def test_example_same_matter_two_regimes():
    r = run(rec("p", "party", "serious_warning", "2024-04-10"), rec("g", "gov", "demerit", "2024-04-12"))
    assert restr(r, "p", "NO_PROMOTION")["last_day"] == "2025-10-09"
    assert restr(r, "g", "NO_SALARY_STEP")["last_day"] == "2025-04-11"
    assert restr(r, "g", "NO_PROMOTION")["last_day"] == "2025-04-11"
    assert r["off_date"] == "2025-10-10"


def test_example_new_gov_sanction_during_a_period():
    r = run(rec("a", "gov", "demerit", "2023-03-01"), rec("b", "gov", "major_demerit", "2023-09-01"))
    assert restr(r, "a", "NO_PROMOTION")["last_day"] == "2024-02-29"
    assert span(r, "b", "NO_PROMOTION") == ("2023-09-01", "2025-08-31", "2025-09-01")
    assert span(r, "b", "NO_SALARY_STEP") == ("2023-09-01", "2025-08-31", "2025-09-01")
    assert record(r, "b")["added_to"] == "a"
    assert "合并" in restr(r, "b", "NO_PROMOTION")["explanation"]
    assert r["off_date"] == "2025-09-01"


def test_example_post_adjustment():
    r = run(rec("r1", "org", "post_adjustment", "2024-07-01"))
    assert span(r, "r1", "NO_PROMOTION") == ("2024-07-01", "2025-06-30", "2025-07-01")


def test_example_removal_plus_serious_warning():
    r = run(rec("m", "org", "removal", "2024-03-01"), rec("p", "party", "serious_warning", "2024-03-05"))
    assert restr(r, "m", "NO_LEADERSHIP_POST")["last_day"] == "2025-02-28"
    assert restr(r, "m", "NO_PROMOTION")["last_day"] == "2026-02-28"
    assert restr(r, "p", "NO_PROMOTION")["last_day"] == "2025-09-04"
    assert r["off_date"] == "2026-03-01"


def test_example_revoked_on_review():
    r = run(rec("r1", "gov", "demerit", "2024-04-01", review={"on": "2024-07-15", "outcome": "revoked"}))
    assert record(r, "r1")["status"] == "revoked"
    assert record(r, "r1")["restrictions"] == []
    assert r["off_date"] is None


# ------------------------------------------------------------------------------------------ §8.2 every kind

# regime, kind, {restriction: months}; all timed restrictions start on the effective date 2024-03-15
KIND_TABLE = [
    ("party", "warning", {"NO_PROMOTION": 12}),
    ("party", "serious_warning", {"NO_PROMOTION": 18}),
    ("party", "removal_from_party_post", {"NO_PROMOTION": 24, "NO_EQUAL_OR_HIGHER_POST": 24}),
    ("party", "expulsion", {"NO_REJOIN_PARTY": 60, "NO_EQUAL_OR_HIGHER_POST": 60}),
    ("gov", "warning", {"NO_PROMOTION": 6}),
    ("gov", "demerit", {"NO_PROMOTION": 12, "NO_SALARY_STEP": 12}),
    ("gov", "major_demerit", {"NO_PROMOTION": 18, "NO_SALARY_STEP": 18}),
    ("gov", "demotion", {"NO_PROMOTION": 24, "NO_SALARY_STEP": 24}),
    ("gov", "dismissal", {"NO_PROMOTION": 24, "NO_SALARY_STEP": 24}),
    ("inst", "warning", {"NO_PROMOTION": 6}),
    ("inst", "demerit", {"NO_PROMOTION": 12, "NO_TITLE_EVAL": 12}),
    ("inst", "post_grade_lowered", {"NO_PROMOTION": 24, "NO_TITLE_EVAL": 24}),
    ("inst", "dismissal", {"NO_PROMOTION": 24, "NO_TITLE_EVAL": 24}),
    ("org", "post_adjustment", {"NO_PROMOTION": 12}),
    ("org", "ordered_resignation", {"NO_LEADERSHIP_POST": 12, "NO_PROMOTION": 24}),
    ("org", "removal", {"NO_LEADERSHIP_POST": 12, "NO_PROMOTION": 24}),
    ("org", "resignation_blame", {"NO_LEADERSHIP_POST": 12, "NO_PROMOTION": 24}),
    ("org", "demotion", {"NO_PROMOTION": 24}),
    ("org", "suspension", {}),
    ("admonish", "admonishment", {"NO_PROMOTION": 6}),
]
END_OF = {6: ("2024-09-14", "2024-09-15"), 12: ("2025-03-14", "2025-03-15"), 18: ("2025-09-14", "2025-09-15"),
          24: ("2026-03-14", "2026-03-15"), 60: ("2029-03-14", "2029-03-15")}
OFF_KINDS = {"NO_PROMOTION", "NO_EQUAL_OR_HIGHER_POST", "NO_LEADERSHIP_POST"}


@pytest.mark.parametrize("regime, kind, expected", KIND_TABLE, ids=[f"{a}.{b}" for a, b, _ in KIND_TABLE])
def test_every_timed_kind(regime, kind, expected):
    r = run(rec("r1", regime, kind, "2024-03-15"))
    assert kinds(r, "r1") == sorted(expected)
    for rkind, months in expected.items():
        assert span(r, "r1", rkind) == ("2024-03-15", *END_OF[months]), rkind
        x = restr(r, "r1", rkind)
        assert x["basis"].startswith("《") and x["explanation"].startswith("依据")
    offs = [END_OF[m][1] for k, m in expected.items() if k in OFF_KINDS]
    assert r["off_date"] == (max(offs) if offs else None)
    assert record(r, "r1")["status"] == "in_force"


def test_every_kind_of_the_contract_is_in_the_table_with_a_chinese_label():
    contract = {
        "party": {"warning", "serious_warning", "removal_from_party_post", "probation_1y", "probation_2y", "expulsion"},
        "gov": {"warning", "demerit", "major_demerit", "demotion", "dismissal", "expulsion"},
        "inst": {"warning", "demerit", "post_grade_lowered", "dismissal", "expulsion"},
        "org": {"suspension", "post_adjustment", "ordered_resignation", "removal", "resignation_blame", "demotion"},
        "admonish": {"admonishment"},
    }
    assert {r: set(rt.kinds_of(r)) for r in rt.REGIMES} == contract
    assert rt.kind_label("party", "probation_1y") == "留党察看一年"
    assert rt.kind_label("gov", "major_demerit") == "记大过"
    assert rt.kind_label("inst", "post_grade_lowered") == "降低岗位等级"
    assert rt.REGIME_LABELS["party"] == "党纪处分"
    assert rt.RESTRICTION_LABELS["NO_PROMOTION"] == "不得提拔/晋升"
    assert rt.TABLE_VERSION


@pytest.mark.parametrize("regime", ["gov", "inst"])
def test_expulsion_is_permanent(regime):
    r = run(rec("r1", regime, "expulsion", "2024-03-15"))
    assert [(x["kind"], x["start"], x["last_day"], x["off_date"]) for x in record(r, "r1")["restrictions"]] == [
        ("EXPELLED", "2024-03-15", None, None)]
    assert r["off_date"] is None


def test_probation_2y():
    r = run(rec("r1", "party", "probation_2y", "2022-05-10"))
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2022-05-10", "2024-05-09", "2024-05-10")
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2024-05-10", "2026-05-09", "2026-05-10")
    assert span(r, "r1", "NO_PROMOTION") == ("2022-05-10", "2026-05-09", "2026-05-10")
    assert r["off_date"] == "2026-05-10"


def test_probation_1y_extended_is_24_months_from_effective():
    r = run(rec("r1", "party", "probation_1y", "2022-05-10", probation_extended=True))
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2022-05-10", "2024-05-09", "2024-05-10")
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2024-05-10", "2026-05-09", "2026-05-10")
    assert "延长" in restr(r, "r1", "NO_VOTE_ELECT")["explanation"]


def test_probation_with_actual_restoration_date():
    r = run(rec("r1", "party", "probation_1y", "2022-05-10", restored_on="2023-06-20"))
    assert record(r, "r1")["restored_on"] == "2023-06-20"
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2022-05-10", "2023-05-09", "2023-05-10")
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2023-06-20", "2025-06-19", "2025-06-20")
    assert span(r, "r1", "NO_PROMOTION") == ("2022-05-10", "2025-06-19", "2025-06-20")
    assert r["off_date"] == "2025-06-20"


def test_probation_on_a_month_end_follows_the_setting():
    c2 = run(rec("r1", "party", "probation_1y", "2023-02-28"))  # no month-end issue
    assert restr(c2, "r1", "NO_VOTE_ELECT")["last_day"] == "2024-02-27"
    c2 = run(rec("r1", "party", "probation_1y", "2023-03-31"), month_end="C2")
    a = run(rec("r1", "party", "probation_1y", "2023-03-31"), month_end="ALT_A")
    assert restr(c2, "r1", "NO_VOTE_ELECT")["last_day"] == restr(a, "r1", "NO_VOTE_ELECT")["last_day"] == "2024-03-30"


# ------------------------------------------------------------------------------------------ party versions


@pytest.mark.parametrize(
    "effective, version, last",
    [
        ("2015-06-01", None, "2016-05-31"),  # before 2016-01-01: 2003 version, 12 months
        ("2015-12-31", None, "2016-12-30"),
        ("2016-01-01", None, "2017-06-30"),  # 2015+ version: 18 months
        ("2019-03-15", None, "2020-09-14"),
        ("2017-03-15", "2003", "2018-03-14"),  # explicitly decided under the 2003 rules
        ("2015-06-01", "2015+", "2016-11-30"),
    ],
)
def test_serious_warning_by_rules_version(effective, version, last):
    extra = {"rules_version": version} if version else {}
    r = run(rec("r1", "party", "serious_warning", effective, **extra))
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == last


def test_party_basis_follows_the_version_in_force():
    assert "2023" in restr(run(rec("r", "party", "warning", "2024-01-01")), "r", "NO_PROMOTION")["basis"]
    assert "2018" in restr(run(rec("r", "party", "warning", "2019-01-01")), "r", "NO_PROMOTION")["basis"]
    assert "2015" in restr(run(rec("r", "party", "warning", "2017-01-01")), "r", "NO_PROMOTION")["basis"]
    assert "2003" in restr(run(rec("r", "party", "warning", "2012-01-01")), "r", "NO_PROMOTION")["basis"]


def test_gov_explanation_names_the_law_and_article():
    r = run(rec("r1", "gov", "demerit", "2024-04-01"))
    assert restr(r, "r1", "NO_PROMOTION")["explanation"].startswith(
        "依据《公职人员政务处分法》第八条、第十九条：记过，处分期十二个月，自2024年4月1日起至2025年3月31日止")


@pytest.mark.parametrize("effective", ["2014-05-01", "2024-05-01"])
def test_serious_warning_in_lieu_of_revocation(effective):
    r = run(rec("r1", "party", "serious_warning", effective, in_lieu_of_revocation=True))
    y = int(effective[:4]) + 2
    assert span(r, "r1", "NO_PROMOTION") == (effective, f"{y}-04-30", f"{y}-05-01")
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == (effective, f"{y}-04-30", f"{y}-05-01")


def test_months_fixed_by_the_deciding_organ():
    r = run(rec("r1", "gov", "demerit", "2024-03-15", months=30))
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == "2026-09-14"
    assert restr(r, "r1", "NO_SALARY_STEP")["last_day"] == "2026-09-14"
    r = run(rec("r1", "org", "removal", "2024-03-15", months=18))
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == "2025-09-14"
    assert restr(r, "r1", "NO_LEADERSHIP_POST")["last_day"] == "2025-03-14"  # its own 12 months stay


# ------------------------------------------------------------------------------------------ adding up (C6)


def test_new_record_on_the_old_last_day_adds_up():
    r = run(rec("a", "gov", "warning", "2024-01-01"), rec("b", "gov", "warning", "2024-06-30"))
    assert restr(r, "a", "NO_PROMOTION")["last_day"] == "2024-06-30"
    assert span(r, "b", "NO_PROMOTION") == ("2024-06-30", "2024-12-31", "2025-01-01")
    assert record(r, "b")["added_to"] == "a"


def test_new_record_on_the_old_off_date_is_independent():
    r = run(rec("a", "gov", "warning", "2024-01-01"), rec("b", "gov", "warning", "2024-07-01"))
    assert span(r, "b", "NO_PROMOTION") == ("2024-07-01", "2024-12-31", "2025-01-01")
    assert "added_to" not in record(r, "b")
    assert "合并" not in restr(r, "b", "NO_PROMOTION")["explanation"]


def test_adding_up_does_not_depend_on_input_order():
    a, b = rec("a", "gov", "demerit", "2023-03-01"), rec("b", "gov", "major_demerit", "2023-09-01")
    assert run(a, b)["records"] == list(reversed(run(b, a)["records"]))


def test_chain_of_three():
    r = run(rec("a", "gov", "warning", "2024-01-01"),  # last 2024-06-30
            rec("b", "gov", "demerit", "2024-05-01"),  # end(2024-07-01, 12) -> 2025-06-30
            rec("c", "gov", "warning", "2025-06-30"))  # end(2025-07-01, 6) -> 2025-12-31
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2025-06-30"
    assert restr(r, "c", "NO_PROMOTION")["last_day"] == "2025-12-31"
    assert record(r, "c")["added_to"] == "b"
    assert r["off_date"] == "2026-01-01"


def test_chain_picks_the_running_record_with_the_latest_end():
    # b is independent of a (after a's end); c falls inside both a's and b's periods; it continues b (the later)
    r = run(rec("a", "gov", "dismissal", "2024-01-01"),  # last 2025-12-31
            rec("b", "gov", "warning", "2024-01-01", months=None),  # same day: adds to a -> end(2026-01-01, 6)
            rec("c", "gov", "warning", "2024-03-01"))
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2026-06-30"
    assert restr(r, "c", "NO_PROMOTION")["last_day"] == "2026-12-31"
    assert record(r, "c")["added_to"] == "b"


def test_48_month_cap_for_gov_and_inst():
    for regime, heavy in (("gov", "demotion"), ("inst", "post_grade_lowered")):
        r = run(rec("a", regime, heavy, "2022-01-01"),  # last 2023-12-31
                rec("b", regime, "demerit", "2022-01-02", months=40))  # end(2024-01-01, 40) = 2027-04-30 > cap
        assert span(r, "b", "NO_PROMOTION") == ("2022-01-02", "2026-01-01", "2026-01-02"), regime
        assert record(r, "b")["capped"] is True
        assert "上限" in restr(r, "b", "NO_PROMOTION")["explanation"]


def test_cap_follows_month_end_setting():
    r = run(rec("a", "gov", "demotion", "2021-12-31"), rec("b", "gov", "demerit", "2022-01-31", months=40), month_end="ALT_A")
    # cap: end(2022-01-31, 48) ALT_A -> T=2026-01-31 exists -> last 2026-01-30
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2026-01-30"


def test_no_cap_for_party():
    r = run(rec("a", "party", "removal_from_party_post", "2024-01-02"),  # last 2026-01-01
            rec("b", "party", "removal_from_party_post", "2024-01-03"),  # end(2026-01-02, 24)
            rec("c", "party", "removal_from_party_post", "2024-01-04"))  # end(2028-01-02, 24) -> 2030-01-01
    assert restr(r, "c", "NO_PROMOTION")["last_day"] == "2030-01-01"
    assert restr(r, "c", "NO_EQUAL_OR_HIGHER_POST")["last_day"] == "2030-01-01"
    assert record(r, "c").get("capped") is False


def test_party_overlap_before_2024_separate_by_default_and_sum_on_request():
    a, b = rec("a", "party", "warning", "2022-01-01"), rec("b", "party", "serious_warning", "2022-06-01")
    sep = run(a, b)
    assert restr(sep, "b", "NO_PROMOTION")["last_day"] == "2023-11-30"
    total = run(a, b, party_overlap_before_2024="sum")
    assert restr(total, "b", "NO_PROMOTION")["last_day"] == "2024-06-30"  # end(2023-01-01, 18)


def test_party_record_from_2024_adds_to_an_older_one_whatever_the_setting():
    r = run(rec("a", "party", "serious_warning", "2023-03-01"),  # last 2024-08-31
            rec("b", "party", "warning", "2024-01-01"))
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2025-08-31"  # end(2024-09-01, 12)


def test_party_2023_record_before_cutover_stays_separate():
    r = run(rec("a", "party", "warning", "2023-06-01"), rec("b", "party", "warning", "2023-12-31"))
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2024-12-30"


def test_party_probation_never_adds_up():
    r = run(rec("w", "party", "warning", "2024-02-01"), rec("p", "party", "probation_1y", "2024-06-01"),
            rec("w2", "party", "warning", "2024-08-01"))
    assert span(r, "p", "NO_VOTE_ELECT") == ("2024-06-01", "2025-05-31", "2025-06-01")
    assert restr(r, "p", "NO_PROMOTION")["last_day"] == "2027-05-31"
    # w2 adds to w (still running on 2024-08-01), not to the probation
    assert record(r, "w2")["added_to"] == "w"
    assert restr(r, "w2", "NO_PROMOTION")["last_day"] == "2026-01-31"  # end(2025-02-01, 12)


def test_party_expulsion_never_adds_up():
    r = run(rec("w", "party", "warning", "2024-02-01"), rec("x", "party", "expulsion", "2024-06-01"))
    assert span(r, "x", "NO_REJOIN_PARTY") == ("2024-06-01", "2029-05-31", "2029-06-01")
    assert "added_to" not in record(r, "x")


def test_expulsion_during_probation_supersedes_it():
    r = run(rec("p", "party", "probation_1y", "2024-02-01"), rec("x", "party", "expulsion", "2024-10-01"))
    assert record(r, "p")["status"] == "superseded"
    assert record(r, "p")["restrictions"] == []
    assert record(r, "x")["status"] == "in_force"
    assert r["off_date"] == "2029-10-01"


def test_expulsion_after_probation_ended_does_not_supersede():
    r = run(rec("p", "party", "probation_1y", "2022-02-01"), rec("x", "party", "expulsion", "2023-02-01"))
    assert record(r, "p")["status"] == "in_force"  # probation ended 2023-01-31
    assert kinds(r, "p") == ["NO_EQUAL_OR_HIGHER_POST", "NO_PROMOTION", "NO_VOTE_ELECT"]


def test_different_regimes_never_add_up():
    r = run(rec("g", "gov", "demerit", "2024-01-01"), rec("i", "inst", "demerit", "2024-02-01"),
            rec("p", "party", "warning", "2024-03-01"), rec("o", "org", "post_adjustment", "2024-04-01"),
            rec("o2", "org", "post_adjustment", "2024-05-01"), rec("c", "admonish", "admonishment", "2024-06-01"),
            rec("c2", "admonish", "admonishment", "2024-07-01"))
    assert restr(r, "i", "NO_PROMOTION")["last_day"] == "2025-01-31"
    assert restr(r, "p", "NO_PROMOTION")["last_day"] == "2025-02-28"
    assert restr(r, "o2", "NO_PROMOTION")["last_day"] == "2025-04-30"  # org never adds up
    assert restr(r, "c2", "NO_PROMOTION")["last_day"] == "2024-12-31"  # admonish never adds up
    assert all("added_to" not in x for x in r["records"])
    assert r["off_date"] == "2025-05-01"


def test_two_restrictions_ending_the_same_day():
    r = run(rec("p", "party", "warning", "2024-03-15"), rec("g", "gov", "demerit", "2024-03-15"))
    assert restr(r, "p", "NO_PROMOTION")["off_date"] == restr(r, "g", "NO_PROMOTION")["off_date"] == "2025-03-15"
    assert r["off_date"] == "2025-03-15"


def test_cadre_off_date_ignores_salary_title_vote_rejoin_and_expelled():
    r = run(rec("g", "gov", "expulsion", "2024-03-15"))
    assert r["off_date"] is None
    r = run(rec("o", "org", "suspension", "2024-03-15"))
    assert record(r, "o")["restrictions"] == [] and r["off_date"] is None


def test_empty_case():
    assert run() == {"records": [], "off_date": None, "rule_table_version": rt.TABLE_VERSION,
                     "settings": {"month_end": "C2", "party_overlap_before_2024": "separate"}}


# ------------------------------------------------------------------------------------------ together_with


def test_together_only_the_heaviest_is_executed():
    r = run(rec("a", "gov", "demerit", "2024-03-15", together_with=["b"]), rec("b", "gov", "major_demerit", "2024-03-15"))
    assert record(r, "a")["status"] == "not_executed" and record(r, "a")["restrictions"] == []
    assert record(r, "a")["related_id"] == "b"
    assert record(r, "b")["status"] == "in_force"
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2025-09-14"  # not added to a
    assert r["off_date"] == "2025-09-15"


def test_together_group_of_three_through_links():
    r = run(rec("a", "inst", "warning", "2024-03-15", together_with=["b"]),
            rec("b", "inst", "post_grade_lowered", "2024-03-15", together_with=["c"]),
            rec("c", "inst", "demerit", "2024-03-15"))
    assert [x["status"] for x in r["records"]] == ["not_executed", "in_force", "not_executed"]


def test_together_same_kinds_with_months_fixed():
    r = run(rec("a", "gov", "demerit", "2024-03-15", together_with=["b"], months=20), rec("b", "gov", "demerit", "2024-03-15"))
    assert record(r, "a")["status"] == "in_force" and record(r, "b")["status"] == "not_executed"
    assert restr(r, "a", "NO_PROMOTION")["last_day"] == "2025-11-14"


def test_together_revoked_heaviest_leaves_the_other_executed():
    r = run(rec("a", "gov", "demerit", "2024-03-15", together_with=["b"]),
            rec("b", "gov", "dismissal", "2024-03-15", review={"on": "2024-05-01", "outcome": "revoked"}))
    assert record(r, "b")["status"] == "revoked"
    assert record(r, "a")["status"] == "in_force"
    assert restr(r, "a", "NO_PROMOTION")["last_day"] == "2025-03-14"


# ------------------------------------------------------------------------------------------ reviews (§1.9)


def test_revoked_record_is_removed_from_a_chain():
    a = rec("a", "gov", "warning", "2024-01-01")  # last 2024-06-30
    b = rec("b", "gov", "demerit", "2024-05-01", review={"on": "2024-06-01", "outcome": "revoked"})
    c = rec("c", "gov", "warning", "2024-12-01")  # inside b's summed period, but outside a's
    r = run(a, b, c)
    assert record(r, "b")["status"] == "revoked" and record(r, "b")["restrictions"] == []
    assert span(r, "c", "NO_PROMOTION") == ("2024-12-01", "2025-05-31", "2025-06-01")
    without_revocation = run(a, {k: v for k, v in b.items() if k != "review"}, c)
    assert restr(without_revocation, "c", "NO_PROMOTION")["last_day"] == "2025-12-31"  # end(2025-07-01, 6)


def test_revoked_in_the_middle_chain_recomputed():
    a = rec("a", "gov", "demerit", "2023-03-01")  # last 2024-02-29
    b = rec("b", "gov", "warning", "2023-06-01", review={"on": "2023-07-01", "outcome": "revoked"})
    c = rec("c", "gov", "warning", "2024-01-15")
    r = run(a, b, c)
    assert record(r, "c")["added_to"] == "a"
    assert restr(r, "c", "NO_PROMOTION")["last_day"] == "2024-08-31"  # end(2024-03-01, 6)


def test_changed_to_lighter_kind_recomputes_from_the_original_date():
    r = run(rec("r1", "gov", "major_demerit", "2024-03-15", review={"on": "2024-05-10", "outcome": "changed", "kind": "warning"}))
    assert record(r, "r1")["status"] == "changed"
    assert record(r, "r1")["kind"] == "warning" and record(r, "r1")["original_kind"] == "major_demerit"
    assert kinds(r, "r1") == ["NO_PROMOTION"]
    assert span(r, "r1", "NO_PROMOTION") == ("2024-03-15", "2024-09-14", "2024-09-15")
    assert r["off_date"] == "2024-09-15"


def test_changed_record_takes_part_in_a_chain_with_its_new_kind():
    r = run(rec("a", "gov", "demerit", "2024-01-01"),
            rec("b", "gov", "dismissal", "2024-06-01", review={"on": "2024-07-01", "outcome": "changed", "kind": "warning"}))
    assert record(r, "b")["status"] == "changed"
    assert restr(r, "b", "NO_PROMOTION")["last_day"] == "2025-06-30"  # end(2025-01-01, 6)


def test_changed_up_to_probation_counts_from_the_change_date():
    r = run(rec("r1", "party", "serious_warning", "2024-03-15",
                review={"on": "2024-06-01", "outcome": "changed", "kind": "probation_1y"}))
    assert record(r, "r1")["status"] == "changed"
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2024-06-01", "2025-05-31", "2025-06-01")
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2025-06-01", "2027-05-31", "2027-06-01")
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == "2027-05-31"
    assert r["off_date"] == "2027-06-01"


def test_expulsion_reduced_to_probation_counts_from_the_original_date():
    r = run(rec("r1", "party", "expulsion", "2024-03-15",
                review={"on": "2024-06-01", "outcome": "changed", "kind": "probation_1y"}))
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2024-03-15", "2025-03-14", "2025-03-15")
    assert record(r, "r1")["restored_on"] == "2025-03-15"
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2025-03-15", "2027-03-14", "2027-03-15")
    assert kinds(r, "r1") == ["NO_EQUAL_OR_HIGHER_POST", "NO_PROMOTION", "NO_VOTE_ELECT"]


def test_expulsion_reduced_after_the_probation_would_have_ended_restores_on_the_change_date():
    r = run(rec("r1", "party", "expulsion", "2022-03-15",
                review={"on": "2023-09-01", "outcome": "changed", "kind": "probation_1y"}))
    assert span(r, "r1", "NO_VOTE_ELECT") == ("2022-03-15", "2023-03-14", "2023-03-15")
    assert record(r, "r1")["restored_on"] == "2023-09-01"
    assert span(r, "r1", "NO_EQUAL_OR_HIGHER_POST") == ("2023-09-01", "2025-08-31", "2025-09-01")
    assert "变更" in restr(r, "r1", "NO_EQUAL_OR_HIGHER_POST")["explanation"]


# ------------------------------------------------------------------------------------------ Python API


def test_api_matches_the_case_parser():
    result = evaluate([RecordInput("a", "gov", "demerit", date(2023, 3, 1)),
                       RecordInput("b", "gov", "major_demerit", date(2023, 9, 1))])
    b = result.record("b")
    assert b.restrictions[0].last_day == date(2025, 8, 31) and b.added_to == "a"
    assert result.off_date == date(2025, 9, 1)
    assert result.in_impact_period(date(2025, 8, 31)) and not result.in_impact_period(date(2025, 9, 1))
    assert [k for k, _ in result.active_restrictions(date(2024, 1, 1))] == ["a", "a", "b", "b"]
    records, settings = parse_case(json.dumps({"records": [
        {"id": "a", "regime": "gov", "kind": "demerit", "effective": "2023-03-01"},
        {"id": "b", "regime": "gov", "kind": "major_demerit", "effective": "2023-09-01"}]}))
    assert result_to_dict(evaluate(records, settings)) == {k: v for k, v in run_case(json.dumps({"records": [
        {"id": "a", "regime": "gov", "kind": "demerit", "effective": "2023-03-01"},
        {"id": "b", "regime": "gov", "kind": "major_demerit", "effective": "2023-09-01"}]})).items() if k != "settings"}


@pytest.mark.parametrize(
    "record_input, fragment",
    [
        (RecordInput("a", "gov", "demerit", "2024-01-01"), "effective"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), months=0), "months"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), months=True), "months"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), months=49), "48"),
        (RecordInput("a", "gov", "expulsion", date(2024, 1, 1), months=12), "months"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), in_lieu_of_revocation=True), "in_lieu"),
        (RecordInput("a", "party", "probation_2y", date(2024, 1, 1), probation_extended=True), "probation_extended"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), rules_version="2003"), "rules_version"),
        (RecordInput("a", "party", "warning", date(2024, 1, 1), restored_on=date(2025, 1, 1)), "restored_on"),
        (RecordInput("a", "party", "probation_1y", date(2024, 1, 1), restored_on=date(2023, 1, 1)), "恢复"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), review=Review(date(2024, 2, 1), "changed", "demerit")), "相同"),
        (RecordInput("a", "gov", "demerit", date(2024, 1, 1), together_with=("a",)), "自己"),
        (RecordInput("", "gov", "demerit", date(2024, 1, 1)), "id"),
    ],
)
def test_api_validation(record_input, fragment):
    with pytest.raises(ValidationError) as exc:
        evaluate([record_input])
    assert fragment in exc.value.message
    assert "\n" not in exc.value.message


def test_api_rejects_bad_settings():
    with pytest.raises(ValidationError, match="month_end"):
        evaluate([], RuleSettings(month_end="C3"))
    with pytest.raises(ValidationError, match="party_overlap_before_2024"):
        evaluate([], RuleSettings(party_overlap_before_2024="add"))


# ------------------------------------------------------------------------------------------ invalid CASE input

GOOD = {"id": "r1", "regime": "gov", "kind": "demerit", "effective": "2024-03-15"}


def with_(**changes):
    r = dict(GOOD)
    for k, v in changes.items():
        if v is _DROP:
            r.pop(k)
        else:
            r[k] = v
    return r


_DROP = object()

BAD_CASES = [
    ("not json", "{records: [}", "不是有效的 JSON"),
    ("trailing garbage", '{"records": []} x', "不是有效的 JSON"),
    ("empty text", "   ", "空"),
    ("array at top", "[]", "JSON 对象"),
    ("string at top", '"abc"', "JSON 对象"),
    ("no records", {"settings": {}}, "records"),
    ("records not a list", {"records": {"id": "r1"}}, "records"),
    ("record not an object", {"records": ["r1"]}, "第 1 条记录"),
    ("missing id", {"records": [with_(id=_DROP)]}, "第 1 条记录：缺少 id"),
    ("numeric id", {"records": [with_(id=5)]}, "id 必须是字符串"),
    ("unknown regime", {"records": [with_(regime="army")]}, "记录 r1：regime \"army\" 未知"),
    ("missing regime", {"records": [with_(regime=_DROP)]}, "记录 r1：缺少 regime"),
    ("unknown kind", {"records": [with_(kind="scolding")]}, "记录 r1：kind \"scolding\""),
    ("kind of another regime", {"records": [with_(kind="serious_warning")]}, "不属于 gov"),
    ("missing kind", {"records": [with_(kind=_DROP)]}, "记录 r1：缺少 kind"),
    ("missing date", {"records": [with_(effective=_DROP)]}, "记录 r1：缺少 effective"),
    ("null date", {"records": [with_(effective=None)]}, "记录 r1：缺少 effective"),
    ("impossible date", {"records": [with_(effective="2024-02-30")]},
     "记录 r1：effective 日期 \"2024-02-30\" 不存在，请按 YYYY-MM-DD 填写实际日期"),
    ("impossible month", {"records": [with_(effective="2024-13-01")]}, "不存在"),
    ("not iso", {"records": [with_(effective="2024/03/15")]}, "格式不对"),
    ("compact iso", {"records": [with_(effective="20240315")]}, "格式不对"),
    ("date with time", {"records": [with_(effective="2024-03-15T10:00")]}, "格式不对"),
    ("date as number", {"records": [with_(effective=20240315)]}, "effective"),
    ("year out of range", {"records": [with_(effective="0001-01-01")]}, "范围"),
    ("duplicate ids", {"records": [GOOD, with_(kind="warning")]}, "记录 r1：id 重复"),
    ("together unknown id", {"records": [with_(together_with=["r9"])]}, "r9"),
    ("together other regime", {"records": [with_(together_with=["p1"]), {"id": "p1", "regime": "party", "kind": "warning", "effective": "2024-03-15"}]}, "不是同一类处分"),
    ("together not a list", {"records": [with_(together_with="r2")]}, "together_with"),
    ("review before decision", {"records": [with_(review={"on": "2024-03-14", "outcome": "revoked"})]}, "早于决定生效日期"),
    ("review outcome unknown", {"records": [with_(review={"on": "2024-04-01", "outcome": "upheld"})]}, "outcome"),
    ("review without date", {"records": [with_(review={"outcome": "revoked"})]}, "review.on"),
    ("review bad date", {"records": [with_(review={"on": "2024-04-31", "outcome": "revoked"})]}, "不存在"),
    ("changed without kind", {"records": [with_(review={"on": "2024-04-01", "outcome": "changed"})]}, "review.kind"),
    ("changed to unknown kind", {"records": [with_(review={"on": "2024-04-01", "outcome": "changed", "kind": "probation_1y"})]}, "review.kind"),
    ("review not an object", {"records": [with_(review="revoked")]}, "review"),
    ("months string", {"records": [with_(months="12")]}, "months 必须是正整数"),
    ("months float", {"records": [with_(months=12.5)]}, "months 必须是正整数"),
    ("months zero", {"records": [with_(months=0)]}, "months 必须是正整数"),
    ("months negative", {"records": [with_(months=-6)]}, "months 必须是正整数"),
    ("months bool", {"records": [with_(months=True)]}, "months 必须是正整数"),
    ("months over cap", {"records": [with_(months=60)]}, "48"),
    ("bool as string", {"records": [{"id": "p", "regime": "party", "kind": "serious_warning", "effective": "2024-03-15", "in_lieu_of_revocation": "yes"}]}, "in_lieu_of_revocation 必须是 true 或 false"),
    ("bool as number", {"records": [{"id": "p", "regime": "party", "kind": "probation_1y", "effective": "2024-03-15", "probation_extended": 1}]}, "probation_extended 必须是 true 或 false"),
    ("in lieu on wrong kind", {"records": [{"id": "p", "regime": "party", "kind": "warning", "effective": "2024-03-15", "in_lieu_of_revocation": True}]}, "in_lieu_of_revocation"),
    ("rules_version unknown", {"records": [{"id": "p", "regime": "party", "kind": "warning", "effective": "2024-03-15", "rules_version": "2018"}]}, "rules_version"),
    ("restored_on impossible", {"records": [{"id": "p", "regime": "party", "kind": "probation_1y", "effective": "2024-03-15", "restored_on": "2025-02-29"}]}, "不存在"),
    ("settings not an object", {"settings": "C2", "records": []}, "settings"),
    ("month_end unknown", {"settings": {"month_end": "C1"}, "records": []}, "month_end"),
    ("overlap unknown", {"settings": {"party_overlap_before_2024": "add"}, "records": []}, "party_overlap_before_2024"),
    ("duplicate key", '{"records": [], "records": []}', "重复的键"),
    ("NaN", '{"records": [{"id": "r1", "regime": "gov", "kind": "demerit", "effective": "2024-03-15", "months": NaN}]}', "NaN"),
]


@pytest.mark.parametrize("case, fragment", [(c, f) for _, c, f in BAD_CASES], ids=[n for n, _, _ in BAD_CASES])
def test_invalid_case_gives_one_clear_line(case, fragment):
    with pytest.raises(ValidationError) as exc:
        run_case(json.dumps(case, ensure_ascii=False) if isinstance(case, dict) else case)
    message = exc.value.message
    assert fragment in message
    assert "\n" not in message and "Traceback" not in message


def test_unknown_fields_are_ignored_with_a_warning():
    r = run_case({"comment": "x", "records": [with_(note="备注")]})
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == "2025-03-14"
    assert any("note" in w for w in r["warnings"]) and any("comment" in w for w in r["warnings"])


def test_nulls_for_optional_fields_mean_absent():
    r = run(with_(months=None, together_with=None, review=None, restored_on=None, rules_version=None))
    assert restr(r, "r1", "NO_PROMOTION")["last_day"] == "2025-03-14"


def test_same_day_records_not_decided_together_the_heavier_runs_first():
    for order in ((0, 1), (1, 0)):
        pair = [rec("w", "gov", "warning", "2024-03-15"), rec("d", "gov", "demerit", "2024-03-15")]
        r = run(*(pair[i] for i in order))
        assert restr(r, "d", "NO_PROMOTION")["last_day"] == "2025-03-14"
        assert record(r, "w")["added_to"] == "d"
        assert restr(r, "w", "NO_PROMOTION")["last_day"] == "2025-09-14"
