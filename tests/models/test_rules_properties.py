"""Property tests (hypothesis) of the period arithmetic and of the engine."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from models.rules import rule_table as rt
from models.rules.period_math import period_end
from models.rules.engine import RecordInput, Review, RuleSettings, evaluate

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
month_counts = st.integers(min_value=1, max_value=72)
modes = st.sampled_from(["C2", "ALT_A"])
ONE = timedelta(days=1)


@given(dates, month_counts, modes)
def test_last_day_not_before_start_and_off_is_next_day(e, n, mode):
    last, off = period_end(e, n, mode)
    assert last >= e
    assert off == last + ONE


@given(dates, dates, month_counts, modes)
def test_later_effective_never_ends_earlier(e1, e2, n, mode):
    e1, e2 = min(e1, e2), max(e1, e2)
    assert period_end(e1, n, mode)[0] <= period_end(e2, n, mode)[0]


@given(dates, month_counts)
def test_c2_never_ends_before_alt_a_and_differs_by_at_most_one_day(e, n):
    c2, alt = period_end(e, n, "C2")[0], period_end(e, n, "ALT_A")[0]
    assert alt <= c2 <= alt + ONE
    if e.day <= 28:
        assert c2 == alt


@given(dates, month_counts, month_counts, modes)
def test_longer_period_never_ends_earlier_and_c2_is_at_least_n_months(e, n1, n2, mode):
    n1, n2 = min(n1, n2), max(n1, n2)
    assert period_end(e, n1, mode)[0] <= period_end(e, n2, mode)[0]
    # a period of n months covers at least n calendar months minus one day
    last = period_end(e, n1, "C2")[0]
    assert (last.year - e.year) * 12 + (last.month - e.month) >= n1 - 1


ADDING_REGIMES = ["gov", "inst", "party"]
TIMED = {r: [k for k in rt.kinds_of(r) if rt.kind_spec(r, k).type == "timed"] for r in rt.REGIMES}
ALL_KINDS = [(r, k) for r in rt.REGIMES for k in rt.kinds_of(r)]


@st.composite
def record_sets(draw, max_size=6):
    n = draw(st.integers(min_value=1, max_value=max_size))
    records = []
    for i in range(n):
        regime, kind = draw(st.sampled_from(ALL_KINDS))
        eff = draw(dates)
        review = None
        if draw(st.integers(0, 5)) == 0:
            on = eff + timedelta(days=draw(st.integers(0, 400)))
            if draw(st.booleans()):
                review = Review(on, "revoked")
            else:
                others = [k for k in rt.kinds_of(regime) if k != kind]
                if others:
                    review = Review(on, "changed", draw(st.sampled_from(others)))
        records.append(RecordInput(f"r{i}", regime, kind, eff, review=review))
    return records


@settings(max_examples=300, deadline=None)
@given(record_sets(), modes, st.sampled_from(["separate", "sum"]))
def test_engine_invariants(records, mode, overlap):
    result = evaluate(records, RuleSettings(mode, overlap))
    assert [r.id for r in result.records] == [r.id for r in records]
    offs = []
    for rr, ri in zip(result.records, records):
        for x in rr.restrictions:
            assert x.start >= ri.effective
            if x.last_day is None:
                assert x.kind == "EXPELLED" and x.off_date is None
                continue
            assert x.last_day >= x.start
            assert x.off_date == x.last_day + ONE
            assert x.explanation.startswith("依据") and x.basis
            if x.kind in rt.OFF_DATE_KINDS:
                offs.append(x.off_date)
            if ri.regime in ("gov", "inst"):  # the cap holds
                assert x.last_day <= period_end(ri.effective, 48, mode)[0]
        if rr.status in ("revoked", "not_executed", "superseded"):
            assert rr.restrictions == ()
    assert result.off_date == (max(offs) if offs else None)


@settings(max_examples=200, deadline=None)
@given(record_sets(), modes)
def test_input_order_does_not_change_results(records, mode):
    a = evaluate(records, RuleSettings(mode))
    b = evaluate(list(reversed(records)), RuleSettings(mode))
    assert {r.id: r for r in a.records} == {r.id: r for r in b.records}
    assert a.off_date == b.off_date


@st.composite
def pairs(draw):
    regime = draw(st.sampled_from(ADDING_REGIMES))
    k1 = draw(st.sampled_from([k for k in TIMED[regime] if k != "expulsion"]))
    k2 = draw(st.sampled_from([k for k in TIMED[regime] if k != "expulsion"]))
    e1 = draw(dates)
    e2 = e1 + timedelta(days=draw(st.integers(1, 900)))  # strictly later (same day: see the contract tests)
    months = draw(st.one_of(st.none(), st.integers(1, 48)))
    return RecordInput("a", regime, k1, e1), RecordInput("b", regime, k2, e2, months=months)


@settings(max_examples=400, deadline=None)
@given(pairs(), modes, st.sampled_from(["separate", "sum"]))
def test_adding_up_never_ends_before_computing_alone(pair, mode, overlap):
    first, second = pair
    s = RuleSettings(mode, overlap)
    together = evaluate([first, second], s).record("b")
    alone = evaluate([second], s).record("b")
    by_kind = {x.kind: x for x in alone.restrictions}
    for x in together.restrictions:
        assert x.last_day >= by_kind[x.kind].last_day
    a_last = evaluate([first], s).record("a").restrictions[0].last_day
    inside = second.effective <= a_last
    sums = first.regime != "party" or second.effective >= date(2024, 1, 1) or overlap == "sum"
    assert (together.added_to == "a") == (inside and sums)
    if together.added_to and not together.capped:  # the new period is appended to the old off date
        n = second.months or alone.months
        assert together.restrictions[0].last_day == period_end(a_last + ONE, n, mode)[0]
