"""Hypothesis: the vectorised evaluator agrees with the per-person oracle (tests/history/oracle.py)
on random histories (gaps of every kind, ties, several schemes) and random rules."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.history import History, HistoryRow, evaluate, format_period, load_policy, parse_period

from .oracle import oracle

FIRST = parse_period("2025-11")
GRADES = ["A", "B", "C"]


@st.composite
def histories(draw: Any) -> History:
    n_people = draw(st.integers(1, 6))
    n_months = draw(st.integers(1, 8))
    rows = []
    for p in range(n_people):
        for m in range(n_months):
            gaps = ["ok", "ok", "ok", "ok", "leave", "not_appraised", "absent"]
            # E0's first month has a result, so the item column exists.
            kind = "ok" if p == m == 0 else draw(st.sampled_from(gaps))
            if kind == "absent":
                continue
            period = format_period(FIRST + m)
            if kind != "ok":
                rows.append(HistoryRow(employee=f"E{p}", period=period, status=kind))
                continue
            rows.append(
                HistoryRow(
                    employee=f"E{p}",
                    period=period,
                    scheme=draw(st.sampled_from(["s1", "s1", "s2"])),
                    group=draw(st.sampled_from(["g1", "g2"])),
                    total=float(draw(st.integers(50, 70))),
                    grade=draw(st.sampled_from(GRADES)),
                    rank=draw(st.integers(1, 4)),
                    group_rank=draw(st.integers(1, 3)),
                    items={"k": float(draw(st.integers(0, 3)))},
                )
            )
    return History.from_rows(rows)


@st.composite
def row_tests(draw: Any, depth: int = 0) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["total", "grade", "rank", "group_rank", "item"]
            + (["all", "any"] if depth == 0 else [])
        )
    )
    if kind in ("all", "any"):
        return {kind: draw(st.lists(row_tests(depth=1), min_size=1, max_size=3))}
    if kind == "grade":
        op = draw(st.sampled_from(["in", "not_in", "eq"]))
        if op == "eq":
            return {"field": "grade", "eq": draw(st.sampled_from(GRADES))}
        return {
            "field": "grade",
            op: draw(st.lists(st.sampled_from(GRADES), min_size=1, max_size=2)),
        }
    op = draw(st.sampled_from(["lt", "lte", "gt", "gte", "eq", "ne"]))
    bound = draw(st.integers(0, 4)) if kind != "total" else draw(st.integers(50, 70))
    test: dict[str, Any] = {"field": kind, op: bound}
    if kind == "item":
        test["item"] = "k"
    return test


@st.composite
def rules(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["streak", "count", "threshold", "sequence", "current"]))
    when: dict[str, Any] = {"kind": kind}
    if kind == "streak":
        when |= {
            "periods": draw(st.integers(1, 4)),
            "repeat": draw(st.sampled_from(["first", "every", "multiple"])),
            "test": draw(row_tests()),
        }
    elif kind == "count":
        n = draw(st.integers(1, 5))
        when |= {"periods": n, "at_least": draw(st.integers(1, n)), "test": draw(row_tests())}
    elif kind == "threshold":
        field = draw(st.sampled_from(["total", "rank", "group_rank", "item"]))
        when |= {
            "periods": draw(st.integers(1, 4)),
            "field": field,
            "aggregate": draw(st.sampled_from(["mean", "min", "max", "sum"])),
            draw(st.sampled_from(["lt", "lte", "gt", "gte"])): draw(st.integers(0, 4))
            if field != "total"
            else draw(st.integers(50, 70)),
        }
        if field == "item":
            when["item"] = "k"
    elif kind == "sequence":
        when["tests"] = draw(st.lists(row_tests(), min_size=2, max_size=3))
    else:
        when["test"] = draw(row_tests())
    return {"when": when}


GAPS = st.fixed_dictionaries(
    {k: st.sampled_from(["break", "skip"]) for k in ("leave", "not_appraised", "no_record")}
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=histories(),
    raw_rules=st.lists(rules(), min_size=1, max_size=4),
    gaps=GAPS,
    rule_gaps=st.lists(st.one_of(st.none(), GAPS), min_size=4, max_size=4),
    schemes=st.sampled_from([[], ["s1"]]),
    back=st.integers(0, 7),
)
def test_evaluator_matches_oracle(
    history: History,
    raw_rules: list[dict[str, Any]],
    gaps: dict[str, str],
    rule_gaps: list[Any],
    schemes: list[str],
    back: int,
) -> None:
    doc_rules = []
    for i, r in enumerate(raw_rules):
        rule = {
            "code": f"r{i}",
            "name": f"规则{i}",
            "then": [{"kind": "money", "amount": 1, "label": "奖励"}],
            **r,
        }
        if rule_gaps[i] is not None:
            rule["gaps"] = rule_gaps[i]
        doc_rules.append(rule)
    policy = load_policy(
        {"code": "p", "name": "p", "gaps": gaps, "schemes": schemes, "rules": doc_rules}
    )
    month = max(history.first_month, history.last_month - back)
    got = {
        (p.rule, p.employee, p.periods)
        for p in evaluate(history, policy, as_of=format_period(month)).proposals
    }
    assert got == oracle(history, policy, month)
