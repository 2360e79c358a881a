"""Compute once, checked twice: on every row of random months for every built-in plan, the
production pass (vectorised amounts and column-wise traces) equals the per-employee ``Decimal``
oracle to the cent and word for word, and each trace's own numbers recompute its amount."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import div, explain, mul, rows_of

from jixiao.engine import ResultRecord
from jixiao.pay import (
    LIBRARY,
    CompiledPlan,
    PayError,
    Payroll,
    builtin_paths,
    load_plan,
    prepare_table,
    run,
)
from jixiao.pay._num import money

PLANS = {p.stem: load_plan(p) for p in builtin_paths()}
TEXT_VALUES = ["", "A", "正式", "试用", "实习", "2024-01-15", "2024-02-10", "=1+1"]


def _text_choices(plan: CompiledPlan, name: str) -> list[str]:
    for lk in plan.plan.lookups.values():
        if lk.key == name:
            return list(lk.values)
    for c in plan.plan.components:
        if getattr(c, "group_by", None) == name and getattr(c, "shares", None):
            return [*c.shares, "其他"]  # 其他 has no share: traced as not a member
    return TEXT_VALUES


@st.composite
def month(draw: Any, plan: CompiledPlan) -> tuple[list[str], list[list[Any]], dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=12))
    specs = plan.plan.inputs
    header = ["工号", *(s.name for s in specs)]
    rows, results = [], {}
    for i in range(n):
        emp = f"E{draw(st.integers(min_value=0, max_value=999)):03d}x{i}"
        row: list[Any] = [emp]
        for s in specs:
            if s.type == "text":
                choices = [c for c in _text_choices(plan, s.name) if c or s.default is not None]
                row.append(draw(st.sampled_from(choices)))
            else:
                row.append(str(draw(st.decimals(min_value=1, max_value=60000, places=2))))
        rows.append(row)
        score = draw(st.decimals(min_value=0, max_value=100, places=2))
        results[emp] = ResultRecord(emp, "", "G", True, None, float(score), "良好", i + 1, None)
    return header, rows, results


def _approvals(plan: CompiledPlan) -> list[str]:
    return [c.code for c in plan.plan.components if getattr(c, "requires_approval", None)]


@settings(max_examples=12, deadline=None)
@given(st.data(), st.sampled_from(sorted(PLANS)))
def test_production_equals_the_oracle_on_every_row(data: Any, stem: str) -> None:
    plan = PLANS[stem]
    header, rows, results = data.draw(month(plan))
    prepared = prepare_table(plan, header, rows, results)
    try:
        payroll = run(plan, prepared, _approvals(plan))
    except PayError:
        with pytest.raises(PayError):
            explain(plan, rows_of(prepared), prepared.params, _approvals(plan))
        return
    traced = explain(plan, rows_of(prepared), prepared.params, _approvals(plan))
    assert len(payroll.slips) == len(traced)
    for slip, (lines, net) in zip(payroll.slips, traced, strict=True):
        assert slip.net == net
        for got, want in zip(slip.lines, lines, strict=True):
            assert (got.code, got.amount, got.text, got.text_en) == (
                want.code,
                want.amount,
                want.text,
                want.text_en,
            )
    _traces_recompute(plan, payroll)


N = r"(-?\d+(?:\.\d+)?)"
RECOMPUTE = {
    "prorate": (
        re.compile(rf"^{N} ÷ {N} days due × {N} days worked = {N}$"),
        lambda b, d, a: mul(div(b, d), a),
    ),
    "per_count": (re.compile(rf"^{N} × {N} yuan = {N}$"), mul),
    "attendance_bonus": (re.compile(rf"^{N} × {N}% = {N}$"), lambda b, r: mul(b, r / 100)),
    "tiers": (
        re.compile(rf"^{N}(%?) \(.* in [\[(].*[\])]\) × {N} = {N}$"),
        lambda v, pc, t: mul(v / 100 if pc else v, t),
    ),
}


def _traces_recompute(plan: CompiledPlan, payroll: Payroll) -> None:
    """The numbers a trace shows give back its amount (where the kind's wording is a sum)."""
    kinds = [c.spec.kind for c in plan.components]
    for slip in payroll.slips:
        for kind, line in zip(kinds, slip.lines, strict=True):
            if kind not in RECOMPUTE or line.text_en.startswith(("not applicable", "forfeited")):
                continue
            pattern, fn = RECOMPUTE[kind]
            m = pattern.match(line.text_en)
            assert m, line.text_en
            *args, shown = m.groups()
            values = [a if a in ("", "%") else Decimal(a) for a in args]
            assert money(fn(*values)) == Decimal(shown) == line.amount, line.text_en


def test_recompute_reads_each_kind_it_claims() -> None:
    header = ["工号", "基本工资", "迟到早退请假次数", "旷工天数"]
    rows = [["E1", "2800", "0", "0"]]
    plan = PLANS["wenan_c1"]
    spec = plan.plan.inputs
    header += [s.name for s in spec if s.name not in header]
    rows[0] += ["0"] * (len(header) - 4)
    res = {"E1": ResultRecord("E1", "", "G", True, None, 86.5, "", 1, None)}
    payroll = run(plan, prepare_table(plan, header, rows, res))
    texts = [x.text_en for x in payroll.slips[0].lines]
    assert any(RECOMPUTE["attendance_bonus"][0].match(t) for t in texts), texts
    assert any(RECOMPUTE["tiers"][0].match(t) for t in texts), texts


def test_a_plan_file_is_in_the_library() -> None:
    assert (LIBRARY / "kefu_zhuanyuan.yaml").exists() and len(PLANS) >= 10
